"""The payroll's smaller service functions: periods, file names, payees, bank lines,
control totals and the lines that may be re-issued."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from safetynet.core.actor import Actor
from safetynet.payments import services
from safetynet.payments.models import BankFile, Direction, LineStatus, PaymentLine
from safetynet.registry.models import Person
from tests.benefits.conftest import with_account


def test_period_for_reads_the_month_and_refuses_what_is_not_one() -> None:
    assert services.period_for("dibao", "2022-09") == date(2022, 9, 1)
    assert services.period_for("dibao", date(2022, 9, 17)) == date(2022, 9, 1)
    with pytest.raises(ValidationError) as bad_month:
        services.period_for("dibao", "Sept")
    assert "period" in bad_month.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        services.period_for("lottery", "2022-09")
    assert "program" in unknown.value.message_dict


def test_quarterly_programmes_start_on_a_quarter_and_last_three_months() -> None:
    assert services.period_for("elderly_allowance", "2022-07") == date(2022, 7, 1)
    with pytest.raises(ValidationError) as mid_quarter:
        services.period_for("elderly_allowance", "2022-08")
    assert "period" in mid_quarter.value.message_dict
    assert (services.months_of("elderly_allowance"), services.months_of("dibao")) == (3, 1)


def test_line_totals_count_per_township_without_cancelled_lines(finance, enrolled) -> None:
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    assert services.line_totals(run) == run.control
    line = PaymentLine.objects.filter(run=run, township="320722100").first()
    PaymentLine.objects.filter(pk=line.pk).update(status=LineStatus.CANCELLED)
    totals = services.line_totals(run)
    assert totals["320722100"]["lines"] == 1
    assert totals["320722100"]["fen"] == run.control["320722100"]["fen"] - int(line.amount * 100)


def test_file_names_are_unique_per_file_sent(finance, enrolled) -> None:
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    first = services.file_name(run, "csv")
    assert first == f"SN-dibao-202209-R{run.pk:06d}-01.csv"
    BankFile.objects.create(run=run, direction=Direction.EXPORT, name=first, format="csv",
                            lines=run.lines, total=run.total, sha256="0" * 64)
    assert services.file_name(run, "csv").endswith("-02.csv")


def test_household_lines_are_paid_to_the_head(finance, enrolled) -> None:
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    lines = list(PaymentLine.objects.filter(run=run).order_by("pk"))
    names = services.payees(lines)
    for line in lines:
        head = Person.objects.get(household_id=line.household_id, relation="head")
        assert names[line.household_id] == head.name


def test_bank_lines_carry_payee_account_and_amount_in_batches(finance, enrolled) -> None:
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    stored = list(PaymentLine.objects.filter(run=run).order_by("pk"))
    PaymentLine.objects.filter(pk=stored[0].pk).update(status=LineStatus.CANCELLED)
    exported = list(services.bank_lines(run, batch=1))
    assert [row.reference for row in exported] == [line.reference for line in stored[1:]]
    assert all(row.account.startswith("6228") and row.payee for row in exported)
    assert sum((row.amount for row in exported), Decimal(0)) == sum(
        (line.amount for line in stored[1:]), Decimal(0))


def test_only_failed_lines_whose_account_changed_are_reissuable(finance, enrolled) -> None:
    run, _ = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    failed, unchanged = PaymentLine.objects.filter(run=run).order_by("pk")[:2]
    PaymentLine.objects.filter(pk__in=[failed.pk, unchanged.pk]).update(
        status=LineStatus.FAILED)
    assert services.reissuable(run) == []
    with_account(failed.household)  # a corrected card number
    assert [line.pk for line in services.reissuable(run)] == [failed.pk]
    assert {line.pk for line in services.reissuable(run, include_unchanged=True)} == {
        failed.pk, unchanged.pk}
