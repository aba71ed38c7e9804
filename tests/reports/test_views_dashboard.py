"""The dashboard pages: who may open them, the default dashboard and months, the form's
errors, links to the drill-down lists, chart data that parses, and a fixed number of
queries whatever the amount of data."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.reports import dashboards as d
from safetynet.reports import ledger
from tests.conftest import (
    COUNTY,
    TOWN_A,
    TOWN_B,
    VILLAGE_A,
    VILLAGE_B,
    client_for,
    make_household,
    make_user,
)

AUG, JUL = date(2022, 8, 1), date(2022, 7, 1)
BOARDS = [b.name for b in d.DASHBOARDS]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """The figures are remembered per data version; ids repeat between tests."""
    cache.clear()


@pytest.fixture
def leader(county: Any) -> User:
    return make_user("leader_c", Role.LEADER, county[COUNTY])


@pytest.fixture
def paid(clerk: User, clerk_b: User, paid_line: Any) -> dict[str, Any]:
    a = make_household(clerk, village=VILLAGE_A, name="王小明", members=1)
    b = make_household(clerk_b, village=VILLAGE_B, name="赵五", members=2)
    paid_line(a, "dibao", JUL, "650.00", persons=2)
    paid_line(a, "dibao", AUG, "650.00", persons=2)
    paid_line(b, "dibao", AUG, "1300.00", persons=3)
    paid_line(b, "temporary", AUG, "2000.00", persons=3)
    return {"a": a, "b": b}


def url(name: str = "leader", **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/reports/dashboard/{name}/" + (f"?{query}" if query else "")


@pytest.mark.parametrize("name", BOARDS)
def test_each_dashboard_renders_for_a_reader(name: str, leader: User, paid: Any) -> None:
    response = client_for(leader).get(url(name))
    assert response.status_code == 200
    assert response.context["board"].name == name
    charts(response)  # every chart's data parses


@pytest.mark.parametrize("name", BOARDS)
def test_partner_is_refused(name: str, county: Any) -> None:
    partner = make_user("partner_1", Role.PARTNER, county[COUNTY])
    assert client_for(partner).get(url(name)).status_code == 403
    assert client_for(partner).get("/reports/").status_code == 403


@pytest.mark.parametrize("path", ["/reports/", url("leader"), url("finance")])
def test_anonymous_goes_to_login(client: Any, path: str, county: Any) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_unknown_dashboard_is_404(leader: User) -> None:
    assert client_for(leader).get(url("nonsense")).status_code == 404


@pytest.mark.parametrize(("role", "board"), [
    (Role.LEADER, "leader"), (Role.CLERK, "assistance"), (Role.APPROVER, "assistance"),
    (Role.OFFICER, "assistance"), (Role.FINANCE, "finance"), (Role.VILLAGE, "discovery"),
    (Role.CHILD_DIRECTOR, "children"), (Role.CHILD_SUPERVISOR, "children")])
def test_home_opens_the_role_s_dashboard(role: str, board: str, county: Any) -> None:
    user = make_user(f"u_{role}", role, county[TOWN_A])
    response = client_for(user).get("/reports/?from=2022-08")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/dashboard/{board}/?from=2022-08"


def test_default_months_end_with_the_last_month_paid(leader: User, paid: Any) -> None:
    response = client_for(leader).get(url())
    query = response.context["query"]
    assert (query.start, query.end, query.area) == (date(2022, 1, 1), AUG, COUNTY)
    assert 'value="2022-01"' in response.text and 'value="2022-08"' in response.text


def test_the_leader_finds_rural_dibao_of_one_township_in_august(leader: User,
                                                                 paid: Any) -> None:
    response = client_for(leader).get(url(**{"from": "2022-08", "to": "2022-08"}))
    html = response.text
    link = "/reports/records/dibao_rural/?from=2022-08&amp;to=2022-08&amp;area=320722101"
    row = re.search(r'<tr data-area="320722101">(.*?)</tr>', html, re.S)
    assert row is not None
    assert f'<a href="{link}" data-figure="dibao_rural"' in row.group(1)
    assert "1,300.00" in row.group(1)
    town_a = re.search(r'<tr data-area="320722100">(.*?)</tr>', html, re.S)
    assert town_a is not None and "650.00" in town_a.group(1)


def test_one_month_shortcut(leader: User, paid: Any) -> None:
    response = client_for(leader).get(url(month="2022-07"))
    query = response.context["query"]
    assert (query.start, query.end) == (JUL, JUL)


def test_measure_switches_the_numbers(leader: User, paid: Any) -> None:
    response = client_for(leader).get(url(**{"from": "2022-08", "to": "2022-08",
                                             "measure": "persons"}))
    townships = next(p.data for p in response.context["panels"] if p.name == "townships")
    assert townships.measure == "persons"
    assert [t for _c, t in townships.rows[1].shown][:1] == ["3"]
    assert client_for(leader).get(url(measure="nonsense")).context["measure"] == "yuan"


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2022-13"}, "from"), ({"to": "August"}, "to"),
    ({"from": "2022-09", "to": "2022-08"}, "from"), ({"area": "110101"}, "area")])
def test_bad_input_shows_the_form_with_the_error(leader: User, params: dict[str, str],
                                                 field: str, paid: Any) -> None:
    response = client_for(leader).get(url(**params))
    assert response.status_code == 400
    errors = response.context["errors"]
    assert field in errors
    assert errors[field][0] in response.content.decode()
    assert 'class="field invalid"' in response.text
    assert not response.context["panels"]


def test_area_outside_jurisdiction_is_refused(clerk_b: User, paid: Any) -> None:
    response = client_for(clerk_b).get(url("assistance", area=TOWN_A))
    assert response.status_code == 400 and "area" in response.context["errors"]
    assert client_for(clerk_b).get(url("assistance", area=COUNTY)).status_code == 400


def test_clerk_b_sees_nothing_of_township_a(clerk_b: User, paid: Any) -> None:
    response = client_for(clerk_b).get(url("assistance", **{"from": "2022-07",
                                                            "to": "2022-08"}))
    assert response.status_code == 200
    assert response.context["query"].area == TOWN_B
    assert "650.00" not in response.text and "王小明" not in response.text
    assert "1,300.00" in response.text


def test_tabs_keep_the_months_and_area(leader: User, paid: Any) -> None:
    response = client_for(leader).get(url(**{"from": "2022-08", "to": "2022-08",
                                             "area": TOWN_B}))
    tabs = {t["name"]: t["url"] for t in response.context["tabs"]}
    assert tabs["finance"] == ("/reports/dashboard/finance/?from=2022-08&to=2022-08"
                               "&area=320722101&measure=yuan")


def charts(response: Any) -> dict[str, Any]:
    found = re.findall(r'<script id="([\w-]+)" type="application/json">(.*?)</script>',
                       response.content.decode(), re.S)
    divs = set(re.findall(r'data-chart="([\w-]+)"', response.content.decode()))
    assert {name for name, _text in found} == divs
    return {name: json.loads(text) for name, text in found}


def test_chart_data_parses_and_links_to_lists(leader: User, paid: Any) -> None:
    response = client_for(leader).get(url(**{"from": "2022-07", "to": "2022-08"}))
    data = charts(response)
    assert set(data) == {"chart-grid", "chart-trend", "chart-payments"}  # no late work: no chart
    assert data["chart-trend"]["type"] == "line"
    assert data["chart-trend"]["categories"] == ["2022-07", "2022-08"]
    grid = data["chart-grid"]
    assert grid["type"] == "heatmap" and grid["y"] == ["牛山镇", "白塔埠镇"]
    assert all(u.startswith("/reports/records/") for u in grid["urls"])


def add_data(clerk: User, clerk_b: User, paid_line: Any, scale: int) -> None:
    for i in range(scale):
        for user, village in ((clerk, VILLAGE_A), (clerk_b, VILLAGE_B)):
            h = make_household(user, village=village, name=f"户{i}", members=1)
            person = h.members.order_by("pk").first()
            for month in (JUL, AUG):
                paid_line(h, "dibao", month, "650.00", persons=2)
                paid_line(h, "tekun_basic", month, "845.00", person=person)
                paid_line(h, "tekun_care", month, "150.00", person=person)
                paid_line(h, "elderly_allowance", month, "100.00", person=person)


@pytest.mark.parametrize("name", BOARDS)
def test_fixed_number_of_queries(name: str, leader: User, clerk: User, clerk_b: User,
                                 paid_line: Any) -> None:
    client = client_for(leader)
    client.get(url(name))  # warm the session
    counts = []
    for scale in (1, 4):
        add_data(clerk, clerk_b, paid_line, scale)
        ledger.ensure_current()  # the ledger's upkeep is counted in test_ledger
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(name)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 60  # a ledger check (three small queries) per panel included


def test_figures_are_remembered_until_the_payments_change(leader: User, paid: Any,
                                                          paid_line: Any) -> None:
    client = client_for(leader)
    page = url(**{"from": "2022-08", "to": "2022-08"})
    with CaptureQueriesContext(connection) as first:
        client.get(page)
    with CaptureQueriesContext(connection) as again:
        response = client.get(page)
    assert len(again) < len(first)
    assert "1,300.00" in response.text
    paid_line(paid["b"], "dibao", AUG, "1.00", person=paid["b"].members.first())
    response = client.get(page)
    assert "1,301.00" in response.text  # a new line: a new data version
