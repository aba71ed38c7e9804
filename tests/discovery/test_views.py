"""Active-discovery screens: upload and import page, a warning verified from its page,
campaign progress and visits, monitoring and effectiveness; who sees what."""

from __future__ import annotations

from typing import Any

from django.test import TestCase
from django.urls import reverse

from safetynet.accounts.roles import Role
from safetynet.discovery.models import EarlyWarning, Visit, WarningStatus
from safetynet.intake.models import Application
from tests.conftest import COUNTY, client_for, make_user
from tests.discovery.conftest import csv_file, head, import_rows
from tests.discovery.test_campaigns import create, people  # noqa: F401

BILL = {"settled_on": "2022-08-01", "out_of_pocket": "7000"}




def test_county_uploads_a_file_and_sees_the_result(county_officer: Any,
                                                   household: Any) -> None:
    client = client_for(county_officer)
    assert client.get(reverse("discovery:imports")).status_code == 200
    upload = csv_file("medical", [{"id_number": head(household).id_number, **BILL},
                                  {"id_number": "11010519491231002X", **BILL}])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("discovery:imports"), {"source": "medical",
                                                              "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "110105********002X" in text and "11010519491231002X" not in text


def test_a_wrong_file_type_is_refused_on_the_form(county_officer: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(county_officer).post(reverse("discovery:imports"), {
        "source": "medical", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 200 and response.context["form"].errors


def test_imports_are_for_the_county(village_worker: Any) -> None:
    assert client_for(village_worker).get(reverse("discovery:imports")).status_code == 403


def test_village_worker_verifies_a_warning_into_an_application(
        county_officer: Any, household: Any, village_worker: Any) -> None:
    import_rows(county_officer, "medical", [{"id_number": head(household).id_number, **BILL}])
    warning = EarlyWarning.objects.get()
    client = client_for(village_worker)
    home = client.get(reverse("home"))
    assert reverse("discovery:warnings") in home.content.decode()
    listing = client.get(reverse("discovery:home"))
    assert household.number in listing.content.decode()
    url = reverse("discovery:warning", args=[warning.pk])
    page = client.get(url)
    assert page.status_code == 200 and "7000" in page.content.decode()
    response = client.post(url, {"outcome": "application", "kind": "temp_expenditure",
                                 "note": "住院自付7000元，无力承担"})
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.DONE
    assert Application.objects.get(pk=warning.application_id).channel == "village"


def test_verification_errors_show_on_the_form(county_officer: Any, household: Any,
                                              village_worker: Any) -> None:
    import_rows(county_officer, "medical", [{"id_number": head(household).id_number, **BILL}])
    url = reverse("discovery:warning", args=[EarlyWarning.objects.get().pk])
    response = client_for(village_worker).post(url, {"outcome": "no_need", "note": ""})
    assert response.status_code == 200 and response.context["form"].errors


def test_warnings_outside_the_areas_are_not_found(county_officer: Any, household: Any,
                                                  clerk_b: Any) -> None:
    import_rows(county_officer, "medical", [{"id_number": head(household).id_number, **BILL}])
    url = reverse("discovery:warning", args=[EarlyWarning.objects.get().pk])
    assert client_for(clerk_b).get(url).status_code == 404


def test_campaign_pages(county_officer: Any, people: dict[str, Any],  # noqa: F811
                        approver: Any, village_worker: Any) -> None:
    campaign = create(county_officer)
    county = client_for(approver)
    page = county.get(reverse("discovery:campaign", args=[campaign.pk]))
    assert page.status_code == 200 and "牛山镇" in page.content.decode()
    visit = Visit.objects.get(category="elderly_alone")
    worker = client_for(village_worker)
    assert worker.get(reverse("discovery:visits", args=[campaign.pk])).status_code == 200
    url = reverse("discovery:visit", args=[visit.pk])
    response = worker.post(url, {"status": "found", "situation": "独居", "needs": "照料",
                                 "needs_help": "on"})
    assert response.status_code == 302
    response = worker.post(url, {"help-outcome": "application",
                                 "help-kind": "temp_emergency"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.application_id
    uncovered = county.get(reverse("discovery:uncovered", args=[campaign.pk]))
    assert "独居老人" in uncovered.content.decode()


def test_county_creates_a_campaign_on_the_page(county_officer: Any,
                                               people: dict[str, Any]) -> None:  # noqa: F811
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client_for(county_officer).post(reverse("discovery:campaigns"), {
            "name": "排查", "area_code": COUNTY, "starts_on": "2022-03-01",
            "ends_on": "2022-12-31", "categories": ["dibao", "serious_illness"]})
    assert response.status_code == 302
    assert Visit.objects.count() == 2


def test_monitoring_and_effectiveness_pages(county_officer: Any, household: Any,
                                            county: Any) -> None:
    import_rows(county_officer, "medical", [{"id_number": head(household).id_number, **BILL}])
    leader = make_user("leader", Role.LEADER, county[COUNTY])
    for user in (county_officer, leader):
        client = client_for(user)
        assert client.get(reverse("discovery:monitoring")).status_code == 200
        page = client.get(reverse("discovery:effectiveness"))
        assert page.status_code == 200
    assert page.context["effects"][0][0].raised == 1
    assert client.get(reverse("discovery:warnings")).status_code == 403  # names: no


def test_api_lists_open_warnings(county_officer: Any, household: Any, clerk: Any) -> None:
    import_rows(county_officer, "medical", [{"id_number": head(household).id_number, **BILL}])
    response = client_for(clerk).get("/api/v1/discovery/warnings")
    assert response.status_code == 200
    assert response.json()[0]["rule"] == "medical_burden"
