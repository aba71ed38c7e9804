"""Who may open which person's record, and revealing masked numbers with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.policy import ParameterSet
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import current_parameters, parameter_value

REVEALABLE = {Person: ("id_number", "phone"), Household: ("bank_account", "phone")}
MIN_REASON = 4


CHILD_AGE = "registry.pipl_child_age"  # PIPL art. 28: a child's data is sensitive (14)


def child_age(area_code: str, on: date, params: ParameterSet | None = None) -> int:
    return parameter_value(CHILD_AGE, area_code, on, params=params)


def is_minor(person: Person, today: date, params: ParameterSet | None = None) -> bool:
    """Under ``registry.pipl_child_age`` (14) today. Pass ``params`` (one
    ``current_parameters()``) when checking many persons, to read the parameters once."""
    return person.age_on(today) < child_age(person.area_id, today, params)


def can_open(who: Actor | Any, person: Person, today: date,
             params: ParameterSet | None = None) -> bool:
    """Records of children under 14 are open only to those who work with children.
    ``who`` is a service's actor or a view's ``request.user``."""
    if may(who, Capability.OPEN_MINORS):
        return True
    return not is_minor(person, today, params)


def require_open(who: Actor | Any, person: Person, today: date) -> None:
    if not can_open(who, person, today):
        raise PermissionDenied(_("Records of children under 14 are open only to child "
                                 "directors and supervisors."))


def closed_in(who: Actor | Any, persons: Iterable[Person], today: date) -> set[int]:
    """The persons ``who`` may not open (the parameters read once for all of them)."""
    params = current_parameters()
    return {p.pk for p in persons if not can_open(who, p, today, params)}


def closed_ids(who: Actor | Any, household: Household, today: date) -> set[int]:
    return closed_in(who, household.members.all(), today)


def record_household_view(actor: Actor, household: Household, today: date) -> None:
    params = current_parameters()
    minors = sorted(p.pk for p in household.members.all() if is_minor(p, today, params))
    audit.record("view_household", user=actor, obj=household, minors=minors)


@transaction.atomic
def reveal(actor: Actor, record: Person | Household, field: str, reason: str) -> str:
    """Return one full value; the reason and the view go to the audit log."""
    if not may(actor, Capability.REVEAL_IDENTITY):
        raise PermissionDenied(_("Your role may not see full numbers."))
    if field not in REVEALABLE[type(record)]:
        raise ValidationError({"field": _("this value cannot be revealed")})
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": _("say why you need the full number")})
    audit.record("reveal", user=actor, obj=record, field=field,
                 reason=reason.strip()[:200])
    return str(getattr(record, field) or "")
