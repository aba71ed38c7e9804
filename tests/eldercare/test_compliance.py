"""The compliance rules at their edges, as pure functions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from safetynet.eldercare import compliance as c
from safetynet.eldercare.compliance import Thresholds, VisitFacts, month_outcome

LIMITS = Thresholds(min_visits=1, min_minutes=60, max_minutes=480)
START = datetime(2022, 8, 10, 9, 0)


def visit(minutes: int = 60, value: str = "30", confirmed: bool = True, worker: int = 1,
          person: int = 1, start: datetime = START, pk: int = 1,
          flags: tuple[str, ...] = ()) -> VisitFacts:
    return VisitFacts(pk, worker, person, start, start + timedelta(minutes=minutes),
                      Decimal(value), confirmed, flags)


def test_one_visit_of_60_minutes_worth_30_yuan_is_compliant() -> None:
    outcome = month_outcome([visit(60, "30")], Decimal("30"), LIMITS)
    assert outcome.compliant
    assert outcome.payable == Decimal("30")


def test_59_minutes_is_not_enough() -> None:
    outcome = month_outcome([visit(59, "30")], Decimal("30"), LIMITS)
    assert outcome.reasons == (c.TOO_SHORT,)
    assert outcome.payable == 0


def test_29_yuan_is_not_enough_for_a_30_yuan_entitlement() -> None:
    outcome = month_outcome([visit(60, "29")], Decimal("30"), LIMITS)
    assert outcome.reasons == (c.TOO_LITTLE_VALUE,)
    assert month_outcome([visit(60, "29.99")], Decimal("30"), LIMITS).reasons == (
        c.TOO_LITTLE_VALUE,)


def test_no_visit_in_the_month() -> None:
    outcome = month_outcome([], Decimal("30"), LIMITS)
    assert outcome.reasons == (c.NO_VISIT,)
    assert outcome.visits == 0 and outcome.payable == 0


def test_value_adds_up_over_visits_but_one_must_last_an_hour() -> None:
    visits = [visit(60, "60", pk=1), visit(30, "40", pk=2, start=START + timedelta(days=3))]
    outcome = month_outcome(visits, Decimal("100"), LIMITS)
    assert outcome.compliant and (outcome.visits, outcome.minutes) == (2, 90)
    two_short = [visit(30, "60", pk=1), visit(30, "60", pk=2, start=START + timedelta(days=3))]
    assert month_outcome(two_short, Decimal("100"), LIMITS).reasons == (c.TOO_SHORT,)


def test_unconfirmed_or_flagged_visits_do_not_count() -> None:
    assert month_outcome([visit(confirmed=False)], Decimal("30"), LIMITS).reasons[0] == c.NO_VISIT
    flagged = visit(flags=(c.OVERLAP,))
    assert month_outcome([flagged], Decimal("30"), LIMITS).reasons[0] == c.NO_VISIT


def test_more_visits_required_by_the_parameter() -> None:
    limits = Thresholds(min_visits=2, min_minutes=60, max_minutes=480)
    assert month_outcome([visit()], Decimal("30"), limits).reasons == (c.TOO_FEW_VISITS,)


def test_overlapping_visits_of_one_worker_are_flagged_touching_ones_are_not() -> None:
    a = visit(60, pk=1, person=1)
    b = visit(60, pk=2, person=2, start=START + timedelta(minutes=30))
    c_ = visit(60, pk=3, person=3, start=START + timedelta(minutes=90))  # starts as b ends
    other_worker = visit(60, pk=4, person=4, worker=2)
    assert c.overlapping([a, b, c_, other_worker]) == {1, 2}


@pytest.mark.parametrize(("minutes", "flags"), [
    (0, [c.BAD_DURATION]), (-10, [c.BAD_DURATION]), (480, []), (481, [c.TOO_LONG])])
def test_durations_that_do_not_add_up(minutes: int, flags: list[str]) -> None:
    assert c.duration_flags(START, START + timedelta(minutes=minutes), date(2022, 8, 1),
                            LIMITS) == flags


def test_a_visit_outside_the_orders_month_is_flagged() -> None:
    assert c.duration_flags(START, START + timedelta(hours=1), date(2022, 9, 1), LIMITS) == [
        c.OUTSIDE_MONTH]


def test_visits_on_or_after_death_are_flagged() -> None:
    assert c.deceased_flag(date(2022, 8, 10), date(2022, 8, 10)) == [c.DECEASED]
    assert c.deceased_flag(date(2022, 8, 9), date(2022, 8, 10)) == []
    assert c.deceased_flag(date(2022, 8, 9), None) == []
