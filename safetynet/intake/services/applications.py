"""Applications in the single window: ``create_application`` registers a request;
``take_action`` moves it through the declared state machine (``safetynet.intake.workflow``),
with the action's own checks in ``_HANDLERS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers
from safetynet.intake import deadlines
from safetynet.intake.models import OPEN_STATES, Application, Channel, Kind, State, Step
from safetynet.intake.services.attachments import _attach
from safetynet.intake.services.common import (
    _amount,
    _date,
    _decide,
    _enrol,
    _new_number,
    today,
)
from safetynet.intake.services.notices import (
    _appraise,
    _close_notice,
    _object,
    _post_notice,
    _require_notice_over,
    _to_appraisal,
    has_minor,
)
from safetynet.intake.services.referrals import _new_referral
from safetynet.intake.services.temporary import _require_no_recent_grant, _township_grant
from safetynet.intake.workflow import (
    NOTICE_KINDS,
    PERSON_KINDS,
    TEMPORARY_KINDS,
    Transition,
    TransitionRefused,
    find,
)
from safetynet.registry.models import Household, Person


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


def _check_creator(actor: Actor, household: Household) -> None:
    if not may(actor, Capability.CREATE_CASES) or not covers(actor, household.area.code):
        raise PermissionDenied(_("You may not register applications for this household."))


def create_application(actor: Actor, *, kind: str, household: Household, applicant: Person,
                       reason: str, beneficiary: Person | None = None,
                       details: dict[str, Any] | None = None,
                       requested_amount: Decimal | None = None, channel: str = Channel.WINDOW,
                       idempotency_key: str | None = None, files: Iterable[Any] = ()
                       ) -> Application:
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
            audit.record("intake.create", user=actor, obj=app,
                         kind=kind, household=household.number)
    except IntegrityError:
        existing = open_duplicate(kind, household, beneficiary)
        if existing is None:
            raise
        raise _duplicate_error(existing) from None
    return app


def _insert(actor: Actor, kind: str, household: Household, applicant: Person,
            beneficiary: Person | None, reason: str, details: dict[str, Any] | None,
            requested_amount: Decimal | None, channel: str,
            idempotency_key: str | None) -> Application:
    app = Application(
        number=_new_number("SQ"), kind=kind, household=household, applicant=applicant,
        beneficiary=beneficiary, area=household.area, channel=channel, reason=reason.strip(),
        details=details or {}, requested_amount=requested_amount,  # type: ignore[misc]
        open_key=open_key(kind, household, beneficiary), created_by=actor.user,
        idempotency_key=idempotency_key or None)
    app.created_at = timezone.now()
    app.due_on, app.overall_due_on = deadlines.due_dates(app, today())
    app.save()
    return app


Handler = Callable[[Application, Actor, dict[str, Any]], dict[str, Any]]


def take_action(actor: Actor, application: Application, action: str,
                data: dict[str, Any] | None = None, files: Iterable[Any] = ()
                ) -> Application:
    """Take one declared action; refuse anything the state machine does not allow."""
    data = dict(data or {})
    with transaction.atomic():
        # Only the application's row: with select_related, FOR UPDATE would also lock the
        # village's core_area row, which every record of the village references (a
        # deadlock with the audit chain's head under load, bench/load.py).
        app = Application.objects.select_for_update(of=("self",)).select_related("area").get(
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
        audit.record(f"intake.{action}", user=actor, obj=app,
                     from_state=before, to_state=app.state)
    return app


def _allowed(actor: Actor, app: Application, action: str) -> Transition:
    if not covers(actor, app.area.code):
        raise PermissionDenied(_("This application is outside your areas."))
    try:
        transition = find(app.kind, app.state, action)
    except TransitionRefused as exc:
        raise ValidationError(str(exc), code="transition") from None
    if actor.role not in transition.roles:
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


def _step(app: Application, actor: Actor, action: str, before: str, after: str, note: str = "",
          data: dict[str, Any] | None = None, was_due: dt.date | None = None) -> Step:
    return Step.objects.create(application=app, action=action, from_state=before,
                               to_state=after, actor=actor.user, note=note, data=data or {},
                               was_due_on=was_due)


def _nothing(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    return {}


def _accept(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    app.accepted_on = today()
    return {}


def _reject(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    _decide(app, actor, data["reason"])
    return {}


def _check(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
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


def _visit(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    return _visit_record(data)


def _review(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    if data["recommendation"] not in ("approve", "refuse"):
        raise ValidationError({"recommendation": _("Recommend approval or refusal.")})
    app.reviewed_by = actor.user
    amount = _amount(data, required=False)
    if amount is not None:
        app.amount = amount
    return {"opinion": str(data["opinion"]), "recommendation": data["recommendation"],
            "amount": str(amount) if amount is not None else None}


def _submit(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    if app.kind in NOTICE_KINDS and not has_minor(app, today()):
        raise ValidationError(_("A public notice is required before the county decides."),
                              code="notice")
    return {}


def _approve(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    if app.kind in NOTICE_KINDS and not has_minor(app, today()):
        _require_notice_over(app)
    amount = _amount(data, required=app.kind in TEMPORARY_KINDS and app.amount is None)
    if amount is not None:
        app.amount = amount
    _require_no_recent_grant(app)
    _decide(app, actor, data["reason"])
    app.enrollment_id = _enrol(actor, app)
    return {"amount": str(app.amount) if app.amount is not None else None}


def _refuse(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    _decide(app, actor, data["reason"])
    return {}


def _complete(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    return _visit_record(data)


def _refer(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    referral = _new_referral(actor, app.household, app.beneficiary or app.applicant,
                             data, application=app)
    _decide(app, actor, str(data.get("subject", "")))
    return {"referral": referral.number}


def _withdraw(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    app.decision_reason = str(data["reason"])
    app.decided_on = today()
    app.resident_informed_on = today()  # the applicant asked for it
    return {}


def _extend(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    if app.extended:
        raise ValidationError(_("The time limit was already extended once."), code="extended")
    app.extended = True
    return {}


def _inform(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
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
