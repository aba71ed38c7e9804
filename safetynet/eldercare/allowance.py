"""The old-age allowance (尊老金) as people age: built on the benefits app's enrolments,
paid quarterly by the payments app's payroll.

``update_brackets`` (run monthly, before the quarter's payroll, by ``safetynet
eldercare_allowance``) does three things through benefits' services:

* people who turned 80 recently and have no enrolment are enrolled from the first month
  whose first day finds them 80 (turning 80 on 2 September: October; on 1 September:
  September), never earlier than the month after today's registration run allows;
* enrolments of people who reached 90 or 100 change amount from the right month (the
  policy engine computes the new amount and its explanation);
* enrolments of people who died end with the month of death (the payroll pays a month
  whose first day found the person alive).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safetynet.benefits import services as benefits
from safetynet.benefits.models import LIVE_STATUSES, EndReason, Enrollment, Program
from safetynet.benefits.months import add_months, first_of_month, label
from safetynet.core.actor import Actor
from safetynet.core.dates import age_on, birthday
from safetynet.core.money import from_fen
from safetynet.eldercare.roster import years_before
from safetynet.eldercare.services import today
from safetynet.registry.models import Person
from safetynet.rules.parameters import current_parameters, highest_in_force

PROGRAM = Program.ELDERLY_ALLOWANCE
PARAMETER = "elderly_allowance.amount"
NEW_ENROLMENT_MONTHS = "eldercare.allowance_enrolment_months"  # turned 80 within: enrolled


def bracket_start(birth_date: date, age: int) -> date:
    """The first month whose first day finds someone born on ``birth_date`` aged ``age``."""
    day = birthday(birth_date, age)  # born on 29 February: a year older from 1 March
    return day if day.day == 1 else add_months(day.replace(day=1), 1)




def brackets(area_code: str, month: date) -> dict[int, Decimal]:
    """{lowest age of the bracket: yuan per month} in force for the area in ``month``."""
    value = current_parameters()[PARAMETER].for_area(area_code, month)
    if value is None or not isinstance(value.value, dict):
        return {}
    return {int(k): from_fen(v) for k, v in value.value.items()}


def bracket_of(birth_date: date, month: date, table: dict[int, Decimal]) -> int | None:
    """The lowest age of the bracket someone is in on the first day of ``month``."""
    age = age_on(birth_date, month)
    reached = [low for low in table if age >= low]
    return max(reached) if reached else None


@dataclass
class AllowanceRun:
    month: date
    enrolled: list[int] = field(default_factory=list)  # enrolment ids
    moved_up: list[int] = field(default_factory=list)
    stopped: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def update_brackets(actor: Actor | None, month: date) -> AllowanceRun:
    """Bring the old-age allowance up to date for ``month`` (see the module docstring);
    without an actor it is the monthly command's run."""
    month = first_of_month(month)
    run = AllowanceRun(month)
    live = (Enrollment.objects.filter(program=PROGRAM, status__in=LIVE_STATUSES,
                                      person__isnull=False)
            .select_related("person", "household"))
    for enrollment in live:
        person = enrollment.person
        assert person is not None
        if person.deceased_on is not None:
            _stop(actor, enrollment, person, run)
        else:
            _move_up(actor, enrollment, person, month, run)
    _enrol_new(actor, month, run)
    return run


def _stop(actor: Actor | None, enrollment: Enrollment, person: Person,
          run: AllowanceRun) -> None:
    assert person.deceased_on is not None
    try:
        benefits.terminate(actor, enrollment, reason=EndReason.DEATH,
                           last_month=first_of_month(person.deceased_on),
                           note=_("died on %(d)s") % {"d": person.deceased_on.isoformat()})
        run.stopped.append(enrollment.pk)
    except ValidationError as exc:
        run.problems.append(f"#{enrollment.pk}: {'; '.join(exc.messages)}")


def _move_up(actor: Actor | None, enrollment: Enrollment, person: Person, month: date,
             run: AllowanceRun) -> None:
    table = brackets(person.area_id, month)
    low = bracket_of(person.birth_date, month, table)
    if low is None or table[low] == enrollment.monthly_amount or enrollment.amount_from > month:
        return
    start = max(bracket_start(person.birth_date, low), enrollment.amount_from)
    try:
        benefits.change_amount(
            actor, enrollment, effective_month=start,
            reason=_("reached %(age)d: old-age allowance bracket from %(m)s")
            % {"age": low, "m": label(start)})
        run.moved_up.append(enrollment.pk)
    except ValidationError as exc:
        run.problems.append(f"#{enrollment.pk}: {'; '.join(exc.messages)}")


def _enrol_new(actor: Actor | None, month: date, run: AllowanceRun) -> None:
    """Enrol those who turned 80 in the last few months and are not enrolled."""
    youngest = min(int(key) for key in current_parameters()[PARAMETER].keys or ())
    window = highest_in_force(NEW_ENROLMENT_MONTHS, month)  # one window for every area
    born_after = years_before(add_months(month, -window), youngest)
    enrolled = Enrollment.objects.filter(program=PROGRAM).values("person_id")
    people = (Person.objects.filter(deceased_on__isnull=True, household__active=True,
                                    birth_date__lte=years_before(month, youngest),
                                    birth_date__gt=born_after)
              .exclude(pk__in=enrolled).select_related("household"))
    for person in people:
        start = bracket_start(person.birth_date, youngest)
        approved_on = min(start - timedelta(days=1), today())
        try:
            enrollment = benefits.enrol(actor, program=PROGRAM, household=person.household,
                                        person=person, approved_on=approved_on)
            run.enrolled.append(enrollment.pk)
        except ValidationError as exc:
            run.problems.append(f"{person.pk}: {'; '.join(exc.messages)}")
