"""Visits to a child; a needs finding opens a referral or an application in the single
window.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.children.models import ChildProfile, Visit
from safetynet.children.services.access import _require_editor
from safetynet.children.services.common import _past_date, _text, today
from safetynet.children.services.registry import refresh
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.intake.services import applications, referrals


def record_visit(actor: Actor, child: ChildProfile, data: dict[str, Any]) -> Visit:
    """A visit by the child director (on a phone): who was there, what they found, what
    the child needs, and what follows; a need may open a referral or an application."""
    _require_editor(actor, child.area_id)
    visit = Visit(child=child, visitor=actor.user, visited_on=_past_date(data, "visited_on"),
                  present=_text(data, "present", _("Who was present at the visit?")),
                  findings=_text(data, "findings", _("Write what you found.")),
                  needs=str(data.get("needs") or "").strip(),
                  follow_up=str(data.get("follow_up") or "").strip())
    if visit.visited_on < child.registered_on - dt.timedelta(days=366):
        raise ValidationError({"visited_on": _("The visit date is long before the child was "
                                               "registered.")})
    with transaction.atomic():
        visit.referral_number = _open_need(actor, child, visit, data)
        visit.save()
        locked = ChildProfile.objects.select_for_update(of=("self",)).select_related(
            "person__household").get(pk=child.pk)
        if locked.last_visit_on is None or visit.visited_on >= locked.last_visit_on:
            locked.last_visit_on = visit.visited_on
        refresh(locked, today())
        locked.save()
        audit.record("children.visit", user=actor, obj=visit,
                     child=child.pk, opened=visit.referral_number)
    return visit


def _open_need(actor: Actor, child: ChildProfile, visit: Visit, data: dict[str, Any]) -> str:
    """Pass a needs finding to the single window: a referral to a partner department, or
    an application (the household head applies for the child)."""
    opening = str(data.get("open") or "")
    if not opening:
        return ""
    if not visit.needs:
        raise ValidationError({"needs": _("Write the need that the referral or application "
                                          "is about.")})
    household = child.person.household
    if opening == "referral":
        referral = referrals.send_referral(actor, household, {
            "department": data.get("department", ""),
            "subject": _("Child's need found at a visit"),
            "description": visit.needs}, person=child.person)
        return referral.number
    applicant = (household.members.filter(deceased_on__isnull=True, relation="head").first()
                 or child.person)
    application = applications.create_application(
        actor, kind=opening, household=household, applicant=applicant,
        beneficiary=child.person, reason=visit.needs, channel="village")
    return application.number
