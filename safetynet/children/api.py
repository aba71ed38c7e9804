"""Child-protection endpoints under /api/v1/children/: the 12345 hotline system registers
minors' cases and follows them. Parse, call one service, render; cases outside the
caller's areas answer 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from safetynet.children import selectors, services
from safetynet.children.models import HotlineCase

router = Router(tags=["children"])


class CaseIn(Schema):
    kind: str
    urgency: str = "normal"
    caller_name: str = ""
    caller_phone: str = ""
    child_name: str
    child_age: int | None = None
    area_code: str
    what_happened: str
    department: str = ""
    service: str = ""
    handed_over_at: dt.datetime | None = None
    outcome: str = ""


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
    case = services.open_case(_caller(request), payload.dict(), request=request)
    return Status(201, _out(case))


@router.get("/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, state: str = "open") -> list[CaseOut]:
    """Cases in the caller's areas: ``open`` (default) or ``all``."""
    user = _caller(request)
    cases = selectors.open_cases(user) if state == "open" else selectors.cases_for(user)
    return [_out(c) for c in cases[:200]]


@router.get("/cases/{pk}", response=CaseOut)
def get_case(request: HttpRequest, pk: int) -> CaseOut:
    return _out(selectors.case_for(_caller(request), pk))
