"""Database guards that keep the audit log append-only.

PostgreSQL refuses UPDATE of any audit event and DELETE of one younger than 180 days
(TRUNCATE, used only by test teardown, is not a row operation). SQLite refuses UPDATE.
"""

from django.db import migrations

PG_INSTALL = """
CREATE OR REPLACE FUNCTION core_auditevent_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'audit events are append-only';
  END IF;
  IF OLD.at > now() - interval '180 days' THEN
    RAISE EXCEPTION 'audit events younger than 180 days cannot be deleted';
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_guard BEFORE UPDATE OR DELETE ON core_auditevent
  FOR EACH ROW EXECUTE FUNCTION core_auditevent_guard();
"""
PG_REMOVE = """
DROP TRIGGER IF EXISTS core_auditevent_guard ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_guard();
"""
SQLITE_INSTALL = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_REMOVE = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INSTALL)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_INSTALL)


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_REMOVE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REMOVE)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_log")]
    operations = [migrations.RunPython(install, remove)]
