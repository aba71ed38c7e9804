"""The ledger equals the paid lines it is built from, and follows them when they change."""

from __future__ import annotations

from datetime import date
from typing import Any

from safetynet.core.actor import Actor
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun
from safetynet.registry import services
from safetynet.reports import ledger
from safetynet.reports.lines import PAYMENT_BY_KEY, PAYMENT_FIGURES
from safetynet.reports.models import LedgerRow
from safetynet.reports.query import ReportQuery
from tests.conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_B, make_household
from tests.reports.conftest import from_lines

JAN, AUG, DEC = date(2022, 1, 1), date(2022, 8, 1), date(2022, 12, 1)
NEXT_JAN = date(2023, 1, 1)


def direct(key: str, query: ReportQuery) -> tuple[int, int, int]:
    """The figure counted straight from the paid lines, in Python (fen)."""
    households, persons, yuan = from_lines(key, query.months, query.area)
    return households, persons, int(yuan * 100)


def test_cells_equal_the_lines_over_years_areas_and_months(paid_line: Any, clerk: Any,
                                                          clerk_b: Any) -> None:
    home = make_household(clerk, members=2)
    far = make_household(clerk_b, village=VILLAGE_B, members=1)
    head = home.members.order_by("pk").first()
    other = far.members.order_by("pk").first()
    for month in (JAN, AUG, DEC, NEXT_JAN):
        paid_line(home, "dibao", month, "650.00", persons=3 if month == AUG else 2)
        paid_line(home, "tekun_basic", month, "845.00", person=head)
        paid_line(far, "disability_nursing", month, "150.00", person=other)
    paid_line(home, "tekun_care", AUG, "150.00", person=head)
    paid_line(far, "disability_living", AUG, "195.00", person=other)
    paid_line(far, "dibao", AUG, "300.00", persons=1, status=LineStatus.FAILED)
    for query in (ReportQuery(JAN, NEXT_JAN, COUNTY), ReportQuery(AUG, AUG, COUNTY),
                  ReportQuery(date(2022, 2, 1), DEC, TOWN_A), ReportQuery(DEC, NEXT_JAN, TOWN_B)):
        found = ledger.cells(query, None, PAYMENT_FIGURES)[query.area]
        for figure in PAYMENT_FIGURES:
            cell = found.get(figure.key, ledger.Totals())
            assert (cell.households, cell.persons, cell.fen) == direct(figure.key, query), (
                figure.key, query)


def test_cells_by_unit_and_month(paid_line: Any, clerk: Any, clerk_b: Any) -> None:
    home = make_household(clerk, members=1)
    far = make_household(clerk_b, village=VILLAGE_B)
    for month in (JAN, AUG):
        paid_line(home, "dibao", month, "650.00", persons=2)
    paid_line(far, "dibao", AUG, "500.00", persons=1)
    query = ReportQuery(JAN, AUG, COUNTY)
    units = ledger.cells(query, None, [PAYMENT_BY_KEY["dibao_rural"]], ledger.UNIT)
    assert units[TOWN_A]["dibao_rural"] == ledger.Totals(1, 2, 130000)
    assert units[TOWN_B]["dibao_rural"] == ledger.Totals(1, 1, 50000)
    months = ledger.cells(query, None, [PAYMENT_BY_KEY["dibao_rural"]], ledger.MONTH)
    assert months["2022-08"]["dibao_rural"] == ledger.Totals(2, 3, 115000)
    assert "dibao_rural" not in months.get("2022-03", {})  # nothing paid that month


def test_jurisdiction_applies(paid_line: Any, clerk: Any, clerk_b: Any) -> None:
    paid_line(make_household(clerk), "dibao", AUG, "650.00")
    query = ReportQuery(AUG, AUG, COUNTY)
    assert "dibao_rural" in ledger.cells(query, clerk, PAYMENT_FIGURES)[COUNTY]
    assert ledger.cells(query, clerk_b, PAYMENT_FIGURES) == {}


def test_rebuilt_only_when_runs_change(paid_line: Any, clerk: Any) -> None:
    household = make_household(clerk)
    line = paid_line(household, "dibao", AUG, "650.00")
    assert ledger.ensure_current() == 1
    assert ledger.ensure_current() == 0
    assert LedgerRow.objects.get().f8 == 65000
    PayrollRun.objects.filter(pk=line.run_id).update(status="exported")  # e.g. a return read
    PaymentLine.objects.filter(pk=line.pk).update(status=LineStatus.FAILED)
    assert ledger.ensure_current() == 1
    assert not LedgerRow.objects.exists()


def test_hukou_split_follows_a_full_rebuild(paid_line: Any, clerk: Any) -> None:
    household = make_household(clerk)
    paid_line(household, "dibao", AUG, "650.00")
    query = ReportQuery(AUG, AUG, COUNTY)
    assert "dibao_rural" in ledger.cells(query, None, PAYMENT_FIGURES)[COUNTY]
    services.update_household(Actor.of(clerk), household, {"hukou": "urban"})
    ledger.rebuild_all()
    found = ledger.cells(query, None, PAYMENT_FIGURES)[COUNTY]
    assert "dibao_urban" in found and "dibao_rural" not in found


def test_refresh_command(paid_line: Any, clerk: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    paid_line(make_household(clerk), "dibao", AUG, "650.00")
    out = StringIO()
    call_command("report", "refresh", stdout=out)
    assert "programme years rebuilt: 1" in out.getvalue()
    assert LedgerRow.objects.get().f8 == 65000
