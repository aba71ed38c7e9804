"""Enrolment endpoints under /api/v1/benefits/ (inside the caller's areas; see
docs/payroll.md). Enrolling itself is the single window's (intake) business."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from safetynet.accounts.actor import actor_of
from safetynet.benefits import permissions, selectors, services
from safetynet.benefits.models import EndReason, Enrollment, Program, Status
from safetynet.core.schemas import MAX_TEXT, Choice, RequestDate

router = Router(tags=["benefits"])
MAX_LIMIT = 500


class EnrollmentOut(Schema):
    id: int
    program: str
    household: int
    person: int | None
    status: str
    monthly_amount: Decimal
    amount_from: dt.date
    start_month: dt.date
    end_month: dt.date | None
    end_reason: str
    persons: int
    next_review: dt.date | None
    application_id: int | None
    explanation: str


# Reasons and notes are kept in the enrolment's events (200 characters).
NOTE = 200


class ChangeIn(Schema):
    reason: str = Field(max_length=NOTE)
    effective_month: RequestDate | None = None
    amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)


class SuspendIn(Schema):
    reason: str = Field(max_length=NOTE)
    from_month: RequestDate | None = None


class ResumeIn(Schema):
    reason: str = Field("", max_length=NOTE)
    from_month: RequestDate | None = None


class TerminateIn(Schema):
    reason: Annotated[str, Choice(EndReason)]
    note: str = Field("", max_length=NOTE)
    last_month: RequestDate | None = None


class ExitIn(Schema):
    note: str = Field("", max_length=NOTE)
    from_month: RequestDate | None = None


class ReviewIn(Schema):
    facts: str = Field(max_length=MAX_TEXT)
    effective_month: RequestDate | None = None


class ReviewOut(Schema):
    outcome: str
    previous_amount: Decimal
    new_amount: Decimal
    effective_month: dt.date
    explanation: str
    enrollment: EnrollmentOut


def _out(e: Enrollment) -> EnrollmentOut:
    return EnrollmentOut(
        id=e.pk, program=e.program, household=e.household_id, person=e.person_id,
        status=e.status, monthly_amount=e.monthly_amount, amount_from=e.amount_from,
        start_month=e.start_month, end_month=e.end_month, end_reason=e.end_reason,
        persons=e.persons, next_review=e.next_review, application_id=e.application_id,
        explanation=e.explanation)


def _get(request: HttpRequest, enrollment_id: int) -> Enrollment:
    if not permissions.can_read(request.user):
        raise PermissionDenied(_("Your role may not see enrolments."))
    return selectors.enrollment(request.user, enrollment_id)


@router.get("/enrolments", response=list[EnrollmentOut])
def list_enrollments(request: HttpRequest,
                     program: Annotated[str, Choice(Program, blank=True)] = "",
                     status: Annotated[str, Choice(Status, blank=True)] = "",
                     offset: int = 0, limit: int = 100) -> list[EnrollmentOut]:
    if not permissions.can_read(request.user):
        raise PermissionDenied(_("Your role may not see enrolments."))
    found = selectors.enrollments(request.user, program, status).order_by("pk")
    return [_out(e) for e in found[max(offset, 0):max(offset, 0) + min(limit, MAX_LIMIT)]]


@router.get("/enrolments/{enrollment_id}", response=EnrollmentOut)
def get_enrollment(request: HttpRequest, enrollment_id: int) -> EnrollmentOut:
    return _out(_get(request, enrollment_id))


def _act(request: HttpRequest, enrollment_id: int, action: Any, **data: Any) -> EnrollmentOut:
    enrollment = _get(request, enrollment_id)
    clean = {k: v for k, v in data.items() if v is not None}
    return _out(action(actor_of(request), enrollment, **clean))


@router.post("/enrolments/{enrollment_id}/change", response=EnrollmentOut)
def change(request: HttpRequest, enrollment_id: int, data: ChangeIn) -> EnrollmentOut:
    return _act(request, enrollment_id, services.change_amount, **data.dict())


@router.post("/enrolments/{enrollment_id}/suspend", response=EnrollmentOut)
def suspend(request: HttpRequest, enrollment_id: int, data: SuspendIn) -> EnrollmentOut:
    return _act(request, enrollment_id, services.suspend, **data.dict())


@router.post("/enrolments/{enrollment_id}/resume", response=EnrollmentOut)
def resume(request: HttpRequest, enrollment_id: int, data: ResumeIn) -> EnrollmentOut:
    return _act(request, enrollment_id, services.resume, **data.dict())


@router.post("/enrolments/{enrollment_id}/terminate", response=EnrollmentOut)
def terminate(request: HttpRequest, enrollment_id: int, data: TerminateIn) -> EnrollmentOut:
    return _act(request, enrollment_id, services.terminate, **data.dict())


@router.post("/enrolments/{enrollment_id}/gradual-exit", response=EnrollmentOut)
def gradual_exit(request: HttpRequest, enrollment_id: int, data: ExitIn) -> EnrollmentOut:
    return _act(request, enrollment_id, services.start_gradual_exit, **data.dict())


@router.post("/enrolments/{enrollment_id}/review", response=ReviewOut)
def review(request: HttpRequest, enrollment_id: int, data: ReviewIn) -> ReviewOut:
    enrollment = _get(request, enrollment_id)
    done = services.complete_review(actor_of(request), enrollment, facts=data.facts,
                                    effective_month=data.effective_month)
    enrollment.refresh_from_db()
    return ReviewOut(outcome=done.outcome, previous_amount=done.previous_amount,
                     new_amount=done.new_amount, effective_month=done.effective_month,
                     explanation=done.explanation, enrollment=_out(enrollment))
