"""/api/v1/discovery/imports: county staff upload a department's file (multipart), the same
background job as the page's matches it, its status is polled; ID numbers stay masked."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safetynet.accounts.models import User
from safetynet.discovery.models import ExternalRecord, ImportStatus, SourceImport
from tests.conftest import api_call, error_fields, issue_token
from tests.discovery.conftest import csv_file, head, import_rows
from tests.discovery.test_imports import STRANGER, medical


def call(user: User, method: str, path: str, data: dict | None = None,
         **params: Any) -> tuple[int, Any, str]:
    """Uploads are multipart, and the import job they queue runs at once."""
    return api_call("/api/v1/discovery", user, method, path, files=data or {},
                    run_on_commit=True, **params)


fields = error_fields


def test_county_staff_upload_and_follow_an_import(county_officer: User, household: Any) -> None:
    person = head(household)
    upload = csv_file("medical", [medical(person.id_number), medical(STRANGER, "5")])
    status, body, _text = call(county_officer, "post", "/imports",
                               {"source": "medical", "file": upload})
    assert status == 202, body
    assert body["status"] == ImportStatus.PENDING and not body["finished"]
    assert body["status_url"] == f"/api/v1/discovery/imports/{body['id']}/status"
    status, now, _text = call(county_officer, "get", f"/imports/{body['id']}/status")
    assert status == 200 and now["status"] == ImportStatus.DONE and now["finished"]
    assert (now["total_rows"], now["matched_rows"], now["unmatched_rows"]) == (2, 1, 1)
    status, detail, text = call(county_officer, "get", f"/imports/{body['id']}")
    assert status == 200 and detail["unmatched"] == [
        {"row": 3, "id": "110105********002X", "name": "张三"}]
    assert STRANGER not in text and person.id_number not in text
    status, page, _text = call(county_officer, "get", "/imports", source="medical")
    assert status == 200 and [j["id"] for j in page["items"]] == [body["id"]]
    assert call(county_officer, "get", "/imports", status="failed")[1]["count"] == 0
    assert ExternalRecord.objects.count() == 2


def test_a_rejected_file_lists_its_errors_masked(county_officer: Any, household: Any) -> None:
    bad = medical(head(household).id_number, amount="many")
    job = import_rows(county_officer, "medical", [bad, medical(STRANGER, on="someday")])
    assert job.status == ImportStatus.REJECTED
    status, detail, text = call(county_officer, "get", f"/imports/{job.pk}")
    assert status == 200 and detail["status"] == "rejected"
    assert sorted(e["row"] for e in detail["errors"]) == [2, 3]
    assert head(household).id_number not in text and STRANGER not in text


def test_a_wrong_id_number_in_an_error_is_masked(county_officer: Any, household: Any) -> None:
    number = head(household).id_number
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    job = import_rows(county_officer, "medical", [medical(wrong)])
    assert job.status == ImportStatus.REJECTED and job.errors[0]["value"] == wrong
    status, detail, text = call(county_officer, "get", f"/imports/{job.pk}")
    assert status == 200 and detail["errors"][0]["value"] == f"{wrong[:6]}********{wrong[-4:]}"
    assert wrong not in text


def test_township_staff_may_not_import(officer: User, clerk: User,
                                       county_officer: User, household: Any) -> None:
    upload = csv_file("medical", [medical(head(household).id_number)])
    status, body, _text = call(officer, "post", "/imports", {"source": "medical",
                                                             "file": upload})
    assert status == 403 and fields(body) == ["__all__"]
    job = import_rows(county_officer, "medical", [medical(STRANGER)])
    assert call(officer, "get", f"/imports/{job.pk}/status")[0] == 403
    assert call(clerk, "get", "/imports")[0] == 403
    assert SourceImport.objects.count() == 1


def test_an_unknown_import_answers_404(county_officer: User) -> None:
    assert call(county_officer, "get", "/imports/999999")[0] == 404
    assert call(county_officer, "get", "/imports/999999/status")[0] == 404


def test_bad_uploads_name_the_field(county_officer: User, household: Any) -> None:
    rows = [medical(head(household).id_number)]
    status, body, _text = call(county_officer, "post", "/imports",
                               {"source": "weather", "file": csv_file("medical", rows)})
    assert status == 422 and fields(body) == ["source"]
    exe = SimpleUploadedFile("data.exe", b"MZ", "application/octet-stream")
    status, body, _text = call(county_officer, "post", "/imports",
                               {"source": "medical", "file": exe})
    assert status == 422 and fields(body) == ["file"]
    status, body, _text = call(county_officer, "post", "/imports", {"source": "medical"})
    assert status == 422 and fields(body) == ["file"]
    assert not SourceImport.objects.exists()


def test_the_list_costs_the_same_queries_for_one_import_or_many(county_officer: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, token = Client(), issue_token(county_officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/discovery/imports", headers={"Authorization": f"Bearer {token}"})
        return len(captured)

    import_rows(county_officer, "medical", [medical(STRANGER)])
    one = count()
    import_rows(county_officer, "medical", [medical(STRANGER, "9")])
    import_rows(county_officer, "medical", [medical(STRANGER, "8")])
    assert count() == one
