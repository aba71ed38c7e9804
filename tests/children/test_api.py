"""The 12345 hotline system registers and follows minors' cases through the API."""

from __future__ import annotations

import re
from datetime import date

from django.core.management import call_command

from safetynet.accounts.models import ApiToken
from safetynet.children.models import HotlineCase
from safetynet.children.services import hotline as child_hotline
from safetynet.core.actor import Actor
from tests.children.test_hotline import CASE
from tests.conftest import VILLAGE_A


def test_hotline_system_registers_a_case(client, hotline, director) -> None:
    _token, raw = ApiToken.issue(hotline, "12345")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    response = client.post("/api/v1/children/cases", {
        "kind": "complaint", "child_name": "小红", "area_code": VILLAGE_A,
        "what_happened": "孩子旷课", "department": "education"},
        content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "referred" and body["due_on"]
    listed = client.get("/api/v1/children/cases", **auth).json()
    assert [c["number"] for c in listed] == [body["number"]]
    assert client.get(f"/api/v1/children/cases/{body['id']}", **auth).status_code == 200


def test_bad_case_names_the_field(client, hotline, director) -> None:
    _token, raw = ApiToken.issue(hotline, "12345")
    response = client.post("/api/v1/children/cases", {
        "kind": "emergency", "child_name": "小红", "area_code": VILLAGE_A,
        "what_happened": "受伤"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service"


def test_clerks_cannot_use_the_hotline_api(client, clerk) -> None:
    _token, raw = ApiToken.issue(clerk, "x")
    response = client.get("/api/v1/children/cases", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 403


def test_daily_command_escalates_overdue_cases_once(hotline, director, capsys) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint",
                                             "department": "education"})
    HotlineCase.objects.filter(pk=case.pk).update(due_on=date(2022, 1, 4))
    call_command("children_daily")
    case.refresh_from_db()
    assert case.escalation_level == 2  # long overdue: straight to the county
    first = capsys.readouterr().out
    call_command("children_daily")
    again = capsys.readouterr().out
    assert re.findall(r"\d+", first)[-1] == "1" and re.findall(r"\d+", again)[-1] == "0"
