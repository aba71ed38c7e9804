"""Who may open which person's record, and revealing masked numbers with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.accounts.roles import MINOR_AGE
from safetynet.core import audit
from safetynet.registry.models import Household, Person

REVEALABLE = {Person: ("id_number", "phone"), Household: ("bank_account", "phone")}
MIN_REASON = 4


def is_minor(person: Person, today: date) -> bool:
    return person.age_on(today) < MINOR_AGE


def can_open(user: Any, person: Person, today: date) -> bool:
    """Records of children under 14 are open only to those who work with children."""
    return not is_minor(person, today) or getattr(user, "works_with_children", False)


def require_open(user: Any, person: Person, today: date) -> None:
    if not can_open(user, person, today):
        raise PermissionDenied(_("Records of children under 14 are open only to child "
                                 "directors and supervisors."))


def closed_ids(user: Any, household: Household, today: date) -> set[int]:
    return {p.pk for p in household.members.all() if not can_open(user, p, today)}


def record_household_view(request: Any, household: Household, today: date) -> None:
    minors = sorted(p.pk for p in household.members.all() if is_minor(p, today))
    audit.record("view_household", request=request, obj=household, minors=minors)


@transaction.atomic
def reveal(user: Any, record: Person | Household, field: str, reason: str,
           request: Any = None) -> str:
    """Return one full value; the reason and the view go to the audit log."""
    if not getattr(user, "can_reveal", False):
        raise PermissionDenied(_("Your role may not see full numbers."))
    if field not in REVEALABLE[type(record)]:
        raise ValidationError({"field": _("this value cannot be revealed")})
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": _("say why you need the full number")})
    audit.record("reveal", user=user, request=request, obj=record, field=field,
                 reason=reason.strip()[:200])
    return str(getattr(record, field) or "")
