"""Elderly-care endpoints under /api/v1/eldercare/: a provider's app lists its orders and
records visits; the county reads a month's compliance (all inside the caller's areas)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from safetynet.eldercare import permissions, selectors, services
from safetynet.eldercare.models import ServiceOrder

router = Router(tags=["eldercare"])


class OrderOut(Schema):
    id: int
    month: dt.date
    person: int
    name: str
    village: str
    provider: int
    entitlement: Decimal


class VisitIn(Schema):
    started_at: dt.datetime
    ended_at: dt.datetime
    items: dict[str, int]
    confirmation: str
    confirmer_name: str = ""
    notes: str = ""


class VisitOut(Schema):
    id: int
    order: int
    minutes: int
    value: Decimal
    flags: list[str]


class ComplianceRowOut(Schema):
    order: int
    person: int
    name: str
    village: str
    township: str
    provider: str
    visits: int
    minutes: int
    value: Decimal
    entitlement: Decimal
    compliant: bool
    reasons: list[str]


def _order_out(o: ServiceOrder) -> OrderOut:
    return OrderOut(id=o.pk, month=o.month, person=o.person_id, name=o.person.name,
                    village=o.area.name, provider=o.provider_id, entitlement=o.entitlement)


@router.get("/orders", response=list[OrderOut])
def list_orders(request: HttpRequest, month: dt.date) -> list[OrderOut]:
    orders = selectors.orders_for(request.user, month.replace(day=1))
    return [_order_out(o) for o in orders.select_related("person", "area")[:2000]]


@router.post("/orders/{order_id}/visits", response={201: VisitOut})
def record_visit(request: HttpRequest, order_id: int, data: VisitIn) -> Status:
    order = selectors.order_for(request.user, order_id)
    visit = services.record_visit(request.user, order, request=request, **data.dict())
    return Status(201, VisitOut(id=visit.pk, order=order.pk, minutes=visit.minutes,
                                value=visit.value, flags=list(visit.flags)))


@router.get("/compliance", response=list[ComplianceRowOut])
def compliance(request: HttpRequest, month: dt.date, township: str = "",
               shortfall_only: bool = True) -> list[ComplianceRowOut]:
    if not permissions.can_view(request.user):
        raise PermissionDenied(_("Only civil-affairs staff see this page."))
    report = selectors.month_compliance(request.user, month.replace(day=1), township)
    rows = report.shortfalls if shortfall_only else report.rows
    return [ComplianceRowOut(
        order=r.order_id, person=r.person_id, name=r.name, village=r.village,
        township=r.township, provider=r.provider, visits=r.outcome.visits,
        minutes=r.outcome.minutes, value=r.outcome.value, entitlement=r.outcome.entitlement,
        compliant=r.outcome.compliant, reasons=list(r.outcome.reasons)) for r in rows]
