"""Request and response shapes of the single-window API.

Requests refuse unknown fields (``extra="forbid"``) like the registry API. Responses are
built by ``safetynet.intake.api`` from the models with every ID number masked and
children under 14 shown only to those who work with children.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import model_validator

from safetynet.accounts.roles import Department
from safetynet.core.schemas import MAX_TEXT, Choice, ErrorOut, ErrorsOut, RequestDate
from safetynet.intake.models import CheckSource, Kind, ReferralState, State
from safetynet.registry.schemas import RequestSchema

__all__ = ["MAX_TEXT", "ErrorOut", "ErrorsOut"]

# --- requests ---------------------------------------------------------------------------


class ApplicationIn(RequestSchema):
    """A new application; the household by ``household_id`` or ``household_number``."""

    kind: Kind
    household_id: int | None = None
    household_number: str | None = Field(None, max_length=20)
    applicant_id: int = Field(description="a living member of the household")
    beneficiary_id: int | None = Field(
        None, description="the member a per-person programme is for (default: the applicant)")
    reason: str = Field(min_length=1, max_length=MAX_TEXT)
    details: dict[str, Any] = Field(default_factory=dict)
    requested_amount: Decimal | None = Field(None, gt=0, max_digits=12, decimal_places=2)

    @model_validator(mode="after")
    def one_household(self) -> ApplicationIn:
        if (self.household_id is None) == (self.household_number is None):
            raise ValueError("give household_id or household_number (one of them)")
        return self


class ActionIn(RequestSchema):
    """What an action records; which fields each action needs is in ``actions`` of the
    application (``records``). ``otp_code``: a county decision's one-time code."""

    otp_code: str | None = Field(None, pattern=r"^[0-9]{6}$")
    reason: str | None = Field(None, max_length=MAX_TEXT)
    sources: list[Annotated[str, Choice(CheckSource)]] | None = Field(
        None, max_length=len(CheckSource.values))
    check_findings: str | None = Field(None, max_length=MAX_TEXT)
    visited_on: RequestDate | None = None
    investigator_1: str | None = Field(None, max_length=40)
    investigator_2: str | None = Field(None, max_length=40)
    findings: str | None = Field(None, max_length=MAX_TEXT)
    both_signed: bool | None = None
    opinion: str | None = Field(None, max_length=MAX_TEXT)
    recommendation: Literal["approve", "refuse"] | None = None
    amount: Decimal | None = Field(None, max_digits=12, decimal_places=2)
    notice_start: RequestDate | None = None
    backdate_reason: str | None = Field(None, max_length=MAX_TEXT)
    received_on: RequestDate | None = None
    objector: str | None = Field(None, max_length=60)
    content: str | None = Field(None, max_length=MAX_TEXT)
    appraisal: str | None = Field(None, max_length=MAX_TEXT)
    outcome: str | None = Field(None, max_length=MAX_TEXT)
    department: Department | None = None
    subject: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=MAX_TEXT)
    informed_on: RequestDate | None = None


class ReferralIn(RequestSchema):
    household_id: int
    person_id: int | None = Field(None, description="the member concerned, if one")
    application_id: int | None = Field(None, description="the application it belongs to")
    department: Department
    subject: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=MAX_TEXT)


class AnswerIn(RequestSchema):
    answer: str = Field(min_length=1, max_length=MAX_TEXT)


class ReturnIn(RequestSchema):
    reason: str = Field(min_length=1, max_length=MAX_TEXT)


class CloseIn(RequestSchema):
    informed_on: RequestDate


# --- responses --------------------------------------------------------------------------


class PersonRefOut(Schema):
    id: int
    name: str = Field(description='"" when the record is closed to the caller (under 14)')
    id_number: str = Field(description="masked: 320722********0019")
    restricted: bool = Field(description="a child's record the caller's role may not open")


class ActionOut(Schema):
    action: str
    label: str
    records: list[str] = Field(description="fields the action must record")
    decision: bool = Field(description="a decision: its maker may not take it")
    otp_required: bool = Field(description="otp_code needed (unless the session is verified)")


class StepOut(Schema):
    action: str
    from_state: str
    to_state: str
    actor: str
    at: datetime
    note: str
    data: dict[str, Any]
    was_due_on: date | None


class ApplicationOut(Schema):
    id: int
    number: str
    kind: Kind
    kind_label: str
    state: State
    state_label: str
    channel: str
    household_id: int
    household_number: str
    area_code: str
    area_name: str
    applicant: PersonRefOut
    beneficiary: PersonRefOut | None
    reason: str
    details: dict[str, Any]
    requested_amount: Decimal | None
    amount: Decimal | None
    decision_reason: str
    due_on: date | None
    overall_due_on: date | None
    overdue: bool
    accepted_on: date | None
    notice_start: date | None
    notice_end: date | None
    decided_on: date | None
    resident_informed_on: date | None
    extended: bool
    enrollment_id: int | None
    created_at: datetime


class ApplicationDetailOut(ApplicationOut):
    steps: list[StepOut]
    actions: list[ActionOut] = Field(description="what the caller may do now")


class ApplicationPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ApplicationOut]


class ReferralOut(Schema):
    id: int
    number: str
    state: ReferralState
    state_label: str
    department: Department
    department_label: str
    subject: str
    description: str
    household_id: int
    household_number: str
    area_code: str
    person: PersonRefOut | None
    application_id: int | None
    application_number: str | None
    due_on: date
    overdue: bool
    sent_at: datetime
    accepted_at: datetime | None
    answer: str
    answered_at: datetime | None
    return_reason: str
    resident_informed_on: date | None


class ReferralPageOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[ReferralOut]
