"""Single-window endpoints under /api/v1/intake/: parse, call one service, render.

Applications and referrals are looked up through the jurisdiction filter (outside the
caller's areas: 404). Service errors become JSON through the handlers of safetynet/api.py;
an action the state machine does not allow answers 409. A county decision (a transition
with ``decision=True``) by a user who must use a second factor needs ``otp_code`` unless
the session already passed it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp import match_token
from ninja import Query, Router, Status
from ninja.errors import HttpError

from safetynet.accounts.actor import actor_of
from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.masking import mask_id, mask_id_numbers
from safetynet.core.paging import MAX_PAGE_SIZE, PAGE_SIZE, paged
from safetynet.core.schemas import Choice
from safetynet.intake import schemas as s
from safetynet.intake import selectors
from safetynet.intake.models import (
    OPEN_REFERRAL_STATES,
    Application,
    Channel,
    Kind,
    Referral,
    ReferralState,
    State,
    Step,
)
from safetynet.intake.services import applications, common, referrals
from safetynet.intake.workflow import ACTION_LABELS, Transition, TransitionRefused, find
from safetynet.registry import access
from safetynet.registry import selectors as registry
from safetynet.registry.models import Household, Person

router = Router(tags=["intake"])

ERRORS: dict[int, type[s.ErrorsOut]] = {401: s.ErrorsOut, 403: s.ErrorsOut, 404: s.ErrorsOut,
                                         409: s.ErrorsOut, 422: s.ErrorsOut}
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 60
# Fields an action may record besides its required ones (workflow.Transition.records).
OPTIONAL_FIELDS: dict[str, frozenset[str]] = {
    "visit": frozenset({"both_signed"}), "complete": frozenset({"both_signed"}),
    "object": frozenset({"objector"}), "review": frozenset({"amount"}),
    "approve": frozenset({"amount"}), "post_notice": frozenset({"backdate_reason"}),
}


# --- who may call ---------------------------------------------------------------------------


def reader(request: HttpRequest) -> Any:
    """The caller, if their role works with the registry (and so with applications)."""
    user = request.auth  # type: ignore[attr-defined]
    if not getattr(user, "can_read_registry", False):
        raise PermissionDenied(_("Your role has no access to the single window."))
    return user


def referral_user(request: HttpRequest) -> Any:
    """Registry readers, and partner-department handlers for their department's inbox."""
    user = request.auth  # type: ignore[attr-defined]
    if may(user, Capability.HANDLE_REFERRALS):
        return user
    return reader(request)


# --- rendering ------------------------------------------------------------------------------


def masked(value: Any) -> Any:
    """Free text may quote an ID number: never let one leave the API whole."""
    if isinstance(value, str):
        return mask_id_numbers(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [masked(item) for item in value]
    return value


def person_ref(user: Any, person: Person | None, today: dt.date) -> dict[str, Any] | None:
    if person is None:
        return None
    shown = access.can_open(user, person, today)
    return {"id": person.pk, "name": person.name if shown else "",
            "id_number": mask_id(person.id_number) if shown else "", "restricted": not shown}


def application_out(user: Any, app: Application, today: dt.date) -> dict[str, Any]:
    return {
        "id": app.pk, "number": app.number, "kind": app.kind,
        "kind_label": app.get_kind_display(), "state": app.state,
        "state_label": app.get_state_display(), "channel": app.channel,
        "household_id": app.household_id, "household_number": app.household.number,
        "area_code": app.area.code, "area_name": app.area.name,
        "applicant": person_ref(user, app.applicant, today),
        "beneficiary": person_ref(user, app.beneficiary, today),
        "reason": masked(app.reason), "details": masked(app.details),
        "requested_amount": app.requested_amount, "amount": app.amount,
        "decision_reason": masked(app.decision_reason), "due_on": app.due_on,
        "overall_due_on": app.overall_due_on,
        "overdue": app.due_on is not None and app.due_on < today,
        "accepted_on": app.accepted_on, "notice_start": app.notice_start,
        "notice_end": app.notice_end, "decided_on": app.decided_on,
        "resident_informed_on": app.resident_informed_on, "extended": app.extended,
        "enrollment_id": app.enrollment_id, "created_at": app.created_at,
    }


def step_out(step: Step) -> dict[str, Any]:
    return {"action": step.action, "from_state": step.from_state, "to_state": step.to_state,
            "actor": str(step.actor), "at": step.at, "note": masked(step.note),
            "data": masked(step.data), "was_due_on": step.was_due_on}


def action_out(user: Any, transition: Transition) -> dict[str, Any]:
    return {"action": transition.action, "label": str(transition.label),
            "records": list(transition.records), "decision": transition.decision,
            "otp_required": transition.decision and bool(getattr(user, "otp_required", False))}


def application_detail(user: Any, app: Application) -> dict[str, Any]:
    out = application_out(user, app, common.today())
    out["steps"] = [step_out(step) for step in selectors.timeline(app)]
    out["actions"] = [action_out(user, t) for t in selectors.actions_for(user, app)]
    return out


def referral_out(user: Any, referral: Referral, today: dt.date) -> dict[str, Any]:
    application = referral.application
    return {
        "id": referral.pk, "number": referral.number, "state": referral.state,
        "state_label": referral.get_state_display(), "department": referral.department,
        "department_label": referral.get_department_display(),
        "subject": masked(referral.subject), "description": masked(referral.description),
        "household_id": referral.household_id, "household_number": referral.household.number,
        "area_code": referral.area.code, "person": person_ref(user, referral.person, today),
        "application_id": referral.application_id,
        "application_number": application.number if application else None,
        "due_on": referral.due_on,
        "overdue": referral.due_on < today and referral.state in OPEN_REFERRAL_STATES,
        "sent_at": referral.sent_at, "accepted_at": referral.accepted_at,
        "answer": masked(referral.answer), "answered_at": referral.answered_at,
        "return_reason": masked(referral.return_reason),
        "resident_informed_on": referral.resident_informed_on,
    }



# --- applications ---------------------------------------------------------------------------


@router.get("/applications", response={200: s.ApplicationPageOut, **ERRORS})
def list_applications(request: HttpRequest,
                      state: Annotated[str, Choice(State, blank=True)] = "",
                      kind: Annotated[str, Choice(Kind, blank=True)] = "",
                      overdue: bool = False, page: int = Query(1, ge=1),
                      page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
                      ) -> dict[str, Any]:
    """Applications in the caller's areas, newest first; ``overdue=true``: past due."""
    user = reader(request)
    today = common.today()
    found = selectors.applications_for(user).select_related("beneficiary")
    if state:
        found = found.filter(state=state)
    if kind:
        found = found.filter(kind=kind)
    if overdue:
        found = found.filter(due_on__lt=today).order_by("due_on", "pk")
    return paged(found, page, page_size, lambda app: application_out(user, app, today))


@router.get("/applications/{application_id}", response={200: s.ApplicationDetailOut, **ERRORS})
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """One application with its steps, due dates and what the caller may do now."""
    user = reader(request)
    return application_detail(user, selectors.application_for(user, application_id))


@router.post("/applications", response={200: s.ApplicationDetailOut,
                                        201: s.ApplicationDetailOut, **ERRORS})
def create_application(request: HttpRequest, payload: s.ApplicationIn) -> Status[dict[str, Any]]:
    """Register an application (channel ``api``). With ``Idempotency-Key``, sending the
    same request again answers 200 with the application made the first time."""
    user = reader(request)
    key = idempotency_key(request, user)
    done = earlier(user, key, payload)
    if done is not None:
        return Status(200, application_detail(user, done))
    household = household_named(user, payload)
    try:
        app = applications.create_application(
            actor_of(request), kind=payload.kind, household=household,
            applicant=person_named(user, payload.applicant_id, "applicant_id"),
            beneficiary=(person_named(user, payload.beneficiary_id, "beneficiary_id")
                         if payload.beneficiary_id is not None else None),
            reason=payload.reason, details=payload.details,
            requested_amount=payload.requested_amount, channel=Channel.API,
            idempotency_key=key)
    except ValidationError:
        done = earlier(user, key, payload)  # the same request, sent twice at once
        if done is None:
            raise
        return Status(200, application_detail(user, done))
    return Status(201, application_detail(user, selectors.application_for(user, app.pk)))


def idempotency_key(request: HttpRequest, user: Any) -> str | None:
    """The caller's key, kept per user so that two systems never share one."""
    raw = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if not raw:
        return None
    if len(raw) > MAX_KEY_LENGTH or not (raw.isascii() and raw.isprintable()):
        raise ValidationError({IDEMPOTENCY_HEADER: _(
            "Use at most %(n)s printable ASCII characters (a UUID, for example).")
            % {"n": MAX_KEY_LENGTH}})
    return f"api:{user.pk}:{raw}"


def earlier(user: Any, key: str | None, payload: s.ApplicationIn) -> Application | None:
    """The application this user already made with this key (the same request only)."""
    if key is None:
        return None
    done = Application.objects.filter(idempotency_key=key, created_by=user).first()
    if done is None:
        return None
    same = (done.kind == payload.kind and done.applicant_id == payload.applicant_id
            and payload.household_id in (None, done.household_id)
            and payload.beneficiary_id in (None, done.beneficiary_id))
    if not same:
        raise ValidationError({IDEMPOTENCY_HEADER: _(
            "This key was already used for application %(number)s with other data.")
            % {"number": done.number}})
    return selectors.application_for(user, done.pk)


def household_named(user: Any, payload: s.ApplicationIn) -> Household:
    households = registry.households_for(user).select_related("area")
    if payload.household_id is not None:
        field, found = "household_id", households.filter(pk=payload.household_id).first()
    else:
        field, found = "household_number", households.filter(
            number=payload.household_number).first()
    if found is None or not found.active:
        raise ValidationError({field: _("No active household %(ref)s in your areas.")
                               % {"ref": payload.household_id or payload.household_number}})
    return found


def person_named(user: Any, pk: int, field: str) -> Person:
    found = registry.persons_for(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("No person %(id)s in your areas.") % {"id": pk}})
    return found


@router.post("/applications/{application_id}/actions/{action}",
             response={200: s.ApplicationDetailOut, **ERRORS})
def take_action(request: HttpRequest, application_id: int,
                action: Annotated[str, Choice(ACTION_LABELS)],
                payload: s.ActionIn | None = None) -> dict[str, Any]:
    """Take one action of the state machine; the body carries what it records (none, or
    ``{}``, for actions that record nothing)."""
    payload = payload or s.ActionIn.model_validate({})
    user = reader(request)
    actor = actor_of(request)
    app = selectors.application_for(user, application_id)
    transition = declared(app, action)
    if transition.decision:
        require_second_factor(actor, payload.otp_code)
    data = action_data(transition, payload)
    try:
        applications.take_action(actor, app, action, data)
    except ValidationError as exc:
        raise_conflict(exc)
        raise
    return application_detail(user, selectors.application_for(user, app.pk))


def declared(app: Application, action: str) -> Transition:
    try:
        return find(app.kind, app.state, action)
    except TransitionRefused as exc:
        raise HttpError(409, str(exc)) from None


def raise_conflict(exc: ValidationError) -> None:
    """A state change refused because of the current state (someone was quicker): 409."""
    if getattr(exc, "code", None) == "transition":
        raise HttpError(409, " ".join(exc.messages)) from None


def action_data(transition: Transition, payload: s.ActionIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_none=True, exclude={"otp_code"})
    allowed = set(transition.records) | OPTIONAL_FIELDS.get(transition.action, frozenset())
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        raise ValidationError({name: _("“%(action)s” does not record this field.")
                               % {"action": transition.label} for name in unexpected})
    return data


def require_second_factor(actor: Actor, code: str | None) -> None:
    """Decisions by approvers need a fresh TOTP code, unless this session passed one
    (``actor.verified``; bearer-token callers never have one)."""
    user = actor.user
    if not user.otp_required or actor.verified:
        return
    if not code:
        raise PermissionDenied(_("A decision needs your one-time code: send it as otp_code."))
    if match_token(user, code) is None:
        audit.record("intake.otp_failed", user=actor, result="failed")
        raise PermissionDenied(_("The one-time code is wrong or has expired."))


# --- referrals ------------------------------------------------------------------------------


@router.post("/referrals", response={201: s.ReferralOut, **ERRORS})
def send_referral(request: HttpRequest, payload: s.ReferralIn) -> Status[dict[str, Any]]:
    """Refer a case or need to a partner department (转办)."""
    user = reader(request)
    household = registry.households_for(user).filter(pk=payload.household_id).first()
    if household is None:
        raise ValidationError({"household_id": _("No active household %(ref)s in your areas.")
                               % {"ref": payload.household_id}})
    person = (person_named(user, payload.person_id, "person_id")
              if payload.person_id is not None else None)
    application = application_named(user, payload.application_id)
    referral = referrals.send_referral(
        actor_of(request), household,
        payload.model_dump(include={"department", "subject", "description"}),
        person=person, application=application)
    return Status(201, referral_out(user, selectors.referral_for(user, referral.pk),
                                    common.today()))


def application_named(user: Any, pk: int | None) -> Application | None:
    if pk is None:
        return None
    found = selectors.applications_for(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"application_id": _("No application %(id)s in your areas.")
                               % {"id": pk}})
    return found


@router.get("/referrals", response={200: s.ReferralPageOut, **ERRORS})
def list_referrals(request: HttpRequest,
                   state: Annotated[str, Choice(ReferralState, blank=True)] = "",
                   inbox: bool = False,
                   page: int = Query(1, ge=1),
                   page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)) -> dict[str, Any]:
    """A partner handler: its department's referrals; window staff: their areas'.
    ``inbox=true``: only those waiting for the caller."""
    user = referral_user(request)
    today = common.today()
    found = selectors.referral_queue(user) if inbox else selectors.referrals_for(user)
    if state:
        found = found.filter(state=state)
    return paged(found, page, page_size, lambda ref: referral_out(user, ref, today))


@router.get("/referrals/{referral_id}", response={200: s.ReferralOut, **ERRORS})
def get_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    user = referral_user(request)
    return referral_out(user, selectors.referral_for(user, referral_id), common.today())


def referral_step(request: HttpRequest, referral_id: int,
                  change: Callable[[Actor, Referral], Referral]) -> dict[str, Any]:
    user = referral_user(request)
    referral = selectors.referral_for(user, referral_id)
    try:
        change(actor_of(request), referral)
    except ValidationError as exc:
        raise_conflict(exc)
        raise
    return referral_out(user, selectors.referral_for(user, referral_id), common.today())


@router.post("/referrals/{referral_id}/accept", response={200: s.ReferralOut, **ERRORS})
def accept_referral(request: HttpRequest, referral_id: int) -> dict[str, Any]:
    """The partner department takes the referral on."""
    return referral_step(request, referral_id, lambda actor, ref: referrals.accept_referral(
        actor, ref))


@router.post("/referrals/{referral_id}/answer", response={200: s.ReferralOut, **ERRORS})
def answer_referral(request: HttpRequest, referral_id: int, payload: s.AnswerIn
                    ) -> dict[str, Any]:
    return referral_step(request, referral_id, lambda actor, ref: referrals.answer_referral(
        actor, ref, payload.answer))


@router.post("/referrals/{referral_id}/return", response={200: s.ReferralOut, **ERRORS})
def return_referral(request: HttpRequest, referral_id: int, payload: s.ReturnIn
                    ) -> dict[str, Any]:
    """The department sends the referral back, saying why."""
    return referral_step(request, referral_id, lambda actor, ref: referrals.return_referral(
        actor, ref, payload.reason))


@router.post("/referrals/{referral_id}/close", response={200: s.ReferralOut, **ERRORS})
def close_referral(request: HttpRequest, referral_id: int, payload: s.CloseIn
                   ) -> dict[str, Any]:
    """The window told the resident the answer."""
    return referral_step(request, referral_id, lambda actor, ref: referrals.close_referral(
        actor, ref, payload.informed_on))
