"""The monitored list: recomputed with the rules engine, entries and exits over time, the
income-fall warning, and the recompute after every import."""

from __future__ import annotations

from datetime import date
from typing import Any

from safetynet.discovery import monitoring
from safetynet.discovery.models import EarlyWarning, MonitorEntry, MonitoringRun
from safetynet.registry.models import IncomeItem, RigidExpense
from tests.discovery.conftest import head, import_rows
from tests.discovery.test_warnings import enrol

ON = date(2022, 9, 1)


def wages(household: Any, amount: int) -> None:
    IncomeItem.objects.filter(person__household=household).delete()
    IncomeItem.objects.create(person=head(household), kind="wages", monthly_amount=amount)


def open_categories(household: Any) -> set[str]:
    return set(MonitorEntry.objects.filter(household=household, exited_on__isnull=True)
               .values_list("category", flat=True))


def test_low_income_households_enter_and_exit(household: Any) -> None:
    wages(household, 2000)  # 1,000 a head: standard 650 ≤ 1,000 < 2 × 650
    run = monitoring.recompute(ON, "test")
    assert open_categories(household) == {"low_income"}
    assert (run.entered, run.exited, run.total) == (1, 0, 1)
    wages(household, 3000)  # 1,500 a head: out
    run = monitoring.recompute(date(2022, 10, 1), "test")
    assert open_categories(household) == set() and run.exited == 1
    entry = MonitorEntry.objects.get(household=household)
    assert (entry.entered_on, entry.exited_on) == (ON, date(2022, 10, 1))


def test_an_unchanged_household_stays_one_entry(household: Any) -> None:
    wages(household, 2000)
    monitoring.recompute(ON)
    run = monitoring.recompute(ON)
    assert (run.entered, run.exited) == (0, 0)
    assert MonitorEntry.objects.count() == 1


def test_dibao_enrolment_and_ended_support_are_monitored(household: Any) -> None:
    enrolment = enrol(household, "dibao")
    monitoring.recompute(ON)
    assert "dibao" in open_categories(household)
    enrolment.status, enrolment.end_month = "ended", date(2022, 8, 1)
    enrolment.save()
    monitoring.recompute(ON)
    assert "at_risk" in open_categories(household) and "dibao" not in open_categories(household)


def test_a_monitored_household_falling_under_twice_the_standard_warns(household: Any) -> None:
    wages(household, 2800)  # 1,400 a head, above the 1,300 line
    RigidExpense.objects.create(household=household, kind="medical", monthly_amount=1600)
    monitoring.recompute(ON)
    assert open_categories(household) == {"rigid_expenditure"}
    assert not EarlyWarning.objects.exists()
    wages(household, 2602)  # 1,301 a head: still above the line
    monitoring.recompute(ON)
    assert not EarlyWarning.objects.exists()
    wages(household, 2598)  # 1,299 a head: under
    monitoring.recompute(ON)
    warning = EarlyWarning.objects.get(rule="income_fall")
    assert warning.facts["line"] == "1300.00" and warning.facts["income"] == "1299.00"


def test_every_import_recomputes_the_list(county_officer: Any, household: Any) -> None:
    import_rows(county_officer, "hotline", [{"id_number": head(household).id_number,
                                             "ticket": "1", "received_on": "2022-08-01",
                                             "summary": "困难"}])
    assert MonitoringRun.objects.get().trigger.startswith("import")
