from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from safetynet.core import audit
from safetynet.core.models import AuditEvent


def test_events_chain_and_verify(db) -> None:
    first = audit.record("login", username="a")
    second = audit.record("export", username="b", rows=3)
    assert second.prev_hash == first.hash
    assert audit.verify().ok and audit.verify().checked == 2


def test_verify_names_the_first_tampered_event(db) -> None:
    events = [audit.record("view", username=f"u{i}") for i in range(4)]
    with connection.cursor() as cursor:
        # A tamperer with database-owner rights first disables the guard.
        cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER"
                       if connection.vendor == "postgresql"
                       else "DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute("UPDATE core_auditevent SET username = 'mallory' WHERE id = %s",
                       [events[2].id])
    result = audit.verify()
    assert not result.ok and result.broken_id == events[2].id
    with pytest.raises(CommandError, match=str(events[2].id)):
        call_command("audit", "verify")


def test_database_refuses_to_update_audit_events(db) -> None:
    event = audit.record("login", username="a")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(username="mallory")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE guard is PostgreSQL's")
def test_postgresql_refuses_to_delete_young_audit_events(db) -> None:
    event = audit.record("login", username="a")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_purge_never_removes_events_younger_than_retention(db) -> None:
    audit.record("login", username="a")
    with pytest.raises(ValueError):
        audit.purge(30)
    assert audit.purge(180) == 0
    assert AuditEvent.objects.count() == 1
    assert audit.purge(180, now=timezone.now() + timedelta(days=10)) == 0


def test_login_success_and_failure_are_audited(client, clerk) -> None:
    client.post("/login/", {"username": "clerk_a", "password": "wrong"})
    client.post("/login/", {"username": "clerk_a", "password": "Test-pass-2022"})
    actions = list(AuditEvent.objects.values_list("action", "result", "username"))
    assert ("login", "fail", "clerk_a") in actions
    assert ("login", "ok", "clerk_a") in actions
