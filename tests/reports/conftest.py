"""Paid payment lines for report tests, written straight into the tables the payroll
fills (run, enrolment, line) so a test controls every figure; and each figure computed
line by line in Python, from the issue's own definitions, to compare the reports with."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safetynet.benefits.models import Enrollment, beneficiary_key
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun, RunStatus
from safetynet.registry.models import Household, Person

PaidLine = Callable[..., PaymentLine]


@pytest.fixture
def paid_line(db: Any) -> PaidLine:
    """``paid_line(household, "dibao", date(2022, 8, 1), "650.00", persons=2)``; pass
    ``person=`` for person-level programmes and ``status=`` for a line not (yet) paid."""
    runs: dict[tuple[str, date], PayrollRun] = {}

    def make(household: Household, program: str, period: date, amount: str | Decimal,
             person: Person | None = None, persons: int = 1,
             status: str = LineStatus.PAID) -> PaymentLine:
        run = runs.get((program, period))
        if run is None:
            run = PayrollRun.objects.create(program=program, period=period,
                                            status=RunStatus.CLOSED)
            runs[(program, period)] = run
        enrolment, _created = Enrollment.objects.get_or_create(
            program=program, beneficiary=beneficiary_key(household.pk, getattr(person, "pk", None)),
            defaults={"household": household, "person": person, "approved_on": period,
                      "start_month": period, "amount_from": period,
                      "monthly_amount": Decimal(amount), "persons": persons})
        line = PaymentLine.objects.create(
            run=run, program=program, period=period, beneficiary=enrolment.beneficiary,
            enrollment=enrolment, household=household, person=person,
            area_id=household.area_id, township=household.area_id[:9],
            monthly_amount=Decimal(amount), amount=Decimal(amount), persons=persons,
            status=status)
        run.lines += 1
        run.total += Decimal(amount)
        run.save(update_fields=["lines", "total"])
        return line

    return make


# figure -> (programmes, hukou), as the issue defines them (not read from reports.lines)
PROGRAMS = {
    "dibao_rural": ({"dibao"}, "rural"), "dibao_urban": ({"dibao"}, "urban"),
    "tekun_basic": ({"tekun_basic"}, ""), "tekun_care": ({"tekun_care"}, ""),
    "tekun": ({"tekun_basic", "tekun_care"}, ""), "temporary": ({"temporary"}, ""),
    "disability_living": ({"disability_living"}, ""),
    "disability_nursing": ({"disability_nursing"}, ""),
    "disability": ({"disability_living", "disability_nursing"}, ""),
    "orphan_allowance": ({"orphan_allowance"}, ""),
    "elderly_allowance": ({"elderly_allowance"}, ""),
}
HOUSEHOLD_LEVEL = {"dibao_rural", "dibao_urban", "temporary"}


def from_lines(key: str, months: Iterable[date], area: str,
               visible: tuple[str, ...] = ("",)) -> tuple[int, int, Decimal]:
    """(households, persons, yuan) of figure ``key`` over the paid lines of ``months`` in
    ``area`` (and inside the ``visible`` areas), line by line: households distinct;
    persons distinct, or for household-level figures the most persons per household."""
    programs, hukou = PROGRAMS[key]
    wanted = set(months)
    lines = [x for x in PaymentLine.objects.select_related("household")
             if x.status == LineStatus.PAID and x.period in wanted
             and x.area_id.startswith(area) and x.area_id.startswith(visible)
             and x.program in programs and (not hukou or x.household.hukou == hukou)]
    most: dict[int, int] = {}
    for x in lines:
        most[x.household_id] = max(most.get(x.household_id, 0), x.persons)
    persons = (sum(most.values()) if key in HOUSEHOLD_LEVEL
               else len({x.person_id for x in lines}))
    return len(most), persons, sum((x.amount for x in lines), Decimal("0.00"))
