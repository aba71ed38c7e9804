"""The summary page: the table, links on every number, errors in the form, jurisdiction
and a number of queries that does not grow with the data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.reports import ledger
from safetynet.reports.lines import PAYMENT_FIGURES
from safetynet.reports.summary import SERVICE_FIGURES
from tests.conftest import COUNTY, TOWN_A, client_for, make_household, make_user
from tests.reports.test_summary import FEB, JAN, build_payments

URL = reverse("reports:summary")
QUARTER = {"from": "2022-01", "to": "2022-03"}


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Any:
    return build_payments(clerk, clerk_b, paid_line)


def test_the_table_with_links_on_every_number(payments: Any, approver: User) -> None:
    response = client_for(approver).get(URL, {**QUARTER, "area": COUNTY})
    assert response.status_code == 200
    html = response.content.decode()
    for f in PAYMENT_FIGURES:
        link = reverse("reports:records", args=[f.key])
        assert html.count(f'href="{link}?from=2022-01&amp;to=2022-03&amp;area={COUNTY}"') == 4
    for f in SERVICE_FIGURES:
        assert reverse("reports:records", args=[f.key]) in html
    assert reverse("reports:export", args=["xlsx"]) in html
    assert reverse("reports:export", args=["pdf"]) in html
    assert "0.3400" in html  # rural dibao 3,400 yuan in 10,000 yuan


def test_default_months_end_with_the_last_month_paid(payments: Any, approver: User) -> None:
    response = client_for(approver).get(URL)
    assert response.status_code == 200
    assert response.context["report"].query.end.isoformat() == "2022-04-01"


@pytest.mark.parametrize("params, field", [({"from": "2022-13"}, "from"),
                                           ({"from": "2022-05", "to": "2022-02"}, "from"),
                                           ({"area": "320722101"}, "area")])
def test_bad_input_shows_the_field_and_what_is_wrong(clerk: User, params: dict[str, str],
                                                     field: str) -> None:
    response = client_for(clerk).get(URL, params)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert 'role="alert"' in response.content.decode()


def test_clerk_b_sees_none_of_township_a(payments: Any, clerk_b: User) -> None:
    response = client_for(clerk_b).get(URL, QUARTER)
    rows = {r.key: r for r in response.context["report"].programs}
    assert rows["tekun"].persons == 0 and rows["dibao_rural"].households == 1
    assert client_for(clerk_b).get(URL, {**QUARTER, "area": TOWN_A}).status_code == 400


def test_partners_may_not_read(county: Any) -> None:
    partner = make_user("partner", Role.PARTNER, county[COUNTY])
    assert client_for(partner).get(URL).status_code == 403


def test_queries_do_not_grow_with_the_data(clerk: User, approver: User, paid_line: Any) -> None:
    client = client_for(approver)

    def count() -> int:
        ledger.ensure_current()  # the ledger's upkeep is counted in test_ledger
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL, {**QUARTER, "area": COUNTY}).status_code == 200
        return len(ctx.captured_queries)

    home = make_household(clerk, members=1)
    paid_line(home, "dibao", JAN, "650.00", persons=2)
    few = count()
    for i in range(6):
        other = make_household(clerk, name=f"户{i}", members=1)
        head = other.members.order_by("pk").first()
        for program in ("dibao", "temporary"):
            paid_line(other, program, FEB, "650.00", persons=2)
        for program in ("tekun_basic", "disability_nursing", "elderly_allowance"):
            paid_line(other, program, JAN, "100.00", person=head)
    assert count() == few


def test_numbers_are_plain_text_not_floats(payments: Any, approver: User) -> None:
    html = client_for(approver).get(URL, {**QUARTER, "area": COUNTY}).content.decode()
    assert not re.search(r"\d\.\d{5,}", html)
