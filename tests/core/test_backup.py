"""Backup → empty database → restore gives back every table, row for row; a bad file fails."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from safetynet.core import audit, backup
from safetynet.core.models import AuditEvent, AuditHead
from safetynet.registry.models import Household, Person
from safetynet.registry.models_imports import ImportJob
from tests.conftest import make_household

pytestmark = pytest.mark.django_db(transaction=True)
WORKBOOK = b"PK\x03\x04 an uploaded workbook"


@pytest.fixture(autouse=True)
def backup_key(monkeypatch: pytest.MonkeyPatch) -> str:
    key = backup.new_key()
    monkeypatch.setenv(backup.KEY_ENV, key)
    return key


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def registry(clerk: Any) -> dict[str, Any]:
    """Households with history, an ID looked up by blind index, an upload, audit events."""
    household = make_household(clerk, members=2, phone="13812345678")
    household.bank_account = "6222021234567890123"
    household.save()
    clerk.user_permissions.add(Permission.objects.get(codename="view_area"))
    job = ImportJob.objects.create(created_by=clerk, original_name="户籍.xlsx",
                                   file=ContentFile(WORKBOOK, name="book.xlsx"))
    audit.record("login", user=clerk)
    audit.record("reveal", user=clerk, obj=household, field="bank_account", reason="核对")
    head = household.members.get(relation="head")
    return {"household": household, "id_number": head.id_number, "upload": job.file.name}


def through_counts() -> dict[str, int]:
    return {t._meta.db_table: t.objects.count()
            for m in backup.backed_up_models() for t in backup.through_models(m)}


def make_backup(tmp_path: Path) -> Path:
    path = tmp_path / "safetynet.snbk"
    call_command("backup", out=str(path), stdout=StringIO())
    return path


def test_round_trip_restores_every_table_row_for_row(tmp_path, registry, media) -> None:
    before, links = backup.digests(), through_counts()
    last_event = AuditEvent.objects.order_by("id").last().id
    path = make_backup(tmp_path)
    assert path.read_bytes()[:8] == b"SNBACKUP" and (path.stat().st_mode & 0o777) == 0o600
    assert AuditEvent.objects.filter(action="backup", result="ok").exists()

    call_command("flush", interactive=False)
    AuditHead.objects.create(pk=1, last_hash=audit.GENESIS)  # as `migrate` leaves it
    shutil.rmtree(media)
    assert not Person.objects.exists() and not AuditEvent.objects.exists()
    out = StringIO()
    call_command("restore", str(path), stdout=out)

    after = backup.digests()
    for label, digest in before.items():
        if label not in ("core.auditevent", "core.audithead"):
            assert after[label] == digest, label
    kept = AuditEvent.objects.filter(id__lte=last_event)
    assert backup.digest(AuditEvent, kept) == before["core.auditevent"]
    assert list(AuditEvent.objects.filter(id__gt=last_event).values_list("action", flat=True)) \
        == ["restore"]
    assert audit.verify().ok
    assert through_counts() == links and links["accounts_user_user_permissions"] == 1
    assert Person.objects.get(id_number=registry["id_number"]).relation == "head"
    assert Household.objects.get(bank_account="6222021234567890123")
    assert (media / registry["upload"]).read_bytes() == WORKBOOK
    assert "every row count and checksum matches" in out.getvalue()


def test_restore_creates_no_history_rows(tmp_path, registry) -> None:
    history = Person.history.count()
    path = make_backup(tmp_path)
    call_command("flush", interactive=False)
    call_command("restore", str(path), stdout=StringIO())
    assert Person.history.count() == history


def test_tampered_backup_fails_and_changes_nothing(tmp_path, registry) -> None:
    path = make_backup(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    before = backup.digests()
    with pytest.raises(CommandError, match="damaged or was altered"):
        call_command("restore", str(path), force=True, stdout=StringIO())
    assert backup.digests() == before


def test_wrong_key_fails_and_changes_nothing(tmp_path, registry, monkeypatch) -> None:
    path = make_backup(tmp_path)
    monkeypatch.setenv(backup.KEY_ENV, backup.new_key())
    before = backup.digests()
    with pytest.raises(CommandError, match="another key"):
        call_command("restore", str(path), force=True, stdout=StringIO())
    assert backup.digests() == before


def test_a_file_that_is_not_a_backup_is_refused(tmp_path, db) -> None:
    path = tmp_path / "notes.snbk"
    path.write_bytes(b"hello, this is not a backup at all")
    with pytest.raises(CommandError, match="not a SafetyNet backup"):
        call_command("restore", str(path), stdout=StringIO())


def test_database_with_data_is_refused_unless_forced(tmp_path, registry, clerk) -> None:
    before = backup.digests()
    path = make_backup(tmp_path)
    make_household(clerk, name="李四")
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path), stdout=StringIO())
    call_command("restore", str(path), force=True, stdout=StringIO())
    assert not Person.objects.filter(name="李四").exists()
    assert backup.digests()["registry.person"] == before["registry.person"]
    assert audit.verify().ok


def test_check_only_reads_the_backup(tmp_path, registry) -> None:
    path = make_backup(tmp_path)
    out = StringIO()
    call_command("restore", str(path), check=True, stdout=out)
    assert "authentic backup" in out.getvalue() and "registry_person" in out.getvalue()
    assert not AuditEvent.objects.filter(action="restore").exists()


def test_snapshot_is_one_repeatable_read_transaction() -> None:
    with backup.snapshot(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW transaction_isolation")
            assert cursor.fetchone()[0] == "repeatable read"
        assert connection.in_atomic_block


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite reads a snapshot anyway")
def test_postgresql_backup_refuses_to_join_an_outer_transaction(tmp_path) -> None:
    with transaction.atomic(), pytest.raises(backup.BackupError, match="own transaction"):
        backup.write_backup(tmp_path / "x.snbk", backup.load_key())


@pytest.mark.django_db(transaction=False)
def test_key_file_is_generated_once_outside_production(settings, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(backup.KEY_ENV)
    settings.VAR_DIR = tmp_path
    key = backup.load_key()
    assert len(key) == 32 and backup.load_key() == key
    assert (backup.key_file().stat().st_mode & 0o777) == 0o600


@pytest.mark.django_db(transaction=False)
def test_production_needs_the_key_in_the_environment(settings, monkeypatch) -> None:
    monkeypatch.delenv(backup.KEY_ENV)
    settings.PRODUCTION = True
    with pytest.raises(backup.BackupError, match=backup.KEY_ENV):
        backup.load_key()
    monkeypatch.setenv(backup.KEY_ENV, "c2hvcnQ=")
    with pytest.raises(backup.BackupError, match="32 bytes"):
        backup.load_key()
