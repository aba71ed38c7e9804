"""The import screens through the Django test client: upload, progress, error report."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from safetynet.core.models import AuditEvent
from safetynet.registry.models import Person
from safetynet.registry.models_imports import ImportJob, ImportStatus
from tests.conftest import login_verified
from tests.registry.test_import import ID_MAN, member, xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(tmp_path: Path, rows: list[dict], name: str = "户籍.xlsx") -> SimpleUploadedFile:
    path = xlsx(tmp_path / "upload.xlsx", rows)
    return SimpleUploadedFile(name, path.read_bytes())


def test_the_import_page_offers_the_template_and_the_modes(client, clerk) -> None:
    client.force_login(clerk)
    page = client.get(reverse("registry:import")).content.decode()
    assert reverse("registry:import_template") in page and 'type="radio"' in page
    assert 'enctype="multipart/form-data"' in page


def test_the_template_downloads_as_xlsx(client, clerk) -> None:
    client.force_login(clerk)
    response = client.get(reverse("registry:import_template"))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = python_calamine.CalamineWorkbook.from_filelike(
        io.BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheet_names) == 3


def test_a_post_without_a_file_shows_the_form_again(client, clerk) -> None:
    client.force_login(clerk)
    response = client.post(reverse("registry:import"), {"mode": "all"})
    assert response.status_code == 200 and ImportJob.objects.count() == 0


def test_upload_with_errors_is_rejected_and_the_report_downloads(client, clerk, tmp_path) -> None:
    client.force_login(clerk)
    rows = [member("1", name="好人", id_number=ID_MAN),
            member("2", name="坏人", id_number="320722201003150024")]
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("registry:import"),
                               {"file": upload(tmp_path, rows), "mode": "all"})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:import_job", args=[job.pk])
    assert job.status == ImportStatus.REJECTED and job.original_name == "户籍.xlsx"
    assert Person.objects.count() == 0
    assert AuditEvent.objects.filter(action="registry_import").exists()
    page = client.get(response["Location"]).content.decode()
    assert reverse("registry:import_report", args=[job.pk]) in page and "<progress" in page
    report = client.get(reverse("registry:import_report", args=[job.pk]))
    content = b"".join(report.streaming_content)
    rows_out = python_calamine.CalamineWorkbook.from_filelike(
        io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows_out[1][0] == 3.0 and rows_out[1][2] == "320722201003150024"


def test_valid_rows_upload_creates_the_good_households(client, clerk, tmp_path) -> None:
    client.force_login(clerk)
    rows = [member("1", name="好人", id_number=ID_MAN),
            member("2", name="坏人", id_number="320722201003150024")]
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task runs after the commit
        client.post(reverse("registry:import"), {"file": upload(tmp_path, rows),
                                                 "mode": "valid"})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.created_persons == 1
    assert Person.objects.get().name == "好人"


def test_htmx_polls_until_the_job_is_finished(client, clerk, tmp_path) -> None:
    client.force_login(clerk)
    job = ImportJob.objects.create(created_by=clerk, file="imports/x.xlsx", total_rows=10,
                                   processed_rows=4, status=ImportStatus.CHECKING)
    url = reverse("registry:import_job", args=[job.pk])
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'value="4" max="10"' in partial
    assert "<html" not in partial
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, processed_rows=10)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done


def test_other_users_jobs_and_reports_are_not_found(client, clerk, tmp_path, county) -> None:
    from tests.conftest import make_user

    client.force_login(clerk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("registry:import"), {
            "file": upload(tmp_path, [member(name="坏", id_number="320722201003150024")]),
            "mode": "all"})
    job = ImportJob.objects.get()
    other = make_user("clerk_a2", "clerk", county["320722100"])
    client.force_login(other)
    assert client.get(reverse("registry:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("registry:import_report", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_excel_is_refused(client, clerk) -> None:
    client.force_login(clerk)
    fake = SimpleUploadedFile("list.xlsx", b"name,id\n")
    response = client.post(reverse("registry:import"), {"file": fake, "mode": "all"})
    assert response.status_code == 200 and ImportJob.objects.count() == 0
    assert 'class="error"' in response.content.decode()


def test_readers_are_sent_to_the_export_and_cannot_import(client, approver) -> None:
    login_verified(client, approver)
    response = client.get(reverse("registry:import"))
    assert response.status_code == 302 and response["Location"] == reverse("registry:export")
    assert client.get(reverse("registry:import_template")).status_code == 403
