"""Child-protection endpoints under /api/v1/children/: the 12345 hotline system registers
minors' cases and follows them (the cases page's tabs, steps and actions); child workers
record and read delegated-guardianship confirmations. Parse, call one service, render;
records outside the caller's areas answer 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from safetynet.accounts.actor import actor_of
from safetynet.accounts.roles import Department
from safetynet.children import selectors
from safetynet.children.models import (
    CaseKind,
    ChildProfile,
    GuardianshipConfirmation,
    HotlineCase,
    Service,
    Urgency,
)
from safetynet.children.services import access, common, guardianship, hotline
from safetynet.core import audit
from safetynet.core.jurisdiction import area_q, get_in_scope
from safetynet.core.masking import mask_id, mask_id_numbers, mask_phone
from safetynet.core.paging import MAX_PAGE_SIZE, PAGE_SIZE, paged
from safetynet.core.schemas import (
    MAX_TEXT,
    Choice,
    ErrorsOut,
    RequestDate,
    RequestDateTime,
)
from safetynet.registry.schemas import RequestSchema

router = Router(tags=["children"])


class CaseIn(Schema):
    kind: Annotated[str, Choice(CaseKind)]
    urgency: Annotated[str, Choice(Urgency)] = "normal"
    caller_name: str = Field("", max_length=40)
    caller_phone: str = Field("", max_length=20)
    child_name: str = Field(max_length=40)
    child_age: int | None = None
    area_code: str = Field(max_length=12)
    what_happened: str = Field(max_length=MAX_TEXT)
    department: Annotated[str, Choice(Department, blank=True)] = ""
    service: Annotated[str, Choice(Service, blank=True)] = ""
    handed_over_at: RequestDateTime | None = None
    outcome: str = Field("", max_length=MAX_TEXT)


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    urgency: str
    state: str
    area_code: str
    child_name: str
    department: str
    due_on: dt.date | None
    escalation_level: int
    responsible: str
    outcome: str


def _out(case: HotlineCase) -> CaseOut:
    return CaseOut(id=case.pk, number=case.number, kind=case.kind, urgency=case.urgency,
                   state=case.state, area_code=case.area_id, child_name=case.child_name,
                   department=case.department, due_on=case.due_on,
                   escalation_level=case.escalation_level, responsible=str(case.responsible),
                   outcome=case.outcome)


def _caller(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not selectors.may_see_cases(user):
        raise PermissionDenied(_("Minors' hotline cases are open only to the 12345 hotline "
                                 "and child workers."))
    return user


@router.post("/cases", response={201: CaseOut})
def open_case(request: HttpRequest, payload: CaseIn) -> Status:
    """Register a minor's case received by the 12345 hotline."""
    _caller(request)
    case = hotline.open_case(actor_of(request), payload.dict())
    return Status(201, _out(case))


@router.get("/cases", response=list[CaseOut])
def list_cases(request: HttpRequest,
               state: Annotated[str, Choice(("open", "all"))] = "open") -> list[CaseOut]:
    """Cases in the caller's areas: ``open`` (default) or ``all``."""
    user = _caller(request)
    cases = selectors.open_cases(user) if state == "open" else selectors.cases_for(user)
    return [_out(c) for c in cases[:200]]


@router.get("/cases/{pk}", response=CaseOut)
def get_case(request: HttpRequest, pk: int) -> CaseOut:
    return _out(selectors.case_for(_caller(request), pk))


# --- shared by the endpoints below (guardianship confirmations, hotline case actions) ------
# The pages' checks: children's records are open to child directors and supervisors in their
# areas (``child_worker``), changes to the editors of the child's village; hotline cases to
# the 12345 hotline and child workers. A record outside the caller's areas answers 404, ID
# numbers and phone numbers are masked.

ERRORS: dict[int, type[ErrorsOut]] = {401: ErrorsOut, 403: ErrorsOut, 404: ErrorsOut,
                                      409: ErrorsOut, 422: ErrorsOut}
NO_SCAN = File(None)  # an optional multipart file (ninja's marker, shared)


def _child_worker(request: HttpRequest) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    if not selectors.works_with_children(user):
        raise PermissionDenied(_("Children's records are open only to child directors and "
                                 "supervisors."))
    return user



class ChildRefOut(Schema):
    id: int
    name: str
    id_number: str = Field(description="masked: 320722********0019")
    area_code: str
    guardianship_signed_on: dt.date | None


def _child_ref(child: ChildProfile) -> dict[str, Any]:
    return {"id": child.pk, "name": child.person.name,
            "id_number": mask_id(child.person.id_number), "area_code": child.area_id,
            "guardianship_signed_on": child.guardianship_signed_on}


# --- delegated-guardianship confirmations ---------------------------------------------------


class ConfirmationIn(Schema):
    signed_on: RequestDate
    signed_by: str = Field(max_length=40, description="the parent or legal guardian")
    signer_relation: str = Field(max_length=20)
    guardian_name: str = Field(max_length=40)
    guardian_relation: str = Field(max_length=20)
    guardian_phone: str = Field("", max_length=20)


class ConfirmationOut(Schema):
    id: int
    child: ChildRefOut
    signed_on: dt.date
    signed_by: str
    signer_relation: str
    guardian_name: str
    guardian_relation: str
    guardian_phone: str = Field(description="masked: 138****5678")
    scan: bool
    recorded_by: str
    recorded_at: dt.datetime


class ConfirmationPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ConfirmationOut]


class ChildPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ChildRefOut]


def _confirmation_out(c: GuardianshipConfirmation) -> dict[str, Any]:
    return {"id": c.pk, "child": _child_ref(c.child), "signed_on": c.signed_on,
            "signed_by": c.signed_by, "signer_relation": c.signer_relation,
            "guardian_name": c.guardian_name, "guardian_relation": c.guardian_relation,
            "guardian_phone": mask_phone(c.guardian_phone), "scan": bool(c.scan),
            "recorded_by": str(c.recorded_by), "recorded_at": c.recorded_at}


def _confirmations(user: Any) -> QuerySet[GuardianshipConfirmation]:
    return GuardianshipConfirmation.objects.filter(
        child__in=selectors.children_for(user).values("pk")).select_related(
        "child__person", "recorded_by")


@router.get("/confirmations", response={200: ConfirmationPageOut, **ERRORS})
def list_confirmations(request: HttpRequest, child: int | None = None,
                       area: str = Query("", max_length=12),
                       page: int = Query(1, ge=1),
                       page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
                       ) -> dict[str, Any]:
    """Signed confirmations of the children in the caller's areas, newest first."""
    found = _confirmations(_child_worker(request))
    if child is not None:
        found = found.filter(child_id=child)
    if area:
        found = found.filter(area_q([area], "child__area__code"))
    return paged(found.order_by("-signed_on", "-pk"), page, page_size, _confirmation_out)


@router.get("/confirmations/{confirmation_id}", response={200: ConfirmationOut, **ERRORS})
def get_confirmation(request: HttpRequest, confirmation_id: int) -> dict[str, Any]:
    user = _child_worker(request)
    found = get_in_scope(_confirmations(user), user, "child__area__code", pk=confirmation_id)
    audit.record("children.view", request=request, obj=found.child, confirmation=found.pk)
    return _confirmation_out(found)


@router.get("/confirmations/{confirmation_id}/scan", response={404: ErrorsOut, 403: ErrorsOut})
def confirmation_scan(request: HttpRequest, confirmation_id: int) -> HttpResponseBase:
    """The scanned signed form (audited, never cached), as the page serves it."""
    user = _child_worker(request)
    found = get_in_scope(_confirmations(user), user, "child__area__code", pk=confirmation_id)
    if not found.scan:
        raise Http404
    audit.record("children.scan_view", request=request, obj=found)
    response = FileResponse(found.scan.open("rb"))
    response["Cache-Control"] = "no-store, private"
    return response


@router.get("/guardianship/missing", response={200: ChildPageOut, **ERRORS})
def missing_guardianship(request: HttpRequest, page: int = Query(1, ge=1),
                         page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)
                         ) -> dict[str, Any]:
    """Followed children without a signed confirmation (the work list's)."""
    found = selectors.missing_guardianship(_child_worker(request))
    return paged(found, page, page_size, _child_ref)


@router.post("/profiles/{child_id}/confirmations", response={201: ConfirmationOut, **ERRORS})
def record_confirmation(request: HttpRequest, child_id: int, payload: Form[ConfirmationIn],
                        scan: UploadedFile | None = NO_SCAN) -> Status:
    """A signed confirmation (multipart: its fields and the optional ``scan``)."""
    user = _child_worker(request)
    child = selectors.child_for(user, child_id)
    if not access.may_edit(user, child.area_id):
        raise PermissionDenied(_("Only the child director or supervisor of this village may "
                                 "change a child's record."))
    done = guardianship.record_confirmation(actor_of(request), child, payload.dict(),
                                            scan=scan or None)
    return Status(201, _confirmation_out(done))


# --- hotline cases: the page's tabs and actions ---------------------------------------------


class CasePageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseOut]


class CaseStepOut(Schema):
    action: str
    actor: str
    at: dt.datetime
    note: str


class CaseReferIn(RequestSchema):
    department: Annotated[str, Choice(Department)]
    note: str = Field("", max_length=MAX_TEXT)


class CaseHandOverIn(RequestSchema):
    service: Annotated[str, Choice(Service)] = Field(description="110 or 120")
    handed_over_at: RequestDateTime


class CaseEscalateIn(RequestSchema):
    note: str = Field(max_length=200)


class CaseCloseIn(RequestSchema):
    outcome: str = Field(max_length=MAX_TEXT)



CASE_TABS = ("open", "mine", "late", "all")


@router.get("/worklist/cases", response={200: CasePageOut, **ERRORS})
def case_worklist(request: HttpRequest,
                  show: Annotated[str, Choice(CASE_TABS)] = "open", page: int = Query(1, ge=1),
                  page_size: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)) -> dict[str, Any]:
    """The cases page's tabs: ``open`` (default), ``mine``, ``late`` (overdue or
    escalated) or ``all``, paginated."""
    user = _caller(request)
    tabs: dict[str, Callable[[], QuerySet[HotlineCase]]] = {
        "open": lambda: selectors.open_cases(user), "mine": lambda: selectors.my_cases(user),
        "late": lambda: selectors.escalated_cases(user, common.today()),
        "all": lambda: selectors.cases_for(user).order_by("-received_at", "-pk")}
    if show not in tabs:
        raise ValidationError({"show": _("not an allowed value; use one of: %(v)s")
                               % {"v": ", ".join(tabs)}})
    return paged(tabs[show](), page, page_size, lambda c: _out(c).dict())


@router.get("/cases/{pk}/steps", response={200: list[CaseStepOut], **ERRORS})
def case_steps(request: HttpRequest, pk: int) -> list[dict[str, Any]]:
    """What was done on the case, in order (the opening is audited like the page's)."""
    case = selectors.case_for(_caller(request), pk)
    audit.record("children.case.view", request=request, obj=case)
    return [{"action": s.action, "actor": str(s.actor), "at": s.at,
             "note": mask_id_numbers(s.note)} for s in case.steps.select_related("actor")]


@router.post("/cases/{pk}/refer", response={200: CaseOut, **ERRORS})
def refer_case(request: HttpRequest, pk: int, payload: CaseReferIn) -> CaseOut:
    """A work order to a department, with its deadline."""
    user = _caller(request)
    case = selectors.case_for(user, pk)
    return _out(hotline.refer_case(actor_of(request), case, payload.department, payload.note))


@router.post("/cases/{pk}/hand_over", response={200: CaseOut, **ERRORS})
def hand_over_case(request: HttpRequest, pk: int, payload: CaseHandOverIn) -> CaseOut:
    """The case turned out to be an emergency, handed over to 110 or 120."""
    user = _caller(request)
    case = selectors.case_for(user, pk)
    return _out(hotline.hand_over(actor_of(request), case, payload.dict()))


@router.post("/cases/{pk}/escalate", response={200: CaseOut, **ERRORS})
def escalate_case(request: HttpRequest, pk: int, payload: CaseEscalateIn) -> CaseOut:
    user = _caller(request)
    case = selectors.case_for(user, pk)
    return _out(hotline.escalate(actor_of(request), case, payload.note))


@router.post("/cases/{pk}/close", response={200: CaseOut, **ERRORS})
def close_case(request: HttpRequest, pk: int, payload: CaseCloseIn) -> CaseOut:
    user = _caller(request)
    case = selectors.case_for(user, pk)
    return _out(hotline.close_case(actor_of(request), case, payload.outcome))
