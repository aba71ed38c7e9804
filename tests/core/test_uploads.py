"""Uploaded files: deleted when their change fails, and swept when a rollback further out
(or a killed process) left them with no record (issue #18)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction

from safetynet.core import uploads
from safetynet.core.actor import Actor
from safetynet.registry import jobs
from safetynet.registry.models_imports import ImportJob


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def xlsx(name: str = "户籍.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"PK\x03\x04 not really a workbook")


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_a_file_written_in_a_failing_block_is_deleted(media: Path) -> None:
    saved: list[str] = []
    with pytest.raises(RuntimeError), uploads.removed_on_error(saved):
        saved.append(default_storage.save("scan.pdf", ContentFile(b"%PDF-1.4")))
        raise RuntimeError("the row could not be written")
    assert files(media) == []


def test_a_rolled_back_upload_is_swept_and_a_kept_one_stays(media: Path, clerk: Any) -> None:
    kept = jobs.start_import(Actor.of(clerk), xlsx(), "all", "zh-hans")
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.start_import(Actor.of(clerk), xlsx("其他.xlsx"), "all", "zh-hans")
        raise RuntimeError("a later step of the same change fails")
    assert ImportJob.objects.get() == kept and len(files(media)) == 2
    assert uploads.orphans(dt.timedelta(hours=1)) == []  # too young: may still commit
    swept = uploads.sweep(dt.timedelta(0))
    assert len(swept) == 1 and files(media) == [media / kept.file.name]


def test_the_command_lists_without_deleting_on_a_dry_run(media: Path, capsys: Any, db: Any) -> None:
    default_storage.save("orphan.pdf", ContentFile(b"%PDF-1.4"))
    call_command("sweep_uploads", "--hours", "0", "--dry-run")
    assert "orphan.pdf" in capsys.readouterr().out and len(files(media)) == 1
    call_command("sweep_uploads", "--hours", "0")
    assert files(media) == []
