"""The import as a background job: status, progress, counts and the error report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import python_calamine
from django.core.files import File
from django.utils import translation

from safetynet.registry import imports
from safetynet.registry.models import Person
from safetynet.registry.models_imports import ImportJob, ImportMode, ImportStatus
from safetynet.registry.tasks import run_import
from tests.registry.test_import import ID_MAN, ID_OLD, ID_WOMAN, member, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def run(user: Any, path: Path, mode: str = ImportMode.ALL_OR_NOTHING) -> ImportJob:
    job = ImportJob(created_by=user, mode=mode, original_name=path.name, language="en")
    with path.open("rb") as handle:
        job.file.save(path.name, File(handle))
    run_import.enqueue(job.pk)
    job.refresh_from_db()
    return job


MIXED = [member("1", name="好人", id_number=ID_MAN),
         member("2", name="好户主", id_number=ID_OLD),
         member("2", name="坏成员", id_number="320722201003150024", relation="子女"),
         member("3", name="", id_number=ID_WOMAN)]


def test_all_or_nothing_rejects_the_file_and_reports_every_error(tmp_path, clerk) -> None:
    job = run(clerk, xlsx(tmp_path / "mixed.xlsx", MIXED))
    assert job.status == ImportStatus.REJECTED and Person.objects.count() == 0
    assert (job.total_rows, job.processed_rows, job.error_count, job.failed_rows) == (4, 4, 2, 4)
    report = python_calamine.CalamineWorkbook.from_path(job.error_report.path)
    rows = report.get_sheet_by_index(0).to_python()
    assert rows[0] == ["Row", "Column", "Value", "Problem"]
    assert [row[0] for row in rows[1:]] == [4.0, 5.0]
    assert "check code" in rows[1][3] and rows[1][2] == "320722201003150024"


def test_valid_rows_mode_writes_the_valid_households(tmp_path, clerk) -> None:
    job = run(clerk, xlsx(tmp_path / "mixed.xlsx", MIXED), ImportMode.VALID_ROWS)
    assert job.status == ImportStatus.DONE
    assert (job.created_households, job.created_persons, job.failed_rows) == (1, 1, 3)
    assert list(Person.objects.values_list("name", flat=True)) == ["好人"]
    report = python_calamine.CalamineWorkbook.from_path(job.error_report.path)
    rows = report.get_sheet_by_index(0).to_python()
    assert [row[0] for row in rows[1:]] == [3.0, 4.0, 5.0]  # row 3 skipped with its household


def test_a_clean_file_is_written_without_an_error_report(tmp_path, clerk) -> None:
    job = run(clerk, xlsx(tmp_path / "good.xlsx", [member(name="甲", id_number=ID_MAN)]))
    assert job.status == ImportStatus.DONE and not job.error_report
    assert (job.created_households, job.created_persons, job.failed_rows) == (1, 1, 0)
    assert job.file.name.startswith("imports/") and "good" not in job.file.name


def test_progress_is_reported_while_checking(tmp_path, clerk, monkeypatch) -> None:
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    seen: list[tuple[int, int]] = []
    update = imports._update

    def spy(job: ImportJob, **changes: Any) -> None:
        if "processed_rows" in changes and changes.get("status") is None:
            seen.append((changes["processed_rows"], changes["total_rows"]))
        update(job, **changes)

    monkeypatch.setattr(imports, "_update", spy)
    rows = [member(str(i), name=f"人{i}", sex="男", birth_date="1990-01-01") for i in range(5)]
    job = run(clerk, xlsx(tmp_path / "five.xlsx", rows))
    assert seen[:3] == [(2, 5), (4, 5), (5, 5)]
    assert job.status == ImportStatus.DONE and job.percent == 100


def test_a_crash_marks_the_job_failed(tmp_path, clerk, monkeypatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "write", boom)
    job = run(clerk, xlsx(tmp_path / "good.xlsx", [member(name="甲", id_number=ID_MAN)]))
    assert job.status == ImportStatus.FAILED and "disk full" in job.message


def test_a_user_who_may_not_edit_gets_a_failed_job(tmp_path, approver) -> None:
    with translation.override("en"):
        job = run(approver, xlsx(tmp_path / "good.xlsx", [member(name="甲", id_number=ID_MAN)]))
    assert job.status == ImportStatus.FAILED and Person.objects.count() == 0
