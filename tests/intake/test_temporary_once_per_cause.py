"""DOMAIN.md §4: temporary assistance at most once per cause per household per year. A second
grant for the same cause is refused, naming the earlier grant (date, cause, amount), through
the services and through the API; another cause, or a year later, is granted."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.core.dates import add_months
from safetynet.intake.models import Application, Kind, State
from safetynet.intake.services import applications, temporary
from safetynet.registry.models import Household
from safetynet.rules.models import ChangeStatus, ParameterChange
from tests.intake.conftest import CHECK, REVIEW, VISIT, apply, walk
from tests.intake.test_api import Api, errors


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def granted(clerk: User, officer: User, household: Household, kind: str,
            amount: str = "300") -> Application:
    """A help-first grant, its paperwork completed (the application closed)."""
    app = walk(apply(clerk, household, kind, reason="火灾"), (clerk, "accept", {}),
               (officer, "grant_now", {"amount": amount, "reason": "房屋失火"}),
               (officer, "complete", VISIT))
    assert app.state == State.APPROVED and app.enrollment_id
    return app


def accepted(clerk: User, household: Household, kind: str) -> Application:
    return walk(apply(clerk, household, kind, reason="再次受灾"), (clerk, "accept", {}))


def test_a_second_grant_for_the_same_cause_names_the_first(
        clerk: User, officer: User, household: Household) -> None:
    first = granted(clerk, officer, household, Kind.TEMPORARY_EMERGENCY)
    second = accepted(clerk, household, Kind.TEMPORARY_EMERGENCY)
    with pytest.raises(ValidationError) as exc:
        applications.take_action(Actor.of(officer), second, "grant_now",
                                 {"amount": "200", "reason": "再次"})
    message = " ".join(exc.value.messages)
    today = timezone.localdate()
    assert f"on {today.isoformat()}: 300.00 yuan (application {first.number})" in message
    assert "Temporary assistance (emergency)" in message
    assert f"from {add_months(today, 12).isoformat()}" in message
    second.refresh_from_db()
    assert second.state == State.ACCEPTED and second.enrollment_id is None  # nothing written


def test_the_township_approval_path_is_refused_too(clerk: User, officer: User,
                                                   officer2: User, household: Household) -> None:
    granted(clerk, officer, household, Kind.TEMPORARY_EXPENDITURE)
    second = walk(accepted(clerk, household, Kind.TEMPORARY_EXPENDITURE),
                  (clerk, "check", CHECK), (officer, "visit", VISIT), (officer, "review", REVIEW))
    with pytest.raises(ValidationError, match="same cause"):
        applications.take_action(Actor.of(officer2), second, "township_approve",
                             {"amount": "100", "reason": "再次"})


def test_another_cause_is_granted(clerk: User, officer: User, household: Household) -> None:
    granted(clerk, officer, household, Kind.TEMPORARY_EMERGENCY)
    other = accepted(clerk, household, Kind.TEMPORARY_EXPENDITURE)
    app = applications.take_action(Actor.of(officer), other, "grant_now",
                                   {"amount": "200", "reason": "医疗"})
    assert app.state == State.GRANTED and app.amount == Decimal("200")


def test_a_year_later_the_same_cause_is_granted_again(clerk: User, officer: User,
                                                      household: Household) -> None:
    first = granted(clerk, officer, household, Kind.TEMPORARY_EMERGENCY)
    a_year_ago = add_months(timezone.localdate(), -12)
    Application.objects.filter(pk=first.pk).update(decided_on=a_year_ago)
    again = accepted(clerk, household, Kind.TEMPORARY_EMERGENCY)
    app = applications.take_action(Actor.of(officer), again, "grant_now",
                                   {"amount": "200", "reason": "再次"})
    assert app.state == State.GRANTED
    assert temporary.recent_grant(again, timezone.localdate()) is None


def test_the_interval_is_the_dated_parameter(clerk: User, officer: User, approver: User,
                                             household: Household) -> None:
    first = granted(clerk, officer, household, Kind.TEMPORARY_EMERGENCY)
    Application.objects.filter(pk=first.pk).update(
        decided_on=timezone.localdate() - dt.timedelta(days=200))
    again = accepted(clerk, household, Kind.TEMPORARY_EMERGENCY)
    assert temporary.recent_grant(again, timezone.localdate()) == first
    ParameterChange.objects.create(
        parameter="temporary.repeat_months", scope="32", value="6",
        effective_from=dt.date(2025, 1, 1), reason="test", reference="test",
        status=ChangeStatus.APPROVED, proposed_by=clerk, decided_by=approver,
        decided_at=timezone.now())
    assert temporary.recent_grant(again, timezone.localdate()) is None


def test_the_api_refuses_the_second_grant_with_the_reason(
        clerk: User, officer: User, officer2: User, household: Household) -> None:
    first = granted(clerk, officer, household, Kind.TEMPORARY_EMERGENCY)
    second = accepted(clerk, household, Kind.TEMPORARY_EMERGENCY)
    refused = Api(officer2).act(second.pk, "grant_now", {"amount": "200", "reason": "再次"})
    assert refused.status_code in (400, 422), refused.content
    assert first.number in " ".join(errors(refused).values())
    assert Application.objects.get(pk=second.pk).state == State.ACCEPTED
