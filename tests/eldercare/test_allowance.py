"""Old-age allowance brackets: enrolled at 80, moved up at 90 and 100 from the right month,
stopped by death — through the benefits app's enrolments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from safetynet.accounts.models import User
from safetynet.benefits import services as benefits
from safetynet.benefits.models import EndReason, Enrollment, Status
from safetynet.core.actor import Actor
from safetynet.eldercare import allowance
from safetynet.registry import services as registry
from safetynet.registry.models import Person
from tests.eldercare.conftest import elderly

OCTOBER = date(2022, 10, 1)


def enrolled(person: Person) -> Enrollment:
    return benefits.enrol(None, program="elderly_allowance", household=person.household,
                          person=person, approved_on=date(2022, 1, 10))


def amount_in(enrollment: Enrollment, month: date) -> Decimal:
    """The amount the payroll pays for ``month`` (the latest change effective by then)."""
    events = enrollment.events.filter(amount__isnull=False, effective_month__lte=month)
    return events.order_by("-effective_month", "-id").first().amount


@pytest.mark.parametrize(("birth", "first"), [
    (date(1932, 9, 1), date(2022, 9, 1)),   # 90 on the 1st: from that month
    (date(1932, 9, 2), date(2022, 10, 1)),  # 90 on the 2nd: from the next month
    (date(1932, 3, 1), date(2022, 3, 1)),
])
def test_bracket_start(birth: date, first: date) -> None:
    assert allowance.bracket_start(birth, 90) == first


def test_born_on_29_february_moves_up_in_march() -> None:
    assert allowance.bracket_start(date(1932, 2, 29), 90) == date(2022, 3, 1)


def test_turning_90_and_100_move_up_from_the_right_month(clerk: User) -> None:
    ninety = enrolled(elderly(clerk, "九十", date(1932, 9, 2)))
    hundred = enrolled(elderly(clerk, "一百", date(1922, 9, 1)))
    steady = enrolled(elderly(clerk, "八五", date(1937, 5, 5)))
    assert (ninety.monthly_amount, hundred.monthly_amount) == (50, 100)
    run = allowance.update_brackets(None, OCTOBER)
    assert sorted(run.moved_up) == sorted([ninety.pk, hundred.pk])
    assert amount_in(ninety, date(2022, 9, 1)) == 50
    assert amount_in(ninety, OCTOBER) == 100
    assert amount_in(hundred, date(2022, 8, 1)) == 100
    assert amount_in(hundred, date(2022, 9, 1)) == 300
    steady.refresh_from_db()
    assert steady.monthly_amount == 50
    again = allowance.update_brackets(None, OCTOBER)
    assert again.moved_up == [] and again.enrolled == []


def test_turning_80_enrols_from_the_month_after_the_birthday(clerk: User) -> None:
    on_first = elderly(clerk, "八十甲", date(1942, 9, 1))
    on_second = elderly(clerk, "八十乙", date(1942, 9, 2))
    not_yet = elderly(clerk, "七九", date(1942, 11, 2))
    run = allowance.update_brackets(None, OCTOBER)
    assert len(run.enrolled) == 2, run.problems
    assert Enrollment.objects.get(person=on_first).start_month == date(2022, 9, 1)
    second = Enrollment.objects.get(person=on_second)
    assert (second.start_month, second.monthly_amount) == (OCTOBER, 50)
    assert not Enrollment.objects.filter(person=not_yet).exists()


def test_death_stops_the_allowance_after_the_month_of_death(clerk: User) -> None:
    person = elderly(clerk, "故去", date(1930, 1, 1))
    enrollment = enrolled(person)
    registry.mark_deceased(Actor.of(clerk), person, date(2022, 8, 20))
    run = allowance.update_brackets(None, OCTOBER)
    enrollment.refresh_from_db()
    assert run.stopped == [enrollment.pk]
    assert (enrollment.status, enrollment.end_month, enrollment.end_reason) == (
        Status.ENDED, date(2022, 8, 1), EndReason.DEATH)
