"""Every state change of the single window: one function per action, one transaction
each, the audit record written inside it.

``create_application`` registers a request; ``take_action`` moves it through the declared
state machine (workflow.py), with the action's own checks in ``_HANDLERS``; the referral
functions send a case to a partner department and follow it to an answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.roles import Department, Role
from safetynet.core import audit, uploads
from safetynet.core.dates import add_months, age_on
from safetynet.core.jurisdiction import covers
from safetynet.core.statechange import change_state
from safetynet.core.workdays import add_working_days
from safetynet.intake import deadlines
from safetynet.intake.models import (
    OPEN_STATES,
    Application,
    Attachment,
    Channel,
    Kind,
    Objection,
    Referral,
    ReferralState,
    State,
    Step,
)
from safetynet.intake.workflow import (
    NOTICE_KINDS,
    PERSON_KINDS,
    TEMPORARY_KINDS,
    Transition,
    TransitionRefused,
    find,
)
from safetynet.policy.programs.temporary import TemporaryAssistance, temporary_assistance
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import current_parameters, parameter_value

CREATORS = frozenset({Role.CLERK, Role.OFFICER, Role.VILLAGE, Role.CHILD_DIRECTOR})
REPEAT_MONTHS = "temporary.repeat_months"  # once per cause per household per year
MINOR_AGE = "children.minor_age"  # nobody under it (18) is ever named on a public notice
# Programmes an approved application enrols the beneficiary in (benefits app).
ENROLS: dict[str, tuple[str, ...]] = {
    Kind.DIBAO: ("dibao",),
    Kind.TEKUN: ("tekun_basic",),
    Kind.DISABILITY_LIVING: ("disability_living",),
    Kind.DISABILITY_NURSING: ("disability_nursing",),
    Kind.ORPHAN: ("orphan_allowance",),
    Kind.ELDERLY_ALLOWANCE: ("elderly_allowance",),
    Kind.TEMPORARY_EMERGENCY: ("temporary",),
    Kind.TEMPORARY_EXPENDITURE: ("temporary",),
}


def today() -> dt.date:
    return timezone.localdate()


def _new_number(prefix: str) -> str:
    return f"{prefix}{today():%Y%m%d}{uuid.uuid4().hex[:6].upper()}"


# --- creating an application ------------------------------------------------------------


def open_key(kind: str, household: Household, beneficiary: Person | None) -> str:
    person = beneficiary.pk if beneficiary is not None and kind in PERSON_KINDS else ""
    return f"{household.pk}:{kind}:{person}"


def open_duplicate(kind: str, household: Household,
                   beneficiary: Person | None) -> Application | None:
    return Application.objects.filter(open_key=open_key(kind, household, beneficiary)).first()


def _duplicate_error(existing: Application) -> ValidationError:
    return ValidationError(
        {"kind": _("An application of this type for this household is still open: "
                   "%(number)s (%(state)s).") % {"number": existing.number,
                                                  "state": existing.get_state_display()}},
        code="duplicate", params={"number": existing.number, "pk": existing.pk})


def _check_people(kind: str, household: Household, applicant: Person,
                  beneficiary: Person | None) -> None:
    errors: dict[str, str] = {}
    if applicant.household_id != household.pk or applicant.deceased_on:
        errors["applicant"] = _("The applicant must be a living member of the household.")
    if beneficiary is not None and (beneficiary.household_id != household.pk
                                    or beneficiary.deceased_on):
        errors["beneficiary"] = _("The beneficiary must be a living member of the household.")
    if errors:
        raise ValidationError(errors)


def _check_creator(actor: Any, household: Household) -> None:
    if getattr(actor, "role", None) not in CREATORS or not covers(actor, household.area.code):
        raise PermissionDenied(_("You may not register applications for this household."))


def create_application(actor: Any, *, kind: str, household: Household, applicant: Person,
                       reason: str, beneficiary: Person | None = None,
                       details: dict[str, Any] | None = None,
                       requested_amount: Decimal | None = None, channel: str = Channel.WINDOW,
                       idempotency_key: str | None = None, files: Iterable[Any] = (),
                       request: Any = None) -> Application:
    """Register a request at the window (or by phone, or from another system)."""
    if idempotency_key:
        done = Application.objects.filter(idempotency_key=idempotency_key).first()
        if done is not None and done.created_by_id == actor.pk:
            return done
        if done is not None:
            raise ValidationError({"idempotency_key": _("This key was already used by "
                                                        "another user.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("“%(v)s” is not an application type.") % {"v": kind}})
    _check_creator(actor, household)
    if kind in PERSON_KINDS and beneficiary is None:
        beneficiary = applicant  # a personal allowance asked for oneself
    _check_people(kind, household, applicant, beneficiary)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what the applicant asks for and why.")})
    existing = open_duplicate(kind, household, beneficiary)
    if existing is not None:
        raise _duplicate_error(existing)
    try:
        with transaction.atomic():
            app = _insert(actor, kind, household, applicant, beneficiary, reason, details,
                          requested_amount, channel, idempotency_key)
            for upload in files:
                _attach(actor, app, upload, "signed_form")
            _step(app, actor, "create", State.RECEIVED, State.RECEIVED, note=reason)
            audit.record("intake.create", user=actor, request=request, obj=app,
                         kind=kind, household=household.number)
    except IntegrityError:
        existing = open_duplicate(kind, household, beneficiary)
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    return app


def _insert(actor: Any, kind: str, household: Household, applicant: Person,
            beneficiary: Person | None, reason: str, details: dict[str, Any] | None,
            requested_amount: Decimal | None, channel: str,
            idempotency_key: str | None) -> Application:
    app = Application(
        number=_new_number("SQ"), kind=kind, household=household, applicant=applicant,
        beneficiary=beneficiary, area=household.area, channel=channel, reason=reason.strip(),
        details=details or {}, requested_amount=requested_amount,  # type: ignore[misc]
        open_key=open_key(kind, household, beneficiary), created_by=actor,
        idempotency_key=idempotency_key or None)
    app.created_at = timezone.now()
    app.due_on, app.overall_due_on = deadlines.due_dates(app, today())
    app.save()
    return app


# --- moving an application through its workflow -----------------------------------------


Handler = Callable[[Application, Any, dict[str, Any]], dict[str, Any]]


def take_action(actor: Any, application: Application, action: str,
                data: dict[str, Any] | None = None, files: Iterable[Any] = (),
                request: Any = None) -> Application:
    """Take one declared action; refuse anything the state machine does not allow."""
    data = dict(data or {})
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("area").get(
            pk=application.pk)
        transition = _allowed(actor, app, action)
        _require(transition, data)
        before = app.state
        recorded = _HANDLERS.get(action, _nothing)(app, actor, data)
        app.state = transition.leads_to(before)
        if app.state not in OPEN_STATES:
            app.open_key = None
        was_due = app.due_on
        app.due_on, app.overall_due_on = deadlines.due_dates(app, today())
        app.save()
        for upload in files:
            _attach(actor, app, upload, "visit_photo" if action in ("visit", "complete")
                    else "other")
        _step(app, actor, action, before, app.state, note=str(data.get("reason") or data.get(
            "opinion") or data.get("findings") or ""), data=recorded, was_due=was_due)
        audit.record(f"intake.{action}", user=actor, request=request, obj=app,
                     from_state=before, to_state=app.state)
    return app


def _allowed(actor: Any, app: Application, action: str) -> Transition:
    if not covers(actor, app.area.code):
        raise PermissionDenied(_("This application is outside your areas."))
    try:
        transition = find(app.kind, app.state, action)
    except TransitionRefused as exc:
        raise ValidationError(str(exc), code="transition") from None
    if getattr(actor, "role", None) not in transition.roles:
        raise PermissionDenied(_("Your role may not “%(action)s”.") % {"action": transition.label})
    if transition.decision and actor.pk in preparers(app):
        raise PermissionDenied(_("You prepared this case, so you may not decide it: "
                                 "another colleague must (maker-checker)."))
    return transition


def preparers(app: Application) -> set[int]:
    """Who registered, accepted or reviewed the case: none of them may decide it."""
    ids = {app.created_by_id, app.reviewed_by_id}
    ids.update(app.steps.filter(action__in=("accept", "review")).values_list("actor_id",
                                                                               flat=True))
    return {pk for pk in ids if pk is not None}


def _require(transition: Transition, data: dict[str, Any]) -> None:
    missing = {name: _("This must be recorded.") for name in transition.records
               if data.get(name) in (None, "", [], ())}
    if missing:
        raise ValidationError(missing)


def _step(app: Application, actor: Any, action: str, before: str, after: str, note: str = "",
          data: dict[str, Any] | None = None, was_due: dt.date | None = None) -> Step:
    return Step.objects.create(application=app, action=action, from_state=before,
                               to_state=after, actor=actor, note=note, data=data or {},
                               was_due_on=was_due)


def _nothing(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    return {}


def _accept(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    app.accepted_on = today()
    return {}


def _decide(app: Application, actor: Any, reason: str) -> None:
    app.decided_by, app.decided_on, app.decision_reason = actor, today(), reason.strip()


def _reject(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    _decide(app, actor, data["reason"])
    return {}


def _check(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    sources = [str(s) for s in data["sources"]]
    return {"sources": sources, "findings": str(data["check_findings"])}


def _visit_record(data: dict[str, Any]) -> dict[str, Any]:
    first, second = (str(data[k]).strip() for k in ("investigator_1", "investigator_2"))
    if first == second:
        raise ValidationError({"investigator_2": _("A home visit needs two different "
                                                   "investigators.")})
    visited_on = _date(data, "visited_on")
    if visited_on > today():
        raise ValidationError({"visited_on": _("The visit date cannot be in the future.")})
    return {"visited_on": visited_on.isoformat(), "investigators": [first, second],
            "findings": str(data["findings"]), "both_signed": bool(data.get("both_signed"))}


def _visit(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    return _visit_record(data)


def _review(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    if data["recommendation"] not in ("approve", "refuse"):
        raise ValidationError({"recommendation": _("Recommend approval or refusal.")})
    app.reviewed_by = actor
    amount = _amount(data, required=False)
    if amount is not None:
        app.amount = amount
    return {"opinion": str(data["opinion"]), "recommendation": data["recommendation"],
            "amount": str(amount) if amount is not None else None}


def has_minor(app: Application, on: dt.date) -> bool:
    people = [p for p in (app.applicant, app.beneficiary) if p is not None]
    adult = parameter_value(MINOR_AGE, app.area_id, on)
    return any(_age(p.birth_date, on) < adult for p in people)


_age = age_on


def _post_notice(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    if has_minor(app, today()):
        raise ValidationError(_("Minors are never put on a public notice: send this case "
                                "to the county directly."), code="minor")
    start = _date(data, "notice_start")
    if start > today():
        raise ValidationError({"notice_start": _("The notice cannot be posted in the future.")})
    backdated = _backdate_reason(start, data)
    app.notice_start, app.notice_end = start, deadlines.notice_end(app.area.code, start)
    recorded = {"notice_start": start.isoformat(), "notice_end": app.notice_end.isoformat()}
    if backdated:
        recorded["backdate_reason"] = backdated
        audit.record("intake.notice.backdated", user=actor, obj=app,
                     notice_start=start.isoformat(), recorded_on=today().isoformat(),
                     reason=backdated[:200])
    return recorded


def _backdate_reason(start: dt.date, data: dict[str, Any]) -> str:
    """A posting date before today needs the reason it is recorded late."""
    reason = str(data.get("backdate_reason") or "").strip()
    if start < today() and not reason:
        raise ValidationError({"backdate_reason": _(
            "The notice is recorded as posted on %(d)s, before today: say why it is "
            "recorded late.") % {"d": start.isoformat()}})
    return reason if start < today() else ""


def _object(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    received = _date(data, "received_on")
    Objection.objects.create(application=app, received_on=received, recorded_by=actor,
                             objector=str(data.get("objector", "")), content=data["content"])
    return {"received_on": received.isoformat()}


def notice_over(app: Application, on: dt.date) -> bool:
    return app.notice_end is not None and on > app.notice_end


def _require_notice_over(app: Application) -> None:
    if not notice_over(app, today()):
        end = app.notice_end.isoformat() if app.notice_end else "?"
        raise ValidationError(_("The public notice runs until %(end)s; it can only be closed "
                                "after that day.") % {"end": end}, code="notice")


def _close_notice(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    _require_notice_over(app)
    if app.objections.exists():
        raise ValidationError(_("The notice drew objections: close it for democratic "
                                "appraisal."), code="objections")
    return {}


def _to_appraisal(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    _require_notice_over(app)
    if not app.objections.exists():
        raise ValidationError(_("No objection was recorded: close the notice and send the "
                                "case to the county."), code="objections")
    return {}


def _appraise(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    app.objections.filter(handled=False).update(handled=True, outcome=str(data["outcome"]))
    return {"appraisal": str(data["appraisal"]), "outcome": str(data["outcome"])}


def _submit(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    if app.kind in NOTICE_KINDS and not has_minor(app, today()):
        raise ValidationError(_("A public notice is required before the county decides."),
                              code="notice")
    return {}


def _approve(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    if app.kind in NOTICE_KINDS and not has_minor(app, today()):
        _require_notice_over(app)
    amount = _amount(data, required=app.kind in TEMPORARY_KINDS and app.amount is None)
    if amount is not None:
        app.amount = amount
    _require_no_recent_grant(app)
    _decide(app, actor, data["reason"])
    app.enrollment_id = _enrol(actor, app)
    return {"amount": str(app.amount) if app.amount is not None else None}


def _refuse(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    _decide(app, actor, data["reason"])
    return {}


def temporary_estimate(app: Application) -> TemporaryAssistance:
    """Temporary assistance under the rules for this request today: the months asked for
    (one when none) × the dibao standard × the household's counted members, and the
    township's help-first limit."""
    size = app.household.members.filter(deceased_on__isnull=True, not_counted="").count()
    kind: Literal["emergency", "expenditure"] = (
        "emergency" if app.kind == Kind.TEMPORARY_EMERGENCY else "expenditure")
    months = _months_asked(app)
    return temporary_assistance(kind, months, max(size, 1), area_code=app.area.code,
                                hukou=app.household.hukou, on=today(),
                                params=current_parameters())


def _months_asked(app: Application) -> int:
    try:
        months = int((app.details or {}).get("months") or 1)
    except (TypeError, ValueError):
        return 1
    return max(months, 1)


def township_limit(app: Application) -> Decimal:
    """The most the township may grant a household at once (help first)."""
    return Decimal(temporary_estimate(app).township_limit)


def _township_grant(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    amount = _amount(data, required=True)
    assert amount is not None
    limit = township_limit(app)
    if amount > limit:
        raise ValidationError({"amount": _("%(amount)s yuan is above the township's limit of "
                                           "%(limit)s yuan: send the case to the county.")
                               % {"amount": amount, "limit": limit}})
    app.amount = amount
    _require_no_recent_grant(app)
    _decide(app, actor, data["reason"])
    app.enrollment_id = _enrol(actor, app)
    return {"amount": str(amount), "township_limit": str(limit)}


def recent_grant(app: Application, on: dt.date) -> Application | None:
    """The household's latest temporary-assistance grant for the same cause (the same kind:
    emergency or expenditure) decided within ``temporary.repeat_months`` before ``on``."""
    if app.kind not in TEMPORARY_KINDS:
        return None
    months = parameter_value(REPEAT_MONTHS, app.area_id, on)
    return (Application.objects.filter(household_id=app.household_id, kind=app.kind,
                                       enrollment_id__isnull=False,
                                       decided_on__gt=add_months(on, -months))
            .exclude(pk=app.pk).order_by("-decided_on", "-pk").first())


def _require_no_recent_grant(app: Application) -> None:
    """DOMAIN.md §4: temporary assistance at most once per cause per household per year."""
    earlier = recent_grant(app, today())
    if earlier is None or earlier.decided_on is None:
        return
    months = parameter_value(REPEAT_MONTHS, app.area_id, today())
    raise ValidationError(_(
        "This household was already granted temporary assistance for the same cause "
        "(%(cause)s) on %(date)s: %(amount)s yuan (application %(number)s). Temporary "
        "assistance is granted at most once per cause in %(months)d months: the next grant "
        "for this cause is possible from %(next)s.") % {
            "cause": earlier.get_kind_display(), "date": earlier.decided_on.isoformat(),
            "amount": earlier.amount if earlier.amount is not None else "?",
            "number": earlier.number, "months": months,
            "next": add_months(earlier.decided_on, months).isoformat()}, code="repeat_grant")


def _complete(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    return _visit_record(data)


def _refer(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    referral = _new_referral(actor, app.household, app.beneficiary or app.applicant,
                             data, application=app)
    _decide(app, actor, str(data.get("subject", "")))
    return {"referral": referral.number}


def _withdraw(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    app.decision_reason = str(data["reason"])
    app.decided_on = today()
    app.resident_informed_on = today()  # the applicant asked for it
    return {}


def _extend(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    if app.extended:
        raise ValidationError(_("The time limit was already extended once."), code="extended")
    app.extended = True
    return {}


def _inform(app: Application, actor: Any, data: dict[str, Any]) -> dict[str, Any]:
    informed = _date(data, "informed_on")
    if informed > today():
        raise ValidationError({"informed_on": _("The date cannot be in the future.")})
    app.resident_informed_on = informed
    return {"informed_on": informed.isoformat()}


_HANDLERS: dict[str, Handler] = {
    "accept": _accept, "reject": _reject, "check": _check, "visit": _visit,
    "review": _review, "post_notice": _post_notice, "object": _object,
    "close_notice": _close_notice, "to_appraisal": _to_appraisal, "appraise": _appraise,
    "submit": _submit, "approve": _approve, "refuse": _refuse, "grant_now": _township_grant,
    "township_approve": _township_grant, "complete": _complete, "refer": _refer,
    "withdraw": _withdraw, "extend": _extend, "inform": _inform,
}


def _enrol(actor: Any, app: Application) -> int | None:
    """Enrol the beneficiary in the programme(s) the approval grants; the first enrolment's
    id is kept on the application."""
    from safetynet.benefits.services import enrol

    first: int | None = None
    for program in ENROLS.get(app.kind, ()):
        person = None if program == "dibao" else (app.beneficiary or app.applicant)
        explicit = app.amount if program == "temporary" else None
        enrollment = enrol(actor, program=program, household=app.household, person=person,
                           approved_on=today(), application_id=app.pk, amount=explicit,
                           explanation=app.decision_reason)
        first = first or enrollment.pk
    return first


def _date(data: dict[str, Any], name: str) -> dt.date:
    value = data.get(name)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({name: _("“%(v)s” is not a date (YYYY-MM-DD).")
                               % {"v": value}}) from None


def _amount(data: dict[str, Any], required: bool) -> Decimal | None:
    value = data.get("amount")
    if value in (None, ""):
        if required:
            raise ValidationError({"amount": _("Give the amount in yuan.")})
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"amount": _("“%(v)s” is not an amount in yuan.")
                               % {"v": value}}) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan and fen.")})
    return amount


# --- attachments ------------------------------------------------------------------------


def attach(actor: Any, application: Application, upload: Any, kind: str,
           request: Any = None) -> Attachment:
    if not covers(actor, application.area.code) or getattr(actor, "role", None) not in CREATORS:
        raise PermissionDenied(_("You may not add documents to this application."))
    with transaction.atomic():
        attachment = _attach(actor, application, upload, kind)
        audit.record("intake.attach", user=actor, request=request, obj=application,
                     kind=kind, size=attachment.size)
    return attachment


def _attach(actor: Any, app: Application, upload: Any, kind: str) -> Attachment:
    content_type = uploads.check(upload)
    attachment = Attachment(application=app, kind=kind, original_name=uploads.safe_name(
        upload.name), content_type=content_type, size=upload.size, uploaded_by=actor)
    attachment.file.save(uploads.stored_name(upload, content_type), upload, save=False)
    with uploads.removed_on_error([attachment.file.name]):
        attachment.save()
    return attachment


# --- referrals (转办) ---------------------------------------------------------------------


def _new_referral(actor: Any, household: Household, person: Person | None,
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
        description=str(data.get("description", "")).strip() or subject, sent_by=actor,
        due_on=add_working_days(sent, deadlines.limit("referral_answer", household.area.code,
                                                       sent)))


def send_referral(actor: Any, household: Household, data: dict[str, Any],
                  person: Person | None = None, application: Application | None = None,
                  request: Any = None) -> Referral:
    """Refer any case or need to a partner department, without closing the case."""
    if getattr(actor, "role", None) not in CREATORS or not covers(actor, household.area.code):
        raise PermissionDenied(_("You may not refer cases of this household."))
    with transaction.atomic():
        referral = _new_referral(actor, household, person, data, application)
        audit.record("intake.referral.send", user=actor, request=request, obj=referral,
                     department=referral.department)
    return referral


def may_handle_referral(actor: Any, referral: Referral) -> bool:
    """Only a handler of the department the referral was sent to accepts and answers it."""
    return (getattr(actor, "role", None) == Role.PARTNER
            and getattr(actor, "department", "") == referral.department)


def may_close_referral(actor: Any, referral: Referral) -> bool:
    """Window staff of the area tell the resident and close the referral."""
    return getattr(actor, "role", None) in CREATORS and covers(actor, referral.area.code)


def _handler_may(actor: Any, referral: Referral) -> None:
    if not may_handle_referral(actor, referral):
        raise PermissionDenied(_("Only a handler of %(dept)s may do this.")
                               % {"dept": referral.get_department_display()})


def _referral_step(actor: Any, referral: Referral, sources: set[str], action: str,
                   request: Any, change: Callable[[Referral], None]) -> Referral:
    return change_state(referral, sources, change, action=f"intake.referral.{action}",
                        user=actor, request=request,
                        refused=_("This referral is “%(state)s”; that is not possible now."))


def accept_referral(actor: Any, referral: Referral, request: Any = None) -> Referral:
    _handler_may(actor, referral)

    def change(r: Referral) -> None:
        r.state, r.handler, r.accepted_at = ReferralState.ACCEPTED, actor, timezone.now()
    return _referral_step(actor, referral, {ReferralState.SENT}, "accept", request, change)


def answer_referral(actor: Any, referral: Referral, answer: str,
                    request: Any = None) -> Referral:
    _handler_may(actor, referral)
    if not answer.strip():
        raise ValidationError({"answer": _("Write the department's answer.")})

    def change(r: Referral) -> None:
        r.state, r.answer, r.answered_at = ReferralState.ANSWERED, answer.strip(), timezone.now()
        r.handler = r.handler or actor
    return _referral_step(actor, referral, {ReferralState.SENT, ReferralState.ACCEPTED},
                          "answer", request, change)


def return_referral(actor: Any, referral: Referral, reason: str,
                    request: Any = None) -> Referral:
    _handler_may(actor, referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is returned.")})

    def change(r: Referral) -> None:
        r.state, r.return_reason, r.handler = ReferralState.RETURNED, reason.strip(), actor
    return _referral_step(actor, referral, {ReferralState.SENT, ReferralState.ACCEPTED},
                          "return", request, change)


def close_referral(actor: Any, referral: Referral, informed_on: dt.date,
                   request: Any = None) -> Referral:
    """The window told the resident the department's answer (or the return)."""
    if not may_close_referral(actor, referral):
        raise PermissionDenied(_("You may not close this referral."))
    if informed_on > today():
        raise ValidationError({"informed_on": _("The date cannot be in the future.")})

    def change(r: Referral) -> None:
        r.state, r.resident_informed_on = ReferralState.CLOSED, informed_on
    return _referral_step(actor, referral, {ReferralState.ANSWERED, ReferralState.RETURNED},
                          "close", request, change)
