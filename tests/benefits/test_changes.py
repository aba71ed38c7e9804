"""Changes of circumstances, suspension, resumption, termination, gradual exit, reviews."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from safetynet.benefits import services
from safetynet.benefits.models import EndReason, EventKind, Outcome, Status
from safetynet.core.actor import Actor
from safetynet.registry.models import IncomeItem
from tests.benefits.conftest import APPROVED, dibao_household

OCT, NOV, DEC = date(2022, 10, 1), date(2022, 11, 1), date(2022, 12, 1)


@pytest.fixture
def enrolled(approver, clerk):
    household = dibao_household(clerk)
    return services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                          approved_on=APPROVED)


def _raise_income(enrollment, yuan: int) -> None:
    person = enrollment.household.members.order_by("pk").first()
    IncomeItem.objects.filter(person=person).update(monthly_amount=Decimal(yuan))


def test_change_of_circumstances_recomputes_with_reason(approver, enrolled):
    _raise_income(enrolled, 500)  # incomes 500 + 300: 1,950 − 800
    changed = services.change_amount(Actor.of(approver), enrolled, reason="新工作",
                                     effective_month=NOV)
    assert changed.monthly_amount == Decimal("1150.00") and changed.amount_from == NOV
    event = changed.events.get(kind=EventKind.AMOUNT_CHANGED)
    assert (event.previous_amount, event.amount, event.reason) == (
        Decimal("1350.00"), Decimal("1150.00"), "新工作")
    with pytest.raises(ValidationError):
        services.change_amount(Actor.of(approver), changed, reason="again", effective_month=OCT)


def test_reason_is_required(approver, enrolled):
    with pytest.raises(ValidationError) as exc:
        services.change_amount(Actor.of(approver), enrolled, reason=" ")
    assert "reason" in exc.value.message_dict


def test_suspend_and_resume(approver, enrolled):
    services.suspend(Actor.of(approver), enrolled, reason="核查中", from_month=OCT)
    enrolled.refresh_from_db()
    assert enrolled.status == Status.SUSPENDED
    with pytest.raises(ValidationError):
        services.suspend(Actor.of(approver), enrolled, reason="again", from_month=NOV)
    services.resume(Actor.of(approver), enrolled, from_month=DEC)
    enrolled.refresh_from_db()
    assert enrolled.status == Status.ACTIVE
    suspension = enrolled.suspensions.get()
    assert (suspension.from_month, suspension.until_month) == (OCT, DEC)


def test_terminate_with_reason(approver, enrolled):
    services.terminate(Actor.of(approver), enrolled, reason=EndReason.MOVED, last_month=OCT)
    enrolled.refresh_from_db()
    assert (enrolled.status, enrolled.end_month, enrolled.end_reason) == (
        Status.ENDED, OCT, "moved")
    with pytest.raises(ValidationError):
        services.suspend(Actor.of(approver), enrolled, reason="late")
    with pytest.raises(ValidationError) as exc:
        services.terminate(Actor.of(approver), enrolled, reason="bogus")
    assert "reason" in exc.value.message_dict


def test_gradual_exit_pays_the_parameters_months(approver, enrolled):
    services.start_gradual_exit(Actor.of(approver), enrolled, from_month=OCT)
    enrolled.refresh_from_db()
    assert enrolled.status == Status.EXITING
    assert enrolled.end_month == date(2023, 3, 1)  # 6 months: Oct 2022 – Mar 2023
    assert enrolled.events.filter(kind=EventKind.GRADUAL_EXIT).exists()


def test_review_keep_change_stop(approver, enrolled):
    kept = services.complete_review(Actor.of(approver), enrolled, facts="入户核查无变化",
                                    effective_month=date(2023, 9, 1))
    assert kept.outcome == Outcome.KEEP
    enrolled.refresh_from_db()
    assert enrolled.next_review in (date(2024, 3, 1), date(2024, 9, 1))
    _raise_income(enrolled, 600)
    changed = services.complete_review(Actor.of(approver), enrolled, facts="收入增加",
                                       effective_month=date(2023, 10, 1))
    assert changed.outcome == Outcome.CHANGE and changed.new_amount == Decimal("1050.00")
    _raise_income(enrolled, 3000)
    stopped = services.complete_review(Actor.of(approver), enrolled, facts="务工收入高",
                                       effective_month=date(2023, 11, 1))
    assert stopped.outcome == Outcome.STOP
    enrolled.refresh_from_db()
    assert enrolled.status == Status.EXITING and enrolled.end_month == date(2024, 4, 1)
