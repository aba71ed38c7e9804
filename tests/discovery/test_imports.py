"""Importing departments' files: matching by ID number, unmatched rows, idempotency,
errors that reject the whole file, audit, and who may import."""

from __future__ import annotations

import io
from typing import Any

import pytest
import xlsxwriter
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.core.models import AuditEvent
from safetynet.discovery.models import EarlyWarning, ExternalRecord, ImportStatus
from safetynet.discovery.sources import layout
from tests.discovery.conftest import head, import_rows
from tests.discovery.conftest import upload as upload_file

STRANGER = "11010519491231002X"


def medical(id_number: str, amount: str = "7000", on: str = "2022-08-01",
            **extra: Any) -> dict[str, Any]:
    return {"id_number": id_number, "name": "张三", "settled_on": on, "out_of_pocket": amount,
            **extra}


def test_rows_match_by_id_number_and_unmatched_rows_are_reported(county_officer: Any,
                                                                  household: Any) -> None:
    person = head(household)
    job = import_rows(county_officer, "medical", [medical(person.id_number),
                                                  medical(STRANGER, "5")])
    assert job.status == ImportStatus.DONE, job.message
    assert (job.total_rows, job.matched_rows, job.unmatched_rows) == (2, 1, 1)
    assert job.unmatched == [{"row": 3, "id": "110105********002X", "name": "张三"}]
    matched = ExternalRecord.objects.get(person=person)
    assert matched.household_id == household.pk and matched.area_id == household.area_id
    assert str(matched.amount) == "7000.00"
    assert ExternalRecord.objects.get(person__isnull=True).id_number_index  # kept, by index


def test_the_same_file_twice_adds_nothing(county_officer: Any, household: Any) -> None:
    rows = [medical(head(household).id_number), medical(STRANGER)]
    first = import_rows(county_officer, "medical", rows)
    second = import_rows(county_officer, "medical", rows)
    assert first.new_rows == 2 and first.warnings_raised == 1
    assert (second.status, second.new_rows, second.repeated_rows) == (ImportStatus.DONE, 0, 2)
    assert second.warnings_raised == 0
    assert ExternalRecord.objects.count() == 2
    warning = EarlyWarning.objects.get()
    assert warning.signals == 1 and warning.evidence.count() == 1


def test_a_row_twice_in_one_file_counts_once(county_officer: Any, household: Any) -> None:
    row = medical(head(household).id_number)
    job = import_rows(county_officer, "medical", [row, row])
    assert job.new_rows == 1 and ExternalRecord.objects.count() == 1
    assert "1" in job.message


def test_errors_reject_the_whole_file_naming_row_and_column(county_officer: Any,
                                                            household: Any) -> None:
    job = import_rows(county_officer, "medical", [
        medical(head(household).id_number),
        medical("320722199001010018"),  # wrong check character
        medical(STRANGER, amount="一千"), medical(STRANGER, on="昨天")])
    assert job.status == ImportStatus.REJECTED
    assert ExternalRecord.objects.count() == 0 and EarlyWarning.objects.count() == 0
    found = {(e["row"], e["column"]) for e in job.errors}
    assert found == {(3, "公民身份号码"), (4, "个人自付金额"), (5, "结算日期")}
    message = next(e["message"] for e in job.errors if e["row"] == 3)
    assert "校验" in message or "check character" in message  # zh once the catalogue merges


def test_a_missing_required_column_is_named(county_officer: Any) -> None:
    upload = SimpleUploadedFile("x.csv", "公民身份号码,姓名\n11010519491231002X,张三\n".encode(),
                                "text/csv")
    job = upload_file(county_officer, "medical", upload)
    assert job.status == ImportStatus.REJECTED
    assert "结算日期" in job.message and "个人自付金额" in job.message


def test_excel_files_are_read_too(county_officer: Any, household: Any) -> None:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer)
    sheet = book.add_worksheet()
    spec = layout("disability")
    sheet.write_row(0, 0, [c.zh for c in spec.columns])
    sheet.write_row(1, 0, [head(household).id_number, "张三", "32072219", "肢体", "二级",
                           "2022-07-01"])
    book.close()
    job = upload_file(county_officer, "disability",
                      SimpleUploadedFile("cdpf.xlsx", buffer.getvalue()))
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert ExternalRecord.objects.get().grade == 2


def test_import_is_audited(county_officer: Any, household: Any) -> None:
    import_rows(county_officer, "medical", [medical(head(household).id_number)])
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"discovery.import.start", "discovery.import"} <= actions


def test_only_county_staff_import(officer: Any, village_worker: Any) -> None:
    for user in (officer, village_worker):
        with pytest.raises(PermissionDenied):
            import_rows(user, "medical", [])


def test_matching_does_not_query_row_by_row(county_officer: Any, clerk: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_household

    people = [head(make_household(clerk, name=f"户{i}")) for i in range(12)]

    def queries(rows: list[Any], name: str) -> int:
        with CaptureQueriesContext(connection) as seen:
            import_rows(county_officer, "medical", [medical(p.id_number, "1") for p in rows],
                        name)
        return len(seen.captured_queries)

    few, many = queries(people[:2], "a.csv"), queries(people[2:], "b.csv")
    assert many <= few + 2, (few, many)
