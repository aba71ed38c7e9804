"""Preparing payroll runs: lines from the enrolments in force, control totals, one payment
per beneficiary and period, idempotent re-runs, interrupted runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safetynet.benefits import services as benefits
from safetynet.core.actor import Actor
from safetynet.payments import payroll, services
from safetynet.payments.models import LineStatus, PaymentLine, PayrollRun, RunStatus

SEPT_TOTAL = Decimal("1350.00") + Decimal("1150.00") + Decimal("1550.00")


def test_run_pays_each_enrolment_in_force_with_control_totals(finance, enrolled):
    run, created = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    assert created and run.status == RunStatus.PREPARED
    assert (run.lines, run.total) == (3, SEPT_TOTAL)
    assert run.control == {"320722100": {"lines": 2, "fen": 250000},
                           "320722101": {"lines": 1, "fen": 155000}}
    lines = list(PaymentLine.objects.filter(run=run).order_by("pk"))
    assert [line.amount for line in lines] == [Decimal("1350.00"), Decimal("1150.00"),
                                               Decimal("1550.00")]
    assert all(line.bank_account.startswith("6228") for line in lines)
    assert lines[0].persons == 3 and lines[0].township == "320722100"


def test_nothing_before_the_start_month(finance, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-08")
    assert run.lines == 0


def test_second_run_reports_the_existing_one_and_adds_nothing(finance, enrolled):
    first, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    again, created = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    assert (again.pk, created) == (first.pk, False)
    assert PaymentLine.objects.count() == 3


def test_database_refuses_a_second_payment_for_the_period(finance, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    line = PaymentLine.objects.filter(run=run).first()
    line.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        line.save()


def test_a_failed_line_does_not_block_another(finance, enrolled):
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    line = PaymentLine.objects.filter(run=run).first()
    PaymentLine.objects.filter(pk=line.pk).update(status=LineStatus.FAILED)
    line.pk, line.status = None, LineStatus.PENDING
    line.save()  # allowed: the first one failed


def test_interrupted_run_leaves_nothing_and_rerun_gives_the_same_lines(finance, enrolled):
    real_insert = payroll.insert_lines

    def crash(rows):
        real_insert(rows)
        raise KeyboardInterrupt  # the process is stopped after writing the lines

    with mock.patch.object(payroll, "insert_lines", side_effect=crash), \
            pytest.raises(KeyboardInterrupt):
        services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    run = PayrollRun.objects.get()
    assert run.status == RunStatus.PREPARING and not PaymentLine.objects.exists()
    again, created = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    assert not created and again.pk == run.pk and again.status == RunStatus.PREPARED
    assert (again.lines, again.total) == (3, SEPT_TOTAL)
    reference, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-10")
    october = sorted(PaymentLine.objects.filter(run=reference).values_list(
        "beneficiary", "amount"))
    september = sorted(PaymentLine.objects.filter(run=again).values_list(
        "beneficiary", "amount"))
    assert september == october


def test_suspended_terminated_and_changed_months(approver, finance, enrolled):
    benefits.suspend(Actor.of(approver), enrolled["a"], reason="核查", from_month=date(2022, 10, 1))
    benefits.terminate(Actor.of(approver), enrolled["b"], reason="moved", last_month=date(2022, 9,
                       1))
    benefits.change_amount(Actor.of(approver), enrolled["a2"], reason="调整", amount=Decimal("999"),
                           effective_month=date(2022, 10, 1))
    september, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    october, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-10")
    assert (september.lines, september.total) == (3, SEPT_TOTAL)  # the amount then in force
    assert (october.lines, october.total) == (1, Decimal("999.00"))


def test_elderly_allowance_is_paid_by_quarter(approver, finance, clerk_b):
    from tests.benefits.conftest import elderly_household

    household = elderly_household(clerk_b)
    benefits.enrol(Actor.of(approver), program="elderly_allowance", household=household,
                   person=household.members.get(), approved_on=date(2022, 6, 20))
    with pytest.raises(ValidationError) as exc:
        services.run_payroll(Actor.of(finance), "elderly_allowance", "2022-08")
    assert "period" in exc.value.message_dict
    run, _ = services.run_payroll(Actor.of(finance), "elderly_allowance", "2022-07")
    line = PaymentLine.objects.get(run=run)
    assert (run.months, line.months, line.amount) == (3, 3, Decimal("150.00"))


def test_only_county_finance_prepares(clerk, approver, enrolled):
    with pytest.raises(PermissionDenied):
        services.run_payroll(Actor.of(clerk), "dibao", "2022-09")
    with pytest.raises(PermissionDenied):
        services.run_payroll(Actor.of(approver), "dibao", "2022-09")


def test_bad_period_is_a_clear_error(finance):
    with pytest.raises(ValidationError) as exc:
        services.run_payroll(Actor.of(finance), "dibao", "2022-13")
    assert "period" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.run_payroll(Actor.of(finance), "nothing", "2022-09")
    assert "program" in exc.value.message_dict
