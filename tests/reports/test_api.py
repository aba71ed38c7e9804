"""GET /api/v1/reports/summary."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.reports.lines import PAYMENT_FIGURES
from tests.conftest import COUNTY, TOWN_A, client_for, make_user
from tests.reports.test_summary import build_payments

URL = "/api/v1/reports/summary"
PARAMS = {"from": "2022-01", "to": "2022-03"}


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Any:
    return build_payments(clerk, clerk_b, paid_line)


def test_summary_json(payments: Any, approver: User) -> None:
    response = client_for(approver).get(URL, {**PARAMS, "area": COUNTY})
    assert response.status_code == 200
    data = response.json()
    assert (data["from"], data["to"], data["area"]) == ("2022-01", "2022-03", COUNTY)
    assert [p["program"] for p in data["programs"]] == [f.key for f in PAYMENT_FIGURES]
    assert data["programs"][0] == {"program": "dibao_rural", "households": 2, "persons": 5,
                                   "amount_yuan": "3400.00"}
    assert data["services"][0]["service"] == "home_care_entitled"


def test_jurisdiction(payments: Any, clerk_b: User) -> None:
    client = client_for(clerk_b)
    data = client.get(URL, PARAMS).json()
    assert data["area"] == "320722101"
    assert {p["program"]: p for p in data["programs"]}["tekun"]["persons"] == 0
    refused = client.get(URL, {**PARAMS, "area": TOWN_A})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "area"


def test_bad_month_and_roles(county: Any) -> None:
    officer = make_user("off", Role.OFFICER, county[COUNTY])
    bad = client_for(officer).get(URL, {"from": "2022-13"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "from"
    partner = make_user("partner", Role.PARTNER, county[COUNTY])
    assert client_for(partner).get(URL).status_code == 403
    from django.test import Client

    assert Client().get(URL).status_code == 401
