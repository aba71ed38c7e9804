"""Referrals: a case sent to a partner department and followed to an answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.accounts.roles import Department
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.core.statechange import change_state
from safetynet.core.workdays import add_working_days
from safetynet.intake import deadlines
from safetynet.intake.models import Application, Referral, ReferralState
from safetynet.intake.services.common import _new_number, today
from safetynet.registry.models import Household, Person


def _new_referral(actor: Actor, household: Household, person: Person | None,
                  data: dict[str, Any], application: Application | None = None) -> Referral:
    department = str(data.get("department", ""))
    if department not in Department.values:
        raise ValidationError({"department": _("Choose the partner department.")})
    subject = str(data.get("subject", "")).strip()
    if not subject:
        raise ValidationError({"subject": _("Say in a few words what is asked.")})
    sent = today()
    return Referral.objects.create(
        number=_new_number("ZB"), application=application, household=household,
        person=person, area=household.area, department=department, subject=subject,
        description=str(data.get("description", "")).strip() or subject, sent_by=actor.user,
        due_on=add_working_days(sent, deadlines.limit("referral_answer", household.area.code,
                                                       sent)))


def send_referral(actor: Actor, household: Household, data: dict[str, Any],
                  person: Person | None = None, application: Application | None = None
                  ) -> Referral:
    """Refer any case or need to a partner department, without closing the case."""
    if not may(actor, Capability.CREATE_CASES) or not covers(actor, household.area.code):
        raise PermissionDenied(_("You may not refer cases of this household."))
    with transaction.atomic():
        referral = _new_referral(actor, household, person, data, application)
        audit.record("intake.referral.send", user=actor, obj=referral,
                     department=referral.department)
    return referral


def may_handle_referral(actor: Actor, referral: Referral) -> bool:
    """Only a handler of the department the referral was sent to accepts and answers it."""
    return (may(actor, Capability.HANDLE_REFERRALS)
            and actor.user.department == referral.department)


def may_close_referral(actor: Actor, referral: Referral) -> bool:
    """Window staff of the area tell the resident and close the referral."""
    return may(actor, Capability.CREATE_CASES) and covers(actor, referral.area.code)


def _handler_may(actor: Actor, referral: Referral) -> None:
    if not may_handle_referral(actor, referral):
        raise PermissionDenied(_("Only a handler of %(dept)s may do this.")
                               % {"dept": referral.get_department_display()})


def _referral_step(actor: Actor, referral: Referral, sources: set[str], action: str,
                   change: Callable[[Referral], None]) -> Referral:
    return change_state(referral, sources, change, action=f"intake.referral.{action}",
                        user=actor, request=None,
                        refused=_("This referral is “%(state)s”; that is not possible now."))


def accept_referral(actor: Actor, referral: Referral) -> Referral:
    _handler_may(actor, referral)

    def change(r: Referral) -> None:
        r.state, r.handler, r.accepted_at = ReferralState.ACCEPTED, actor.user, timezone.now()
    return _referral_step(actor, referral, {ReferralState.SENT}, "accept", change)


def answer_referral(actor: Actor, referral: Referral, answer: str) -> Referral:
    _handler_may(actor, referral)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the department's answer.")})

    def change(r: Referral) -> None:
        r.state, r.answer, r.answered_at = ReferralState.ANSWERED, answer.strip(), timezone.now()
        r.handler = r.handler or actor.user
    return _referral_step(actor, referral, {ReferralState.SENT, ReferralState.ACCEPTED},
                          "answer", change)


def return_referral(actor: Actor, referral: Referral, reason: str) -> Referral:
    _handler_may(actor, referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is returned.")})

    def change(r: Referral) -> None:
        r.state, r.return_reason, r.handler = ReferralState.RETURNED, reason.strip(), actor.user
    return _referral_step(actor, referral, {ReferralState.SENT, ReferralState.ACCEPTED},
                          "return", change)


def close_referral(actor: Actor, referral: Referral, informed_on: dt.date) -> Referral:
    """The window told the resident the department's answer (or the return)."""
    if not may_close_referral(actor, referral):
        raise PermissionDenied(_("You may not close this referral."))
    if informed_on > today():
        raise ValidationError({"informed_on": _("The date cannot be in the future.")})

    def change(r: Referral) -> None:
        r.state, r.resident_informed_on = ReferralState.CLOSED, informed_on
    return _referral_step(actor, referral, {ReferralState.ANSWERED, ReferralState.RETURNED},
                          "close", change)
