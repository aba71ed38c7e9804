"""Read side of elderly care. Every query that returns personal data goes through the
jurisdiction filter; a provider's worker sees only its own provider's orders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from safetynet.core import dates
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.eldercare import compliance, permissions, roster
from safetynet.eldercare.labels import words
from safetynet.eldercare.models import (
    Assessment,
    Institution,
    ModificationPlan,
    Provider,
    ServiceOrder,
    Statement,
    Stay,
    Visit,
)
from safetynet.registry.models import Person


def orders_for(user: Any, month: date) -> QuerySet[ServiceOrder]:
    """The month's orders the user may see: a worker its provider's, staff their areas'."""
    orders = scope(ServiceOrder.objects.filter(month=month), user)
    provider = permissions.provider_of(user)
    if provider is not None:
        return orders.filter(provider=provider)
    return orders if permissions.can_view(user) else orders.none()


def order_for(user: Any, pk: int) -> ServiceOrder:
    orders = ServiceOrder.objects.select_related("person", "area", "provider", "contract")
    provider = permissions.provider_of(user)
    if provider is not None:
        orders = orders.filter(provider=provider)
    elif not permissions.can_view(user):
        orders = orders.none()
    return get_in_scope(orders, user, pk=pk)


def worker_orders(user: Any, month: date, query: str = "") -> list[ServiceOrder]:
    """The worker's list for the month: who is still to visit first, then by village."""
    orders = orders_for(user, month).select_related("person", "area")
    if query:
        orders = orders.filter(Q(person__name__startswith=query) | Q(area__name__contains=query))
    visited = set(Visit.objects.filter(order__in=orders, voided=False)
                  .values_list("order_id", flat=True))
    found = list(orders.order_by("area_id", "person__name")[:500])
    for order in found:
        order.visited = order.pk in visited  # type: ignore[attr-defined]
    return sorted(found, key=lambda o: o.visited)  # type: ignore[attr-defined]


# --- compliance -----------------------------------------------------------------------------


@dataclass
class Row:
    order_id: int
    person_id: int
    name: str
    birth_date: date
    village: str
    township_code: str
    township: str
    provider_id: int
    provider: str
    outcome: compliance.MonthOutcome
    flagged: int = 0
    age: int = 0

    def age_on(self, day: date) -> int:
        return dates.age_on(self.birth_date, day)

    @property
    def shortfall(self) -> str:
        return words(self.outcome.reasons)


@dataclass
class Summary:
    provider: str
    township: str
    orders: int = 0
    compliant: int = 0
    no_visit: int = 0
    shortfall: int = 0
    entitlement: Decimal = Decimal("0.00")
    payable: Decimal = Decimal("0.00")

    @property
    def rate(self) -> int:
        return round(100 * self.compliant / self.orders) if self.orders else 0


@dataclass
class Compliance:
    month: date
    rows: list[Row] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)
    flagged: list[Visit] = field(default_factory=list)

    @property
    def shortfalls(self) -> list[Row]:
        return [r for r in self.rows if not r.outcome.compliant]

    @property
    def total(self) -> Summary:
        total = Summary("", "")
        for s in self.summaries:
            total.orders += s.orders
            total.compliant += s.compliant
            total.no_visit += s.no_visit
            total.shortfall += s.shortfall
            total.entitlement += s.entitlement
            total.payable += s.payable
        return total


ORDER_FIELDS = ("pk", "person_id", "person__name", "person__birth_date", "area__name",
                "area__parent_id", "area__parent__name", "provider_id", "provider__name",
                "entitlement", "area__code")


def month_compliance(user: Any, month: date, township: str = "",
                     provider_id: int | None = None) -> Compliance:
    """Every order of the month in the user's areas with whether it was delivered, the
    summary by provider and township, and the month's flagged visits."""
    orders = orders_for(user, month)
    if township:
        orders = orders.filter(area__code__startswith=township)
    if provider_id:
        orders = orders.filter(provider_id=provider_id)
    visits = _visits_by_order(orders)
    limits: dict[str, compliance.Thresholds] = {}
    report = Compliance(month)
    for o in orders.order_by("area_id", "person__name").values_list(*ORDER_FIELDS):
        (pk, person_id, name, birth, village, town_code, town, prov_id, prov, entitlement,
         area_id) = o
        if town_code not in limits:
            limits[town_code] = roster.thresholds(area_id, month)
        facts = visits.get(pk, [])
        outcome = compliance.month_outcome(facts, entitlement, limits[town_code])
        report.rows.append(Row(pk, person_id, name, birth, village, town_code, town, prov_id,
                               prov, outcome, sum(1 for f in facts if f.flags),
                               _age(birth, month)))
    report.summaries = _summaries(report.rows)
    report.flagged = list(Visit.objects.filter(order__in=orders, voided=False)
                          .exclude(flags=[]).select_related("order__person", "order__area",
                                                            "order__provider", "worker")
                          .order_by("started_at")[:200])
    for visit in report.flagged:
        visit.flag_words = words(visit.flags)  # type: ignore[attr-defined]
    return report


_age = dates.age_on


def _visits_by_order(orders: QuerySet[ServiceOrder]) -> dict[int, list[compliance.VisitFacts]]:
    found: dict[int, list[compliance.VisitFacts]] = defaultdict(list)
    rows = (Visit.objects.filter(order__in=orders.values("pk"), voided=False)
            .values_list("pk", "order_id", "worker_id", "order__person_id", "started_at",
                         "ended_at", "value", "confirmation", "flags"))
    for pk, order_id, worker, person, start, end, value, confirmation, flags in rows:
        found[order_id].append(compliance.VisitFacts(
            pk, worker, person, start, end, Decimal(value), confirmation != "none",
            tuple(flags or ())))
    return found


def _summaries(rows: list[Row]) -> list[Summary]:
    groups: dict[tuple[str, str], Summary] = {}
    for row in rows:
        s = groups.setdefault((row.provider, row.township), Summary(row.provider, row.township))
        s.orders += 1
        s.entitlement += row.outcome.entitlement
        s.payable += row.outcome.payable
        if row.outcome.compliant:
            s.compliant += 1
        elif compliance.NO_VISIT in row.outcome.reasons:
            s.no_visit += 1
        else:
            s.shortfall += 1
    return [groups[k] for k in sorted(groups)]


# --- the rest -------------------------------------------------------------------------------


def providers_for(user: Any) -> QuerySet[Provider]:
    return Provider.objects.all() if permissions.can_view(user) else Provider.objects.none()


def statements_for(user: Any) -> QuerySet[Statement]:
    if not permissions.can_view(user):
        return Statement.objects.none()
    return Statement.objects.select_related("provider", "approved_by")


def statement_lines(user: Any, statement: Statement) -> QuerySet[Any]:
    return scope(statement.lines.select_related("order__person", "order__area"), user,
                 "order__area__code")


def person_for(user: Any, pk: int) -> Person:
    return get_in_scope(Person.objects.select_related("household", "area"), user, pk=pk)


def assessments_of(user: Any, person: Person) -> QuerySet[Assessment]:
    return scope(Assessment.objects.filter(person=person).select_related("assessor"), user)


def assessments_due(user: Any, on: date) -> QuerySet[Assessment]:
    """Latest assessments whose reassessment is due by ``on`` (living people only)."""
    latest = scope(Assessment.objects.filter(person__deceased_on__isnull=True), user)
    newer = Assessment.objects.filter(person_id=OuterRef("person_id"),
                                      assessed_on__gt=OuterRef("assessed_on"))
    return latest.filter(next_due__lte=on).exclude(Exists(newer)).select_related(
        "person", "area").order_by("next_due")


def institutions_for(user: Any) -> QuerySet[Institution]:
    if not permissions.can_view(user):
        return Institution.objects.none()
    return scope(Institution.objects.all(), user, "area__code").prefetch_related("beds")


def residents(user: Any, institution: Institution) -> QuerySet[Stay]:
    return scope(institution.stays.filter(discharged_on__isnull=True)
                 .select_related("person", "area"), user).order_by("kind", "admitted_on")


def plans_for(user: Any, year: int) -> QuerySet[ModificationPlan]:
    if not permissions.can_view(user):
        return ModificationPlan.objects.none()
    return scope(ModificationPlan.objects.filter(year=year)
                 .select_related("household", "person", "area"), user)


def plan_for(user: Any, pk: int) -> ModificationPlan:
    if not permissions.can_view(user):
        return get_in_scope(ModificationPlan.objects.none(), user, pk=pk)
    return get_in_scope(ModificationPlan.objects.select_related("household", "person", "area")
                        .prefetch_related("items"), user, pk=pk)
