"""The demo county's January–September 2022, run through enrolments and the payroll."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from safetynet.benefits.models import Enrollment, Program
from safetynet.demo import history
from safetynet.demo.enrolments import START, start_of
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun, RunStatus
from safetynet.policy import temporary_assistance
from tests.demo.test_commands import run

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_its_2022_history() -> None:
    """One demo build (they are slow) checked for every property of the history."""
    output = run("demo")
    assert "payment lines paid" in output
    _closed_runs()
    _months_pay_the_enrolments_in_force()
    _temporary_grants_are_the_rules_amount_for_the_whole_household()
    runs = PayrollRun.objects.count()
    assert history.build("320722") is None  # built once
    run("demo", "--if-missing")
    assert PayrollRun.objects.count() == runs


def _closed_runs() -> None:
    runs = PayrollRun.objects.all()
    assert runs.exists() and not runs.exclude(status=RunStatus.CLOSED).exists()
    assert set(runs.values_list("period__month", flat=True)) == set(range(1, 10))
    # Every line is paid but those held for want of a benefit card account.
    assert not PaymentLine.objects.exclude(status__in=[LineStatus.PAID, LineStatus.HELD]).exists()
    held = PaymentLine.objects.filter(status=LineStatus.HELD)
    assert all(not line.bank_account for line in held)
    quarterly = set(runs.filter(program=Program.ELDERLY_ALLOWANCE)
                    .values_list("period__month", flat=True))
    assert quarterly <= {1, 4, 7}
    for run_ in runs:  # the approver is never the preparer, each run adds up to its lines
        assert run_.approved_by_id and run_.approved_by_id != run_.prepared_by_id
        total = run_.payment_lines.aggregate(s=Sum("amount"))["s"] or Decimal(0)
        assert total == run_.total and run_.payment_lines.count() == run_.lines


def _months_pay_the_enrolments_in_force() -> None:
    month = date(2022, 5, 1)
    expected = Enrollment.objects.filter(
        program=Program.DIBAO, start_month__lte=month).exclude(end_month__lt=month)
    paid = PaymentLine.objects.filter(program=Program.DIBAO, period=month)
    assert paid.count() == expected.count()
    assert paid.aggregate(s=Sum("amount"))["s"] == expected.aggregate(
        s=Sum("monthly_amount"))["s"]
    assert (paid.values("beneficiary").annotate(n=Count("pk")).filter(n__gt=1).count()) == 0


def _temporary_grants_are_the_rules_amount_for_the_whole_household() -> None:
    grants = Enrollment.objects.filter(program=Program.TEMPORARY).select_related("household")
    assert grants.exists()
    for grant in grants:
        size = grant.household.members.filter(deceased_on__isnull=True).count()
        assert grant.persons == size >= 3
        assert grant.start_month == grant.end_month
        assert START <= grant.start_month <= history.LAST_MONTH
        months = [m for m in range(1, 13) if temporary_assistance(
            "emergency", m, size, area_code=grant.household.area_id,
            hukou=grant.household.hukou, on=grant.approved_on).amount == grant.monthly_amount]
        assert months, grant
        line = PaymentLine.objects.get(enrollment=grant)
        assert (line.period, line.amount) == (grant.start_month, Decimal(grant.monthly_amount))


def test_some_beneficiaries_join_during_the_year() -> None:
    approved, start = start_of("tekun_basic", 7)
    assert start_of("tekun_basic", 7) == (approved, start)  # the same every time
    starts = {start_of("tekun_basic", key)[1] for key in range(400)}
    assert START in starts and len(starts) > 3
    assert max(starts) <= history.LAST_MONTH
    assert {start_of("elderly_allowance", key)[1] for key in range(400)} == {START}
