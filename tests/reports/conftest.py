"""Paid payment lines for report tests, written straight into the tables the payroll
fills (run, enrolment, line) so a test controls every figure."""

from __future__ import annotations

from collections.abc import Callable
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
