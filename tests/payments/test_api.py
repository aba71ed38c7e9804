"""/api/v1/payments/ and /api/v1/benefits/."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import issue_token, login_verified


@pytest.fixture
def api(finance) -> Client:
    raw = issue_token(finance, "test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_prepare_get_and_statistics(api, enrolled, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as queued:
        created = api.post("/api/v1/payments/runs", {"program": "dibao", "period": "2022-09"},
                           content_type="application/json")
    assert created.status_code == 202 and len(queued) == 1
    body = created.json()
    assert (body["status"], body["lines"], body["created"]) == ("preparing", 0, True)
    prepared = api.get(f"/api/v1/payments/runs/{body['run']}").json()
    assert (prepared["lines"], prepared["total_yuan"]) == (3, "4050.00")
    again = api.post("/api/v1/payments/runs", {"program": "dibao", "period": "2022-09"},
                     content_type="application/json")
    assert again.status_code == 200 and again.json()["created"] is False
    assert api.get(f"/api/v1/payments/runs/{body['run']}").json()["status"] == "prepared"
    assert api.get("/api/v1/payments/statistics").json() == []


def test_bad_period_names_the_field(api):
    response = api.post("/api/v1/payments/runs", {"program": "dibao", "period": "Sept"},
                        content_type="application/json")
    assert response.status_code in (400, 422)
    assert "period" in response.content.decode()


def test_approval_needs_a_verified_session(api, finance, approver, enrolled,
                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = api.post("/api/v1/payments/runs", {"program": "dibao", "period": "2022-09"},
                       content_type="application/json").json()["run"]
    raw = issue_token(approver, "test")
    by_token = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert by_token.post(f"/api/v1/payments/runs/{run}/approve").status_code == 403
    client = Client()
    login_verified(client, approver)
    assert client.post(f"/api/v1/payments/runs/{run}/approve").json()["status"] == "approved"


def test_enrolments_are_listed_in_scope(approver, clerk_b, enrolled):
    client = Client()
    login_verified(client, approver)
    listed = client.get("/api/v1/benefits/enrolments").json()
    assert len(listed) == 3 and listed[0]["monthly_amount"] in ("1350.00", "1350")
    client.force_login(clerk_b)  # township B: one household
    assert len(client.get("/api/v1/benefits/enrolments").json()) == 1
    enrolment = enrolled["a"].pk
    assert client.get(f"/api/v1/benefits/enrolments/{enrolment}").status_code == 404
