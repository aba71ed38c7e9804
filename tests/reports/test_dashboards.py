"""Every number a dashboard panel shows equals a count or sum computed here, independently
and in Python, over the records the test created; each panel stays inside the user's
jurisdiction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.children.models import ChildProfile, HotlineCase
from safetynet.discovery.models import EarlyWarning
from safetynet.eldercare.models import Assessment
from safetynet.intake.models import Application, Referral
from safetynet.payments.models import PaymentLine, PayrollRun
from safetynet.registry.models import Household, Person
from safetynet.reports import dashboards as d
from safetynet.reports.lines import PAYMENT_BY_KEY, PAYMENT_FIGURES
from safetynet.reports.query import ReportQuery
from tests.conftest import (
    COUNTY,
    TOWN_A,
    TOWN_B,
    VILLAGE_A,
    VILLAGE_A2,
    VILLAGE_B,
    make_household,
)
from tests.reports.conftest import from_lines

DEC, JAN, FEB, MAR = date(2021, 12, 1), date(2022, 1, 1), date(2022, 2, 1), date(2022, 3, 1)
QUARTER = ReportQuery(JAN, MAR, COUNTY)
ALL_KEYS = [f.key for f in PAYMENT_FIGURES]


def members(household: Household) -> list[Person]:
    return list(household.members.order_by("pk"))


@pytest.fixture
def lines(clerk: User, clerk_b: User, paid_line: Any) -> dict[str, Household]:
    """Households in both townships, rural and urban, with paid, pending, failed and
    out-of-range lines; one person in both tekun programmes and both disability ones; a
    dibao household whose persons change between months."""
    h1 = make_household(clerk, village=VILLAGE_A, name="王小明", members=2)
    h2 = make_household(clerk, village=VILLAGE_A2, name="李四")
    Household.objects.filter(pk=h2.pk).update(hukou="urban")
    h2.refresh_from_db()
    h3 = make_household(clerk_b, village=VILLAGE_B, name="赵五", members=1)
    h4 = make_household(clerk_b, village=VILLAGE_B, name="钱六", members=1)
    p1, p1b, _p1c = members(h1)
    p3, p3b = members(h3)
    paid_line(h1, "dibao", JAN, "900.00", persons=3)
    paid_line(h1, "dibao", FEB, "600.00", persons=2)
    paid_line(h1, "dibao", MAR, "600.00", persons=2, status="pending")
    paid_line(h1, "dibao", DEC, "900.00", persons=3)  # before the report
    paid_line(h2, "dibao", JAN, "500.00", persons=1)
    paid_line(h3, "dibao", FEB, "1300.00", persons=2)
    paid_line(h4, "dibao", FEB, "650.00", persons=2, status="failed")
    paid_line(h1, "tekun_basic", JAN, "845.00", person=p1)
    paid_line(h1, "tekun_care", JAN, "150.00", person=p1)
    paid_line(h1, "tekun_basic", FEB, "845.00", person=p1)
    paid_line(h3, "tekun_basic", MAR, "845.00", person=p3)
    paid_line(h1, "disability_living", JAN, "100.00", person=p1b)
    paid_line(h1, "disability_nursing", JAN, "100.00", person=p1b)
    paid_line(h3, "disability_nursing", FEB, "100.00", person=p3b)
    paid_line(h3, "temporary", MAR, "2000.00", persons=2)
    paid_line(h1, "orphan_allowance", FEB, "1646.00", person=p1b)
    paid_line(h3, "elderly_allowance", JAN, "300.00", person=p3)
    return {"h1": h1, "h2": h2, "h3": h3, "h4": h4}


def expected(key: str, months: set[date], area: str,
             visible: tuple[str, ...] = (COUNTY,)) -> tuple[int, int, Decimal]:
    """(households, persons, yuan) of one figure, computed line by line in Python."""
    return from_lines(key, months, area, visible)


def as_tuple(cell: d.Cell) -> tuple[int, int, Decimal]:
    return cell.households, cell.persons, cell.yuan


# --- money panels ------------------------------------------------------------------------------


def test_headline_equals_independent_counts(lines: dict[str, Household]) -> None:
    panel = d.headline(QUARTER, None, ALL_KEYS)
    for head, cell in panel.items:
        assert as_tuple(cell) == expected(head.key, {JAN, FEB, MAR}, COUNTY), head.key
    found = {h.key: c for h, c in panel.items}
    assert as_tuple(found["dibao_rural"]) == (2, 5, Decimal("2800.00"))
    assert as_tuple(found["tekun"]) == (2, 2, Decimal("2685.00"))  # p1 in both, once
    assert as_tuple(found["disability"]) == (2, 2, Decimal("300.00"))
    assert found["dibao_rural"].wan == "0.28"


def test_townships_equal_independent_counts(lines: dict[str, Household]) -> None:
    panel = d.townships(QUARTER, None, ALL_KEYS, "leader", "yuan")
    assert [(r.code, r.name) for r in panel.rows] == [(TOWN_A, "牛山镇"), (TOWN_B, "白塔埠镇")]
    for row in panel.rows:
        for key, cell in zip(ALL_KEYS, row.cells, strict=True):
            assert as_tuple(cell) == expected(key, {JAN, FEB, MAR}, row.code), (row.code, key)
    town_b = panel.rows[1]
    dibao = town_b.cells[ALL_KEYS.index("dibao_rural")]
    assert dibao.url == ("/reports/records/dibao_rural/"
                         "?from=2022-01&to=2022-03&area=320722101")
    assert town_b.shown[ALL_KEYS.index("dibao_rural")][1] == "1,300.00"
    assert town_b.url.startswith("/reports/dashboard/leader/?") and "area=320722101" in town_b.url


def test_villages_of_a_township(lines: dict[str, Household]) -> None:
    query = ReportQuery(JAN, MAR, TOWN_A)
    panel = d.townships(query, None, ALL_KEYS, "leader")
    assert [r.code for r in panel.rows] == [VILLAGE_A2, VILLAGE_A]  # code order
    for row in panel.rows:
        for key, cell in zip(ALL_KEYS, row.cells, strict=True):
            assert as_tuple(cell) == expected(key, {JAN, FEB, MAR}, row.code), (row.code, key)
    assert panel.rows[0].url == ""  # villages have nothing below them


def test_trend_equals_independent_counts_per_month(lines: dict[str, Household]) -> None:
    panel = d.trend(QUARTER, None, ALL_KEYS, "leader", "households")
    assert [r.code for r in panel.rows] == ["2022-01", "2022-02", "2022-03"]
    for row, month in zip(panel.rows, (JAN, FEB, MAR), strict=True):
        for key, cell in zip(ALL_KEYS, row.cells, strict=True):
            assert as_tuple(cell) == expected(key, {month}, COUNTY), (month, key)
    jan = panel.rows[0]
    assert jan.cells[0].url.endswith("?from=2022-01&to=2022-01&area=320722")
    assert "from=2022-01&to=2022-01" in jan.url
    series = {s["name"]: s for s in panel.chart["series"]}
    rural = series[str(PAYMENT_BY_KEY["dibao_rural"].label)]
    assert rural["data"] == [1, 2, 0]  # households, the chosen measure
    assert rural["urls"][1].endswith("from=2022-02&to=2022-02&area=320722")


def test_grid_chart_carries_values_labels_and_links(lines: dict[str, Household]) -> None:
    panel = d.townships(QUARTER, None, ["dibao_rural", "temporary"], "leader", "yuan")
    chart = panel.chart
    assert chart["y"] == ["牛山镇", "白塔埠镇"]
    assert chart["points"] == [[0, 0, 1500.0], [1, 0, 0.0], [0, 1, 1300.0], [1, 1, 2000.0]]
    assert chart["labels"][3] == "0.20"  # 万元
    assert chart["urls"][2].startswith("/reports/records/dibao_rural/?")


def test_jurisdiction_of_another_township(lines: dict[str, Household], clerk_b: User) -> None:
    query = ReportQuery(JAN, MAR, TOWN_B)
    mine = d.headline(query, clerk_b, ALL_KEYS)
    for head, cell in mine.items:
        assert as_tuple(cell) == expected(head.key, {JAN, FEB, MAR}, TOWN_B), head.key
    # even over the whole county, clerk_b sees nothing of township A
    county = d.townships(QUARTER, clerk_b, ALL_KEYS, "assistance")
    town_a = county.rows[0]
    assert town_a.code == TOWN_A
    assert all(as_tuple(c) == (0, 0, Decimal("0.00")) for c in town_a.cells)
    assert d.latest_paid_month(clerk_b) == MAR


def test_latest_paid_month(lines: dict[str, Household], clerk: User, approver: User) -> None:
    assert d.latest_paid_month(approver) == MAR
    assert d.latest_paid_month(clerk) == FEB  # township A's March line is pending


def test_payment_status_by_programme(lines: dict[str, Household], approver: User) -> None:
    panel = d.payments(QUARTER, approver)
    rows = {r.program: r for r in panel.rows}
    dibao = rows["dibao"]
    statuses = list(d.LINE_STATUSES)
    by = dict(zip(statuses, dibao.lines, strict=True))
    for status in statuses:
        found = [x for x in PaymentLine.objects.filter(program="dibao", status=status)
                 if JAN <= x.period <= MAR]
        assert by[status].lines == len(found)
        assert by[status].yuan == sum((x.amount for x in found), Decimal("0.00"))
    assert (by["paid"].lines, by["pending"].lines, by["failed"].lines) == (4, 1, 1)
    runs = PayrollRun.objects.filter(program="dibao", period__gte=JAN, period__lte=MAR)
    assert sum(dibao.runs.values()) == runs.count() == 3
    assert sum(c.lines for c in panel.totals) == PaymentLine.objects.filter(
        period__gte=JAN, period__lte=MAR).count()
    assert [s["name"] for s in panel.chart["series"]] == panel.statuses


def test_payment_status_inside_jurisdiction(lines: dict[str, Household], clerk: User) -> None:
    panel = d.payments(ReportQuery(JAN, MAR, TOWN_A), clerk)
    by = dict(zip(d.LINE_STATUSES, {r.program: r for r in panel.rows}["dibao"].lines,
                  strict=True))
    assert (by["paid"].lines, by["pending"].lines, by["failed"].lines) == (3, 1, 0)


# --- work and services ---------------------------------------------------------------------------


@pytest.fixture
def work(clerk: User, clerk_b: User) -> dict[str, Any]:
    """Late and not-yet-late work in both townships."""
    today = timezone.localdate()
    late, soon = today - timedelta(days=3), today + timedelta(days=3)
    ha = make_household(clerk, village=VILLAGE_A, name="孙七", members=2)
    hb = make_household(clerk_b, village=VILLAGE_B, name="周八", members=1)
    head_a, kid_a, kid_a2 = members(ha)
    head_b, kid_b = members(hb)
    n = iter(range(100))

    def application(h: Household, due: date, state: str = "received") -> None:
        Application.objects.create(number=f"A{next(n)}", kind="dibao", household=h,
                                   applicant=h.members.first(), area=h.area, reason="x",
                                   state=state, due_on=due, created_by=clerk)

    application(ha, late)
    application(ha, late, state="refused")  # closed: not late work
    application(hb, late)
    application(hb, soon)
    for h, due in ((ha, late), (ha, soon), (hb, late)):
        Referral.objects.create(number=f"R{next(n)}", household=h, area=h.area,
                                department="education", subject="x", description="x",
                                due_on=due, sent_by=clerk)
    for h, due, status in ((ha, late, "open"), (ha, late, "done"), (hb, late, "open"),
                           (hb, soon, "open")):
        EarlyWarning.objects.create(rule="r", severity="high", household=h, area=h.area,
                                    raised_on=late, last_signal_on=late, due_on=due,
                                    status=status)
    child = {"registered_on": late, "created_by": clerk}
    ChildProfile.objects.create(person=kid_a, area=ha.area, next_visit_due=late,
                                categories=",left_behind,", guardianship_signed_on=late, **child)
    ChildProfile.objects.create(person=kid_a2, area=ha.area, next_visit_due=soon, **child)
    ChildProfile.objects.create(person=kid_b, area=hb.area, next_visit_due=late, active=False,
                                **child)
    for due, state in ((late, "open"), (soon, "open"), (late, "closed")):
        HotlineCase.objects.create(number=f"C{next(n)}", received_at=timezone.now(),
                                   child_name="小明", area=ha.area, what_happened="x",
                                   kind="complaint", responsible=clerk, due_on=due, state=state,
                                   created_by=clerk)

    def assessment(person: Person, on: date, next_due: date) -> None:
        Assessment.objects.create(person=person, area=person.household.area, assessed_on=on,
                                  assessor=clerk, self_care_score=10, motor_score=10,
                                  mental_score=10, perception_score=10, total=40,
                                  preliminary_grade=2, grade=2, next_due=next_due)

    assessment(head_a, today - timedelta(days=400), late)
    assessment(head_b, today - timedelta(days=400), late)
    assessment(head_b, today - timedelta(days=10), today + timedelta(days=300))  # redone
    return {"today": today}


def test_overdue_work_per_township(work: dict[str, Any], approver: User) -> None:
    table = d.overdue(QUARTER, approver)
    assert [r.code for r in table.rows] == [TOWN_A, TOWN_B]
    assert len(table.columns) == 6
    a, b = (r.counts for r in table.rows)
    # steps, referrals, warnings, child visits, 12345 cases, reassessments
    assert a == [1, 1, 1, 1, 1, 1]
    assert b == [1, 1, 1, 0, 0, 0]
    assert table.totals == [2, 2, 2, 1, 1, 1]
    assert table.chart["series"][0]["data"] == [1, 1]


def test_overdue_work_inside_jurisdiction(work: dict[str, Any], clerk_b: User) -> None:
    table = d.overdue(QUARTER, clerk_b)
    assert table.totals == [1, 1, 1, 0, 0, 0]
    assert table.rows[0].counts == [0] * 6


def test_children_panel(work: dict[str, Any], approver: User) -> None:
    table = d.children(QUARTER, approver)
    a, b = (r.counts for r in table.rows)
    # followed, left-behind, signed, overdue, cases open, cases late
    assert a == [2, 1, 1, 1, 2, 1]
    assert b == [0, 0, 0, 0, 0, 0]


def test_eldercare_panel_reassessments(work: dict[str, Any], approver: User) -> None:
    table = d.eldercare(QUARTER, approver)
    assert table.columns[-1]
    assert [r.counts[-1] for r in table.rows] == [1, 0]


def test_discovery_panel(work: dict[str, Any], approver: User) -> None:
    found = d.discovery(QUARTER, approver)
    assert found.campaign is None
    a, b = (r.counts for r in found.table.rows)
    assert a[:3] == [1, 1, 0] and b[:3] == [2, 1, 0]


# --- dashboards --------------------------------------------------------------------------------


def test_every_role_that_reads_has_a_default_dashboard() -> None:
    from safetynet.reports.permissions import READERS

    assert d.default_dashboard(type("U", (), {"role": "leader"})()).name == "leader"
    for role in READERS:
        board = d.default_dashboard(type("U", (), {"role": role})())
        assert board.name in d.DASHBOARD_BY_NAME
    assert {b.name for b in d.DASHBOARDS} == {"leader", "assistance", "finance", "eldercare",
                                              "children", "discovery"}
    for board in d.DASHBOARDS:
        assert all(k in PAYMENT_BY_KEY for k in board.figures)


def test_build_runs_each_panel(lines: dict[str, Household], approver: User) -> None:
    for board in d.DASHBOARDS:
        panels = d.build(board, QUARTER, approver)
        assert [p.name for p in panels] == [
            n for n in board.panels if board.figures or n not in d.MONEY_PANELS]
    leader = {p.name: p.data for p in d.build(d.DASHBOARD_BY_NAME["leader"], QUARTER,
                                              approver)}
    assert leader["grid"] is leader["townships"]
    assert leader["townships"].total.cells[0].yuan == Decimal("2800.00")


def test_area_choices(county: Any, clerk: User, approver: User) -> None:
    assert [c for c, _n in d.area_choices(approver)] == [COUNTY, TOWN_A, TOWN_B]
    assert [c for c, _n in d.area_choices(clerk)] == [TOWN_A, VILLAGE_A2, VILLAGE_A]


def test_no_areas_no_figures(lines: dict[str, Household]) -> None:
    nobody = User.objects.create_user(username="nobody", password="x", role="leader")
    panel = d.headline(QUARTER, nobody, ALL_KEYS)
    assert all(as_tuple(c) == (0, 0, Decimal("0.00")) for c in panel.cells)
