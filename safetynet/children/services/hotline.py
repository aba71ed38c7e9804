"""12345 minors' hotline cases: intake, work order, referral, hand-over, assignment,
escalation and closing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.accounts.models import User
from safetynet.accounts.roles import Department, Role
from safetynet.children import rules
from safetynet.children.models import (
    CaseKind,
    CaseState,
    CaseStep,
    ChildProfile,
    HotlineCase,
    Service,
    Urgency,
)
from safetynet.children.services.access import may_handle_case
from safetynet.children.services.common import _new_number, _text, today
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.core.models import Area
from safetynet.core.statechange import change_state
from safetynet.intake.services import referrals


def _step(case: HotlineCase, actor: Actor, action: str, note: str = "") -> None:
    CaseStep.objects.create(case=case, actor=actor.user, action=action, note=note)


def _responsible_for(area: Area, chosen: Any = None) -> Any:
    """Nobody's case: the chosen child worker of the area, else the village's child director,
    else the township's supervisor."""
    if chosen is not None:
        if not may(chosen, Capability.EDIT_CHILDREN) or not covers(chosen, area.code):
            raise ValidationError({"responsible": _("The responsible person must be a child "
                                                    "director or supervisor of this village.")})
        return chosen
    for role in (Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR):
        found = [u for u in User.objects.filter(role=role, is_active=True).order_by("pk")
                 if covers(u, area.code)]
        if found:
            return found[0]
    raise ValidationError({"responsible": _("No child director or supervisor covers %(v)s: "
                                            "choose the responsible person.")
                           % {"v": area.name}})


def _case_area(data: dict[str, Any], child: ChildProfile | None) -> Area:
    if child is not None:
        return child.area
    code = str(data.get("area_code") or "")
    area = Area.objects.filter(code=code, level="village").first()
    if area is None:
        raise ValidationError({"area_code": _("Choose the village or community where the "
                                              "child lives.")})
    return area


def _route(case: HotlineCase, data: dict[str, Any], received: dt.date) -> None:
    """What the type of case asks for at intake."""
    code = case.area_id
    if case.kind == CaseKind.ADVICE:
        case.outcome = _text(data, "outcome", _("Write the advice given to the caller."))
        case.state, case.closed_at = CaseState.CLOSED, timezone.now()
    elif case.kind == CaseKind.EMERGENCY:
        _hand_over_fields(case, data)
        case.urgency = Urgency.EMERGENCY
        case.due_on = rules.hotline_due("emergency_follow_up", code, received)
    elif case.kind == CaseKind.HARDSHIP:
        case.department = Department.CIVIL_AFFAIRS
        case.due_on = rules.hotline_due("hardship", code, received)
    elif data.get("department"):
        _work_order_fields(case, str(data["department"]), received)
    else:
        case.due_on = rules.hotline_due("refer", code, received)


def _hand_over_fields(case: HotlineCase, data: dict[str, Any]) -> None:
    service = str(data.get("service") or "")
    if service not in Service.values:
        raise ValidationError({"service": _("An emergency is handed over to 110 or 120: "
                                            "choose which.")})
    at = data.get("handed_over_at")
    if not isinstance(at, dt.datetime):
        raise ValidationError({"handed_over_at": _("Give the time of the hand-over.")})
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"handed_over_at": _("The hand-over time cannot be in the "
                                                   "future.")})
    case.service, case.handed_over_at, case.state = service, at, CaseState.HANDED_OVER


def _work_order_fields(case: HotlineCase, department: str, on: dt.date) -> None:
    if department not in Department.values or department == Department.HOTLINE:
        raise ValidationError({"department": _("Choose the department that handles the "
                                               "work order.")})
    case.department, case.state = department, CaseState.REFERRED
    case.due_on = rules.hotline_due("complaint", case.area_id, on)


def open_case(actor: Actor, data: dict[str, Any], child: ChildProfile | None = None) -> HotlineCase:
    """Intake of a minor's case from the 12345 hotline; it always has a responsible person."""
    area = _case_area(data, child)
    if not may_handle_case(actor, area.code):
        raise PermissionDenied(_("Only the 12345 hotline and child workers of this area "
                                 "register minors' cases."))
    kind = str(data.get("kind") or "")
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Choose the type of case.")})
    urgency = str(data.get("urgency") or Urgency.NORMAL)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose the urgency.")})
    received = timezone.now()
    case = HotlineCase(
        number=_new_number("RX"), received_at=received, kind=kind, urgency=urgency,
        caller_name=str(data.get("caller_name") or "").strip()[:40],
        caller_phone=str(data.get("caller_phone") or "").strip(), child=child, area=area,
        child_name=child.person.name if child else _text(data, "child_name",
                                                         _("Give the child's name.")),
        child_age=child.person.age_on(today()) if child else data.get("child_age"),
        what_happened=_text(data, "what_happened", _("Write what happened.")),
        responsible=_responsible_for(area, data.get("responsible")), created_by=actor.user)
    _route(case, data, timezone.localdate(received))
    with transaction.atomic():
        case.save()
        _step(case, actor, "open", case.outcome)
        audit.record("children.case.open", user=actor, obj=case, kind=kind,
                     state=case.state)
    return case


def _case_action(actor: Actor, case: HotlineCase, action: str,
                 states: frozenset[str], change: Any, note: str = "") -> HotlineCase:
    if not may_handle_case(actor, case.area_id):
        raise PermissionDenied(_("You may not handle this case."))
    return change_state(case, states, change, action=f"children.case.{action}", user=actor,
                        request=None,
                        refused=_("This case is “%(state)s”; that is not possible now."),
                        after=lambda locked: _step(locked, actor, action, note))


OPEN = frozenset({CaseState.OPEN, CaseState.REFERRED, CaseState.HANDED_OVER})


def refer_case(actor: Actor, case: HotlineCase, department: str, note: str = "") -> HotlineCase:
    """Turn a complaint (or hardship case) into a work order to a department, with a
    deadline; when the child is in the registry, the department also gets a referral in
    the single window."""
    def change(c: HotlineCase) -> None:
        _work_order_fields(c, department, today())
        if c.child_id and actor.role == Role.CHILD_DIRECTOR:
            c.referral_number = _send_referral(actor, c, note)
    return _case_action(actor, case, "refer",
                        frozenset({CaseState.OPEN, CaseState.REFERRED}), change, note)


def _send_referral(actor: Actor, case: HotlineCase, note: str) -> str:
    child = case.child
    assert child is not None
    referral = referrals.send_referral(actor, child.person.household, {
        "department": case.department,
        "subject": _("12345 minor's case %(n)s") % {"n": case.number},
        "description": note or case.what_happened}, person=child.person)
    return referral.number


def hand_over(actor: Actor, case: HotlineCase, data: dict[str, Any]) -> HotlineCase:
    """An open case turns out to be an emergency: handed over to 110 / 120 at a time."""
    def change(c: HotlineCase) -> None:
        _hand_over_fields(c, data)
        c.urgency = Urgency.EMERGENCY
        c.due_on = rules.hotline_due("emergency_follow_up", c.area_id, today())
    return _case_action(actor, case, "hand_over",
                        frozenset({CaseState.OPEN, CaseState.REFERRED}), change)


def assign_case(actor: Actor, case: HotlineCase, responsible: Any) -> HotlineCase:
    def change(c: HotlineCase) -> None:
        c.responsible = _responsible_for(c.area, responsible)
    return _case_action(actor, case, "assign", OPEN, change, str(responsible))


def escalate(actor: Actor, case: HotlineCase, note: str) -> HotlineCase:
    """Raise the case one level: 1 = township supervisor, 2 = county."""
    if len(note.strip()) < 2:
        raise ValidationError({"note": _("Say why the case is escalated.")})

    def change(c: HotlineCase) -> None:
        c.escalation_level = min(c.escalation_level + 1, 2)
        c.escalated_on = today()
    return _case_action(actor, case, "escalate", OPEN, change, note.strip())


def escalation_due(case: HotlineCase, on: dt.date) -> int:
    """The level an open case should be at on ``on``: overdue → township supervisor (1);
    overdue by more than ``escalate_county`` working days → county (2)."""
    if not case.is_open or case.due_on is None or on <= case.due_on:
        return 0
    late = rules.working_days_late(case.due_on, on)
    return 2 if late > rules.hotline_limit("escalate_county", case.area_id, on) else 1


def escalate_overdue(on: dt.date | None = None) -> int:
    """Daily: overdue cases escalate by themselves (idempotent)."""
    on = on or today()
    raised = 0
    for case in HotlineCase.objects.filter(state__in=OPEN, due_on__lt=on):
        level = escalation_due(case, on)
        if level > case.escalation_level:
            with transaction.atomic():
                HotlineCase.objects.filter(pk=case.pk).update(escalation_level=level,
                                                              escalated_on=on)
                audit.record("children.case.escalate", obj=case, level=level, automatic=True)
            raised += 1
    return raised


def close_case(actor: Actor, case: HotlineCase, outcome: str) -> HotlineCase:
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome of the case.")})

    def change(c: HotlineCase) -> None:
        c.outcome, c.state, c.closed_at = outcome.strip(), CaseState.CLOSED, timezone.now()
    return _case_action(actor, case, "close", OPEN, change, outcome.strip())
