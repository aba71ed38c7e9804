"""Statistics endpoints under /api/v1/reports/ (bearer token or session; see
docs/reports.md). Figures carry no personal data; the jurisdiction applies to every one."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from safetynet.core.schemas import RequestMonth
from safetynet.reports import ledger
from safetynet.reports.permissions import can_read
from safetynet.reports.query import from_params
from safetynet.reports.summary import summary

router = Router(tags=["reports"])


class ProgramOut(Schema):
    program: str
    households: int
    persons: int
    amount_yuan: str


class ServiceOut(Schema):
    service: str
    label: str
    value: int
    base: int | None = None


class SummaryOut(Schema):
    from_: str = Field(alias="from")
    to: str
    area: str
    programs: list[ProgramOut]
    services: list[ServiceOut]


@router.get("/summary", response=SummaryOut, by_alias=True)
def summary_report(request: HttpRequest,
                   first: Annotated[RequestMonth | None, Query(None, alias="from")] = None,
                   last: Annotated[RequestMonth | None, Query(None, alias="to")] = None,
                   area: str = Query("", max_length=12)) -> dict[str, Any]:
    """``?from=YYYY-MM&to=YYYY-MM&area=CODE``: households, persons and yuan per programme,
    and the service figures, inside the caller's areas."""
    if not can_read(request.user):
        raise PermissionDenied(_("Your role may not see statistics."))
    query = from_params({"from": first, "to": last, "area": area}, request.user,
                        timezone.localdate(), ledger.latest_month(request.user))
    return summary(query, request.user).as_json()
