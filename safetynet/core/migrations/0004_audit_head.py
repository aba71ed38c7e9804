"""Create the audit chain's head row up front, so appending never has to."""

from django.db import migrations

GENESIS = "0" * 64


def create_head(apps, schema_editor):  # type: ignore[no-untyped-def]
    head_model = apps.get_model("core", "AuditHead")
    event_model = apps.get_model("core", "AuditEvent")
    last = event_model.objects.order_by("-id").values_list("hash", flat=True).first()
    head_model.objects.get_or_create(pk=1, defaults={"last_hash": last or GENESIS})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_guard")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
