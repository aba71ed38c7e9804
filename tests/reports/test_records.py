"""The drill-down list behind a figure: masked, inside the jurisdiction, its total equal to
the figure, paginated in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.masking import mask_name
from safetynet.registry.models import Person
from safetynet.reports import ledger
from safetynet.reports import summary as s
from safetynet.reports.query import ReportQuery
from tests.conftest import COUNTY, TOWN_A, TOWN_B, client_for, make_household, make_user
from tests.reports.test_summary import JAN, MAR, build_payments, build_services

PARAMS = {"from": "2022-01", "to": "2022-03", "area": COUNTY}
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9X])")


def url(key: str) -> str:
    return reverse("reports:records", args=[key])


@pytest.fixture
def payments(clerk: User, clerk_b: User, paid_line: Any) -> Any:
    return build_payments(clerk, clerk_b, paid_line)


def test_total_row_equals_the_figure(payments: Any, approver: User) -> None:
    client = client_for(approver)
    report = {r.key: r for r in s.summary(ReportQuery(JAN, MAR, COUNTY), approver).programs}
    for key, row in report.items():
        response = client.get(url(key), PARAMS)
        assert response.status_code == 200
        assert response.context["drill"].total == row
        shown = sum((r.amount for r in response.context["drill"].rows), Decimal("0.00"))
        assert shown == row.amount  # one page holds them all here


def test_names_and_id_numbers_are_masked(payments: Any, approver: User) -> None:
    response = client_for(approver).get(url("disability"), PARAMS)
    html = response.content.decode()
    assert not FULL_ID.search(html)
    head = payments.person(payments.h1)
    assert mask_name(head.name) in html and head.name not in html
    assert head.id_number[:6] + "********" + head.id_number[-4:] in html


def test_household_lines_show_the_head(payments: Any, approver: User) -> None:
    rows = client_for(approver).get(url("dibao_rural"), PARAMS).context["drill"].rows
    assert {r.name for r in rows} == {mask_name("王小明"), mask_name("赵五")}


def test_children_under_14_have_no_name_unless_the_user_works_with_children(
        payments: Any, approver: User, county: Any, paid_line: Any) -> None:
    child = Person.objects.create(household=payments.h2, area_id=payments.h2.area_id,
                                  name="李小龙", sex="M", birth_date=date(2016, 1, 1),
                                  relation="child")
    paid_line(payments.h2, "orphan_allowance", JAN, "1646.00", person=child)
    html = client_for(approver).get(url("orphan_allowance"), PARAMS).content.decode()
    assert mask_name("李小龙") not in html
    director = make_user("director", Role.CHILD_SUPERVISOR, county[COUNTY])
    html = client_for(director).get(url("orphan_allowance"), PARAMS).content.decode()
    assert mask_name("李小龙") in html


def test_other_township_gets_nothing_and_404_outside(payments: Any, clerk_b: User) -> None:
    client = client_for(clerk_b)
    response = client.get(url("tekun"), {**PARAMS, "area": TOWN_B})
    assert response.context["drill"].total.persons == 0
    assert not response.context["drill"].rows
    assert client.get(url("tekun"), {**PARAMS, "area": TOWN_A}).status_code == 404


def test_unknown_figure_and_bad_month(approver: User) -> None:
    client = client_for(approver)
    assert client.get(url("nonsense"), PARAMS).status_code == 404
    response = client.get(url("tekun"), {**PARAMS, "from": "2022-13"})
    assert response.status_code == 400 and "2022-13" in response.content.decode()


def test_service_lists_add_up(clerk: User, clerk_b: User, approver: User) -> None:
    build_services(clerk, clerk_b, approver)
    client = client_for(approver)
    report = {r.key: r for r in s.summary(ReportQuery(JAN, MAR, COUNTY), approver).services}
    for key, row in report.items():
        response = client.get(url(key), PARAMS)
        assert response.status_code == 200, key
        assert response.context["drill"].total == row.value == len(response.context["drill"].rows)
        assert not FULL_ID.search(response.content.decode())


def test_queries_per_page_do_not_grow(clerk: User, approver: User, paid_line: Any) -> None:
    client = client_for(approver)

    def count(key: str) -> int:
        ledger.ensure_current()  # the ledger's upkeep is counted in test_ledger
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(key), PARAMS).status_code == 200
        return len(ctx.captured_queries)

    first = make_household(clerk, members=1)
    paid_line(first, "dibao", JAN, "650.00", persons=2)
    paid_line(first, "tekun_basic", JAN, "845.00", person=first.members.first())
    few = {key: count(key) for key in ("dibao_rural", "tekun")}
    for i in range(8):
        home = make_household(clerk, name=f"户{i}", members=1)
        paid_line(home, "dibao", JAN, "650.00", persons=2)
        paid_line(home, "tekun_basic", JAN, "845.00", person=home.members.first())
        paid_line(home, "tekun_care", JAN, "150.00", person=home.members.first())
    assert {key: count(key) for key in few} == few


def test_pages_of_fifty(clerk: User, approver: User, paid_line: Any) -> None:
    """One row per beneficiary and year: 11 households over 5 years are 55 rows."""
    homes = [make_household(clerk, name=f"户{i}") for i in range(11)]
    for i in range(55):
        paid_line(homes[i % 11], "temporary", date(2000 + i // 11, i % 12 + 1, 1), "10.00")
    params = {"from": "2000-01", "to": "2004-12", "area": COUNTY}
    response = client_for(approver).get(url("temporary"), params)
    assert len(response.context["drill"].rows) == 50
    assert response.context["drill"].total.amount == Decimal("550.00")
    second = client_for(approver).get(url("temporary"), {**params, "page": 2})
    assert len(second.context["drill"].rows) == 5
