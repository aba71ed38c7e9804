"""Every state change of child protection: one function per action, one transaction each,
the audit record written inside it.

Registry of children (register, update facts, review categories, the daily age sweep),
delegated-guardianship confirmations, visits (with a needs finding opening a referral or
an application in the single window), orphan support records, audited exports, and the
12345 minors' hotline cases (intake, work order, hand-over, escalation, closing).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.roles import CHILD_WORKERS, Department, Role
from safetynet.children import rules
from safetynet.children.categories import (
    CHILD_AGE_LIMIT,
    LEFT_BEHIND_AGE,
    derive,
    facts_of,
    limits_for,
    visit_months,
)
from safetynet.children.models import (
    CaseKind,
    CaseState,
    CaseStep,
    Category,
    ChildProfile,
    GuardianshipConfirmation,
    HotlineCase,
    Notice,
    ParentStatus,
    Risk,
    Service,
    SupportKind,
    SupportRecord,
    Urgency,
    Visit,
    join_codes,
)
from safetynet.core import audit, uploads
from safetynet.core.jurisdiction import covers
from safetynet.core.models import Area
from safetynet.core.statechange import change_state
from safetynet.registry.models import Person
from safetynet.rules.parameters import lowest_in_force

EDITORS = frozenset({Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})
MIN_REASON = 4
# Facts of a child that the director records (and the form edits).
FACT_FIELDS = (
    "father_status", "mother_status", "father_name", "mother_name", "father_phone",
    "mother_phone", "father_whereabouts", "mother_whereabouts", "carer_name",
    "carer_relation", "carer_phone", "poverty", "improper_guardianship", "school", "health",
    "risk", "risk_reasons", "insured", "insurance_note",
)
ORPHAN_CATEGORIES = frozenset({Category.ORPHAN, Category.NO_DE_FACTO_CARER})
REGISTRY_ORPHAN: dict[str, str] = {Category.ORPHAN: "orphan",
                                   Category.NO_DE_FACTO_CARER: "no_de_facto_carer"}


def today() -> dt.date:
    return timezone.localdate()


def _new_number(prefix: str) -> str:
    return f"{prefix}{today():%Y%m%d}{uuid.uuid4().hex[:6].upper()}"


# --- who may ---------------------------------------------------------------------------------


def may_edit(user: Any, area_code: str) -> bool:
    return (getattr(user, "is_active", False) and getattr(user, "role", None) in EDITORS
            and covers(user, area_code))


def _require_editor(user: Any, area_code: str) -> None:
    if not may_edit(user, area_code):
        raise PermissionDenied(_("Only the child director or supervisor of this village may "
                                 "change a child's record."))


def is_hotline(user: Any) -> bool:
    return (getattr(user, "role", None) == Role.PARTNER
            and getattr(user, "department", "") == Department.HOTLINE)


def may_handle_case(user: Any, area_code: str) -> bool:
    role = getattr(user, "role", None)
    return (getattr(user, "is_active", False) and (role in CHILD_WORKERS or is_hotline(user))
            and covers(user, area_code))


# --- the child registry ---------------------------------------------------------------------


def refresh(child: ChildProfile, on: dt.date) -> dict[str, str]:
    """Re-derive categories and the next visit from the facts (does not save)."""
    found = derive(facts_of(child, on), limits_for(child.area_id, on))
    codes = list(found)
    child.categories = join_codes(codes)
    child.active = bool(codes)
    months = visit_months(codes, rules.visit_intervals(child.area_id, on))
    if months is None:
        child.next_visit_due = None
    elif child.last_visit_on is None:
        child.next_visit_due = rules.first_visit_due(child.registered_on, child.area_id)
    else:
        child.next_visit_due = rules.add_months(child.last_visit_on, months)
    return found


def _clean_facts(data: dict[str, Any]) -> dict[str, Any]:
    facts = {k: data[k] for k in FACT_FIELDS if k in data}
    errors: dict[str, str] = {}
    for name in ("father_status", "mother_status"):
        if name in facts and facts[name] not in ParentStatus.values:
            errors[name] = _("Choose where the parent is and whether they can care.")
    if "risk" in facts and facts["risk"] not in Risk.values:
        errors["risk"] = _("Choose low, medium or high.")
    if facts.get("risk") in (Risk.MEDIUM, Risk.HIGH) and not str(
            facts.get("risk_reasons", "")).strip():
        errors["risk_reasons"] = _("Say why the risk is medium or high.")
    if errors:
        raise ValidationError(errors)
    return facts


def _check_child(person: Person, on: dt.date) -> None:
    limit = limits_for(person.area_id, on).child_age
    if person.deceased_on is not None:
        raise ValidationError({"person": _("%(name)s is recorded as deceased.")
                               % {"name": person.name}})
    if person.age_on(on) >= limit and not person.full_time_student:
        raise ValidationError({"person": _("%(name)s is %(age)s: only children under "
                                           "%(limit)s are registered.") % {
            "name": person.name, "age": person.age_on(on), "limit": limit}})
    if ChildProfile.objects.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s is already registered.")
                               % {"name": person.name}})


def register_child(actor: Any, person: Person, data: dict[str, Any],
                   registered_on: dt.date | None = None, request: Any = None) -> ChildProfile:
    """Register a child of the registry with the facts their categories come from."""
    _require_editor(actor, person.area_id)
    on = today()
    _check_child(person, on)
    child = ChildProfile(person=person, area_id=person.area_id, created_by=actor,
                         registered_on=registered_on or on, **_clean_facts(data))
    with transaction.atomic():
        refresh(child, on)
        child.save()
        audit.record("children.register", user=actor, request=request, obj=child,
                     categories=child.category_list)
    return child


def update_child(actor: Any, child: ChildProfile, data: dict[str, Any],
                 request: Any = None) -> ChildProfile:
    _require_editor(actor, child.area_id)
    facts = _clean_facts(data)
    with transaction.atomic():
        locked = ChildProfile.objects.select_for_update().get(pk=child.pk)
        before = locked.category_list
        for name, value in facts.items():
            setattr(locked, name, value)
        refresh(locked, today())
        locked.save()
        audit.record("children.update", user=actor, request=request, obj=locked,
                     fields=sorted(facts), before=before, after=locked.category_list)
    return locked


def may_review(actor: Any, area_code: str) -> bool:
    """The village's child director confirms a child's categories."""
    return getattr(actor, "role", None) == Role.CHILD_DIRECTOR and covers(actor, area_code)


def review_categories(actor: Any, child: ChildProfile, request: Any = None) -> ChildProfile:
    """The child director confirms the derived categories; an orphan or a child without a
    de facto carer is marked so in the registry, which the orphan allowance reads."""
    if not may_review(actor, child.area_id):
        raise PermissionDenied(_("Only the child director of this village reviews categories."))
    with transaction.atomic():
        locked = ChildProfile.objects.select_for_update().select_related(
            "person__household").get(pk=child.pk)
        refresh(locked, today())
        locked.reviewed_categories, locked.reviewed_by = locked.categories, actor
        locked.reviewed_on = today()
        locked.save()
        _mark_orphan_status(locked)
        audit.record("children.review", user=actor, request=request, obj=locked,
                     categories=locked.category_list)
    return locked


def _mark_orphan_status(child: ChildProfile) -> None:
    status = next((REGISTRY_ORPHAN[c] for c in child.category_list if c in REGISTRY_ORPHAN), "")
    person = child.person
    if status and person.orphan_status != status:
        person.orphan_status = status
        person.save(update_fields=["orphan_status"])


def _notice_left(child: ChildProfile, on: dt.date) -> None:
    message = _("%(name)s turned %(age)s and left the left-behind list.") % {
        "name": child.person.name, "age": child.person.age_on(on)}
    Notice.objects.get_or_create(child=child, kind="left_behind_aged_out", created_on=on,
                                 defaults={"area_id": child.area_id, "message": message[:200]})


def sweep_ages(on: dt.date | None = None) -> int:
    """Children who reached an age limit: re-derive their categories; a child who reaches
    ``children.left_behind_age`` leaves the left-behind list, with a notice to the child
    director. Idempotent; run daily (``safetynet children_daily``) and before the children's
    lists are shown. The query takes the lowest limits in force in any area; each child is
    then re-derived with the limits of its own area."""
    on = on or today()
    young_limit = rules.birthday_threshold(on, lowest_in_force(LEFT_BEHIND_AGE, on))
    adult = rules.birthday_threshold(on, lowest_in_force(CHILD_AGE_LIMIT, on))
    candidates = (ChildProfile.objects.filter(active=True)
                  .filter(categories__contains=f",{Category.LEFT_BEHIND},",
                          person__birth_date__lte=young_limit)
                  | ChildProfile.objects.filter(active=True, person__birth_date__lte=adult))
    changed = 0
    for child in candidates.select_related("person__household").distinct():
        changed += _sweep_one(child, on)
    return changed


def _sweep_one(child: ChildProfile, on: dt.date) -> int:
    before = child.category_list
    with transaction.atomic():
        refresh(child, on)
        if child.category_list == before:
            return 0
        child.save()
        if Category.LEFT_BEHIND in before and Category.LEFT_BEHIND not in child.category_list:
            _notice_left(child, on)
        audit.record("children.age_sweep", obj=child, before=before,
                     after=child.category_list)
    return 1


def read_notice(actor: Any, notice: Notice, request: Any = None) -> Notice:
    _require_editor(actor, notice.area_id)
    with transaction.atomic():
        notice.read_by = actor
        notice.save(update_fields=["read_by"])
        audit.record("children.notice_read", user=actor, request=request, obj=notice)
    return notice


# --- guardianship confirmations --------------------------------------------------------------


def _text(data: dict[str, Any], name: str, message: str) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        raise ValidationError({name: message})
    return value


def _past_date(data: dict[str, Any], name: str) -> dt.date:
    value = data.get(name)
    if not isinstance(value, dt.date):
        raise ValidationError({name: _("Give the date.")})
    if value > today():
        raise ValidationError({name: _("The date cannot be in the future.")})
    return value


def record_confirmation(actor: Any, child: ChildProfile, data: dict[str, Any],
                        scan: Any = None, request: Any = None) -> GuardianshipConfirmation:
    """A signed delegated-guardianship confirmation, with its scan."""
    _require_editor(actor, child.area_id)
    confirmation = GuardianshipConfirmation(
        child=child, recorded_by=actor, signed_on=_past_date(data, "signed_on"),
        signed_by=_text(data, "signed_by", _("Who signed the confirmation?")),
        signer_relation=_text(data, "signer_relation", _("The signer's relation to the "
                                                          "child?")),
        guardian_name=_text(data, "guardian_name", _("Name the delegated guardian.")),
        guardian_relation=_text(data, "guardian_relation", _("The delegated guardian's "
                                                              "relation to the child?")),
        guardian_phone=str(data.get("guardian_phone") or "").strip())
    content_type = _check_scan(scan)
    saved: list[str] = []
    with uploads.removed_on_error(saved), transaction.atomic():
        if scan is not None:
            confirmation.scan.save(uploads.stored_name(scan, content_type), scan, save=False)
            saved.append(confirmation.scan.name)
        confirmation.save()
        ChildProfile.objects.filter(pk=child.pk).update(
            guardianship_signed_on=confirmation.signed_on)
        child.guardianship_signed_on = confirmation.signed_on
        audit.record("children.guardianship", user=actor, request=request, obj=confirmation,
                     child=child.pk, scan=bool(scan))
    return confirmation


def _check_scan(scan: Any) -> str:
    if scan is None:
        return ""
    try:
        return uploads.check(scan)
    except ValidationError as exc:
        raise ValidationError({"scan": exc.messages}) from exc


# --- visits ---------------------------------------------------------------------------------


def record_visit(actor: Any, child: ChildProfile, data: dict[str, Any],
                 request: Any = None) -> Visit:
    """A visit by the child director (on a phone): who was there, what they found, what
    the child needs, and what follows; a need may open a referral or an application."""
    _require_editor(actor, child.area_id)
    visit = Visit(child=child, visitor=actor, visited_on=_past_date(data, "visited_on"),
                  present=_text(data, "present", _("Who was present at the visit?")),
                  findings=_text(data, "findings", _("Write what you found.")),
                  needs=str(data.get("needs") or "").strip(),
                  follow_up=str(data.get("follow_up") or "").strip())
    if visit.visited_on < child.registered_on - dt.timedelta(days=366):
        raise ValidationError({"visited_on": _("The visit date is long before the child was "
                                               "registered.")})
    with transaction.atomic():
        visit.referral_number = _open_need(actor, child, visit, data, request)
        visit.save()
        locked = ChildProfile.objects.select_for_update().select_related(
            "person__household").get(pk=child.pk)
        if locked.last_visit_on is None or visit.visited_on >= locked.last_visit_on:
            locked.last_visit_on = visit.visited_on
        refresh(locked, today())
        locked.save()
        audit.record("children.visit", user=actor, request=request, obj=visit,
                     child=child.pk, opened=visit.referral_number)
    return visit


def _open_need(actor: Any, child: ChildProfile, visit: Visit, data: dict[str, Any],
               request: Any) -> str:
    """Pass a needs finding to the single window: a referral to a partner department, or
    an application (the household head applies for the child)."""
    opening = str(data.get("open") or "")
    if not opening:
        return ""
    if not visit.needs:
        raise ValidationError({"needs": _("Write the need that the referral or application "
                                          "is about.")})
    from safetynet.intake import services as intake

    household = child.person.household
    if opening == "referral":
        referral = intake.send_referral(actor, household, {
            "department": data.get("department", ""),
            "subject": _("Child's need found at a visit"),
            "description": visit.needs}, person=child.person, request=request)
        return referral.number
    applicant = (household.members.filter(deceased_on__isnull=True, relation="head").first()
                 or child.person)
    application = intake.create_application(
        actor, kind=opening, household=household, applicant=applicant,
        beneficiary=child.person, reason=visit.needs, channel="village", request=request)
    return application.number


# --- orphan support ---------------------------------------------------------------------------


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"amount": _("Give the amount in yuan.")}) from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be 0 or more yuan, with at most "
                                           "2 decimals.")})
    return amount


def record_support(actor: Any, child: ChildProfile, data: dict[str, Any],
                   request: Any = None) -> SupportRecord:
    """An education aid grant or a yearly health check of an orphan or a child without a
    de facto carer, with its amount."""
    _require_editor(actor, child.area_id)
    kind = str(data.get("kind") or "")
    if kind not in SupportKind.values:
        raise ValidationError({"kind": _("Choose education aid or health check.")})
    if not set(child.category_list) & ORPHAN_CATEGORIES:
        raise ValidationError({"kind": _("Education aid and health checks are recorded for "
                                         "orphans and children without a de facto carer.")})
    record = SupportRecord(child=child, kind=kind, on=_past_date(data, "on"),  # type: ignore[misc]
                           amount=_amount(data.get("amount")), recorded_by=actor,
                           note=str(data.get("note") or "").strip()[:200])
    with transaction.atomic():
        record.save()
        audit.record("children.support", user=actor, request=request, obj=record,
                     kind=kind, amount=str(record.amount))
    return record


# --- exports ---------------------------------------------------------------------------------


def audit_export(actor: Any, what: str, reason: str, count: int, request: Any = None) -> None:
    """Children's data leaves the system only with a reason, and the audit log says so."""
    if getattr(actor, "role", None) not in CHILD_WORKERS:
        raise PermissionDenied(_("Only child directors and supervisors export children's "
                                 "data."))
    if len(reason.strip()) < MIN_REASON:
        raise ValidationError({"reason": _("Say why you export children's data (at least "
                                           "%(n)s characters).") % {"n": MIN_REASON}})
    audit.record("children.export", user=actor, request=request, object_type="children",
                 object_id=what, reason=reason.strip()[:200], rows=count)


# --- 12345 hotline cases ---------------------------------------------------------------------


def _step(case: HotlineCase, actor: Any, action: str, note: str = "") -> None:
    CaseStep.objects.create(case=case, actor=actor, action=action, note=note)


def _responsible_for(area: Area, chosen: Any = None) -> Any:
    """Nobody's case: the chosen child worker of the area, else the village's child director,
    else the township's supervisor."""
    from safetynet.accounts.models import User

    if chosen is not None:
        if chosen.role not in CHILD_WORKERS or not chosen.is_active or not covers(chosen,
                                                                                   area.code):
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


def open_case(actor: Any, data: dict[str, Any], child: ChildProfile | None = None,
              request: Any = None) -> HotlineCase:
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
        responsible=_responsible_for(area, data.get("responsible")), created_by=actor)
    _route(case, data, timezone.localdate(received))
    with transaction.atomic():
        case.save()
        _step(case, actor, "open", case.outcome)
        audit.record("children.case.open", user=actor, request=request, obj=case, kind=kind,
                     state=case.state)
    return case


def _case_action(actor: Any, case: HotlineCase, action: str, request: Any,
                 states: frozenset[str], change: Any, note: str = "") -> HotlineCase:
    if not may_handle_case(actor, case.area_id):
        raise PermissionDenied(_("You may not handle this case."))
    return change_state(case, states, change, action=f"children.case.{action}", user=actor,
                        request=request,
                        refused=_("This case is “%(state)s”; that is not possible now."),
                        after=lambda locked: _step(locked, actor, action, note))


OPEN = frozenset({CaseState.OPEN, CaseState.REFERRED, CaseState.HANDED_OVER})


def refer_case(actor: Any, case: HotlineCase, department: str, note: str = "",
               request: Any = None) -> HotlineCase:
    """Turn a complaint (or hardship case) into a work order to a department, with a
    deadline; when the child is in the registry, the department also gets a referral in
    the single window."""
    def change(c: HotlineCase) -> None:
        _work_order_fields(c, department, today())
        if c.child_id and getattr(actor, "role", None) == Role.CHILD_DIRECTOR:
            c.referral_number = _send_referral(actor, c, note, request)
    return _case_action(actor, case, "refer", request,
                        frozenset({CaseState.OPEN, CaseState.REFERRED}), change, note)


def _send_referral(actor: Any, case: HotlineCase, note: str, request: Any) -> str:
    from safetynet.intake import services as intake

    child = case.child
    assert child is not None
    referral = intake.send_referral(actor, child.person.household, {
        "department": case.department,
        "subject": _("12345 minor's case %(n)s") % {"n": case.number},
        "description": note or case.what_happened}, person=child.person, request=request)
    return referral.number


def hand_over(actor: Any, case: HotlineCase, data: dict[str, Any],
              request: Any = None) -> HotlineCase:
    """An open case turns out to be an emergency: handed over to 110 / 120 at a time."""
    def change(c: HotlineCase) -> None:
        _hand_over_fields(c, data)
        c.urgency = Urgency.EMERGENCY
        c.due_on = rules.hotline_due("emergency_follow_up", c.area_id, today())
    return _case_action(actor, case, "hand_over", request,
                        frozenset({CaseState.OPEN, CaseState.REFERRED}), change)


def assign_case(actor: Any, case: HotlineCase, responsible: Any,
                request: Any = None) -> HotlineCase:
    def change(c: HotlineCase) -> None:
        c.responsible = _responsible_for(c.area, responsible)
    return _case_action(actor, case, "assign", request, OPEN, change, str(responsible))


def escalate(actor: Any, case: HotlineCase, note: str, request: Any = None) -> HotlineCase:
    """Raise the case one level: 1 = township supervisor, 2 = county."""
    if len(note.strip()) < 2:
        raise ValidationError({"note": _("Say why the case is escalated.")})

    def change(c: HotlineCase) -> None:
        c.escalation_level = min(c.escalation_level + 1, 2)
        c.escalated_on = today()
    return _case_action(actor, case, "escalate", request, OPEN, change, note.strip())


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


def close_case(actor: Any, case: HotlineCase, outcome: str,
               request: Any = None) -> HotlineCase:
    if not outcome.strip():
        raise ValidationError({"outcome": _("Write the outcome of the case.")})

    def change(c: HotlineCase) -> None:
        c.outcome, c.state, c.closed_at = outcome.strip(), CaseState.CLOSED, timezone.now()
    return _case_action(actor, case, "close", request, OPEN, change, outcome.strip())
