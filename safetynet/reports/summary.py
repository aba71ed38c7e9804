"""The summary report: every figure a bureau publishes for a range of months and an area,
and the records behind each one.

One registry (``FIGURES``, keyed by figure key) defines every figure once; the page, the
exports, the command line, the API, the monthly report and the drill-down lists all go
through it, so a figure and the list behind it can never disagree.

* Payment figures (``lines.PAYMENT_FIGURES``): households, persons and yuan of the paid
  payment lines, all computed in one conditional-aggregation query plus one query per
  household-level figure (persons covered), whatever the number of lines.
* Service figures (no money): home care (person-months ordered, person-months delivered
  compliantly by eldercare's own rule, persons served), age-friendly modifications accepted
  (against the yearly target), rural left-behind children (registered, insured, with a
  signed delegated-guardianship confirmation) and screening campaigns (covered groups
  visited; uncovered groups found and visited; distinct persons).

Every figure has ``records(key, query, user)``: the records it counts, such that the figure
is a plain count of them (service figures) or the same aggregate over them (payment
figures).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Min,
    Q,
    QuerySet,
)
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safetynet.benefits.months import label as month_label
from safetynet.children.models import Category, ChildProfile
from safetynet.children.selectors import in_category
from safetynet.core import areas
from safetynet.core.jurisdiction import scope, user_area_codes
from safetynet.core.masking import mask_id, mask_name
from safetynet.core.models import Area
from safetynet.core.money import from_fen
from safetynet.discovery.campaigns import group_label
from safetynet.discovery.models import Campaign, VisitStatus
from safetynet.discovery.models import Visit as ScreeningVisit
from safetynet.eldercare import compliance, roster
from safetynet.eldercare.models import ModificationPlan, PlanStatus, ServiceOrder
from safetynet.eldercare.selectors import _visits_by_order
from safetynet.payments.models import LineStatus, PaymentLine
from safetynet.registry.access import can_open
from safetynet.registry.models import Person
from safetynet.reports import ledger
from safetynet.reports.lines import PAYMENT_BY_KEY, PAYMENT_FIGURES, PaymentFigure
from safetynet.reports.models import LedgerRow
from safetynet.reports.query import ReportQuery
from safetynet.rules.parameters import current_parameters

WAN = Decimal(10000)
FOUR_PLACES = Decimal("0.0001")


def to_wan(amount: Decimal) -> Decimal:
    """Yuan as 万元 with four places (exact: a Decimal, never a float)."""
    return (amount / WAN).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


# --- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramRow:
    key: str
    label: str
    households: int
    persons: int
    amount: Decimal  # yuan

    @property
    def wan(self) -> Decimal:
        return to_wan(self.amount)

    def as_json(self) -> dict[str, Any]:
        return {"program": self.key, "households": self.households, "persons": self.persons,
                "amount_yuan": f"{self.amount:.2f}"}


@dataclass(frozen=True)
class ServiceRow:
    key: str
    label: str
    value: int
    base: int | None = None  # what the value is a share of (entitled, registered, target)
    base_label: str = ""

    @property
    def percent(self) -> Decimal | None:
        if not self.base:
            return None
        return (Decimal(100) * self.value / self.base).quantize(Decimal("0.1"),
                                                                 rounding=ROUND_HALF_UP)

    def as_json(self) -> dict[str, Any]:
        return {"service": self.key, "label": self.label, "value": self.value,
                "base": self.base}


@dataclass(frozen=True)
class Summary:
    query: ReportQuery
    area_name: str
    programs: list[ProgramRow]
    services: list[ServiceRow]

    def as_json(self) -> dict[str, Any]:
        params = self.query.as_params()
        return {"from": params["from"], "to": params["to"], "area": self.query.area,
                "programs": [r.as_json() for r in self.programs],
                "services": [r.as_json() for r in self.services]}


@dataclass(frozen=True)
class RecordRow:
    """One line of a drill-down list (names and ID numbers already masked)."""

    township: str
    village: str
    name: str
    id_number: str
    what: str
    month: str
    amount: Decimal | None = None
    status: str = ""
    persons: int | None = None


# --- payment figures ----------------------------------------------------------------------


ZERO = Decimal("0.00")


def payment_rows(query: ReportQuery, user: Any,
                 figures: Sequence[PaymentFigure] = PAYMENT_FIGURES) -> list[ProgramRow]:
    """Households, persons and yuan of each figure over the query's months, area and the
    user's jurisdiction, from the ledger of paid lines (``reports.ledger``)."""
    found = ledger.cells(query, user, figures).get(query.area, {})
    rows = []
    for f in figures:
        cell = found.get(f.key, ledger.Totals())
        rows.append(ProgramRow(f.key, str(f.label), cell.households, cell.persons,
                               from_fen(cell.fen)))
    return rows


def first_paid_month() -> date | None:
    found: date | None = (PaymentLine.objects.filter(status=LineStatus.PAID)
                          .aggregate(m=Min("period"))["m"])
    return found


# --- service figures: helpers -------------------------------------------------------------


def _in(queryset: QuerySet[Any], query: ReportQuery, user: Any,
        field_name: str = "area__code") -> QuerySet[Any]:
    """``queryset`` inside the query's area and the user's jurisdiction (None: CLI)."""
    narrowed = queryset.filter(**{f"{field_name}__startswith": query.area})
    return narrowed if user is None else scope(narrowed, user, field_name)


# --- home care ----------------------------------------------------------------------------


def care_orders(query: ReportQuery, user: Any) -> QuerySet[ServiceOrder]:
    """Home-care orders (one per entitled person and month) of the query's months."""
    return _in(ServiceOrder.objects.filter(month__gte=query.start, month__lte=query.end),
               query, user)


@dataclass
class HomeCare:
    orders: list[int] = field(default_factory=list)
    compliant: list[int] = field(default_factory=list)
    served: list[int] = field(default_factory=list)  # persons with a counted visit


def home_care(query: ReportQuery, user: Any) -> HomeCare:
    """Each order's month judged by eldercare's rule (``compliance.month_outcome``) with the
    thresholds in force for its village and month; two queries whatever the size."""
    orders = care_orders(query, user)
    visits = _visits_by_order(orders)
    params = current_parameters()
    limits: dict[tuple[str, date], compliance.Thresholds] = {}
    result, served = HomeCare(), set()
    for pk, person, month, area, entitlement in (
            orders.order_by("area_id", "month", "person__name", "pk")
            .values_list("pk", "person_id", "month", "area_id", "entitlement")):
        if (area, month) not in limits:
            limits[(area, month)] = _thresholds(params, area, month)
        outcome = compliance.month_outcome(visits.get(pk, []), Decimal(entitlement),
                                           limits[(area, month)])
        result.orders.append(pk)
        if outcome.compliant:
            result.compliant.append(pk)
        if outcome.visits and person not in served:
            served.add(person)
            result.served.append(person)
    return result


def _thresholds(params: Any, area: str, month: date) -> compliance.Thresholds:
    """``eldercare.roster.thresholds`` from parameters loaded once."""
    return roster.thresholds(area, month, params)


def _home_care_counts(query: ReportQuery, user: Any) -> dict[str, int]:
    found = home_care(query, user)
    return {"home_care_entitled": len(found.orders), "home_care_compliant": len(found.compliant),
            "home_care_served": len(found.served)}


# --- modifications ------------------------------------------------------------------------


def modifications_done(query: ReportQuery, user: Any) -> QuerySet[ModificationPlan]:
    """Plans whose work was accepted in the query's months."""
    plans = ModificationPlan.objects.filter(status=PlanStatus.DONE, accepted_on__gte=query.start,
                                            accepted_on__lt=query.after_end)
    return _in(plans, query, user)


def modification_target(query: ReportQuery) -> int | None:
    """The yearly targets of the years the query touches (the county's parameter): shown
    only for the whole county, the level it is set for."""
    if len(query.area) > len(str(settings.SAFETYNET_COUNTY_CODE)):
        return None
    param = current_parameters()["eldercare.modification_target"]
    total = 0
    for year in range(query.start.year, query.end.year + 1):
        value = param.for_area(query.area, date(year, 12, 31))
        numbers = value.value if value is not None and isinstance(value.value, dict) else {}
        total += int(numbers.get("yearly", 0))
    return total or None


# --- children -----------------------------------------------------------------------------


def left_behind(query: ReportQuery, user: Any) -> QuerySet[ChildProfile]:
    """Rural left-behind children followed, registered by the end of the query's months."""
    children = in_category(ChildProfile.objects.filter(active=True), Category.LEFT_BEHIND)
    return _in(children.filter(registered_on__lt=query.after_end), query, user)


def _signed_q(query: ReportQuery) -> Q:
    return Q(guardianship_signed_on__isnull=False, guardianship_signed_on__lt=query.after_end)


CHILD_FILTERS: dict[str, Callable[[ReportQuery], Q]] = {
    "left_behind_children": lambda q: Q(),
    "left_behind_insured": lambda q: Q(insured=True),
    "left_behind_guardianship": _signed_q,
}


def _children_counts(query: ReportQuery, user: Any) -> dict[str, int]:
    counts = left_behind(query, user).order_by().aggregate(
        **{key: Count("pk", filter=make(query)) for key, make in CHILD_FILTERS.items()})
    return {key: int(value or 0) for key, value in counts.items()}


# --- screening ----------------------------------------------------------------------------


def screening_visits(query: ReportQuery, user: Any) -> QuerySet[ScreeningVisit]:
    """Visits of the campaigns whose dates overlap the query's months."""
    campaigns = Campaign.objects.filter(starts_on__lt=query.after_end, ends_on__gte=query.start)
    return _in(ScreeningVisit.objects.filter(campaign__in=campaigns), query, user)


SCREENING_FILTERS: dict[str, Q] = {
    "screening_covered_visited": Q(covered=True) & ~Q(status=VisitStatus.PENDING),
    "screening_uncovered_found": Q(covered=False, status=VisitStatus.FOUND),
    "screening_uncovered_visited": Q(covered=False) & ~Q(status=VisitStatus.PENDING),
}


def _screening_counts(query: ReportQuery, user: Any) -> dict[str, int]:
    counts = screening_visits(query, user).order_by().aggregate(
        **{key: Count("pk", filter=q) for key, q in SCREENING_FILTERS.items()})
    return {key: int(value or 0) for key, value in counts.items()}


# --- the registry -------------------------------------------------------------------------


Records = QuerySet[Any] | list[int]


@dataclass(frozen=True)
class Figure:
    key: str
    label: Promise
    kind: str  # "payment" / "service"
    group: str  # service figures computed together; the payment figures are one group
    base: str = ""  # service: the figure (or "target") this one is a share of

    @property
    def is_payment(self) -> bool:
        return self.kind == "payment"


SERVICE_FIGURES: tuple[Figure, ...] = (
    Figure("home_care_entitled", gettext_lazy("Home care: person-months ordered"), "service",
           "home_care"),
    Figure("home_care_compliant", gettext_lazy("Home care: person-months delivered in full"),
           "service", "home_care", "home_care_entitled"),
    Figure("home_care_served", gettext_lazy("Home care: persons served"), "service",
           "home_care"),
    Figure("modifications_done", gettext_lazy("Age-friendly home modifications accepted"),
           "service", "modifications", "target"),
    Figure("left_behind_children", gettext_lazy("Rural left-behind children registered"),
           "service", "children"),
    Figure("left_behind_insured", gettext_lazy("Rural left-behind children insured"),
           "service", "children", "left_behind_children"),
    Figure("left_behind_guardianship",
           gettext_lazy("Rural left-behind children with a signed guardianship confirmation"),
           "service", "children", "left_behind_children"),
    Figure("screening_covered_visited",
           gettext_lazy("Screening: covered groups' list entries visited"), "service",
           "screening"),
    Figure("screening_uncovered_found",
           gettext_lazy("Screening: uncovered at-risk list entries found at home"), "service",
           "screening"),
    Figure("screening_uncovered_visited",
           gettext_lazy("Screening: uncovered at-risk list entries visited"), "service",
           "screening"),
)
FIGURES: dict[str, Figure] = {
    **{f.key: Figure(f.key, f.label, "payment", "payments") for f in PAYMENT_FIGURES},
    **{f.key: f for f in SERVICE_FIGURES},
}

SERVICE_COUNTS: dict[str, Callable[[ReportQuery, Any], dict[str, int]]] = {
    "home_care": _home_care_counts,
    "modifications": lambda q, u: {"modifications_done": modifications_done(q, u).count()},
    "children": _children_counts,
    "screening": _screening_counts,
}


def figure(key: str) -> Figure:
    """The figure of ``key``; KeyError when there is none."""
    return FIGURES[key]


def service_rows(query: ReportQuery, user: Any) -> list[ServiceRow]:
    values: dict[str, int] = {}
    for count in SERVICE_COUNTS.values():
        values.update(count(query, user))
    target = modification_target(query)
    rows = []
    for f in SERVICE_FIGURES:
        base = target if f.base == "target" else values.get(f.base) if f.base else None
        base_label = (_("yearly target") if f.base == "target"
                      else str(FIGURES[f.base].label) if f.base else "")
        rows.append(ServiceRow(f.key, str(f.label), values[f.key], base, base_label))
    return rows


def area_name(code: str) -> str:
    """The area's name with its parents below the county's level (东海县 / 东海县牛山镇)."""
    names = dict(Area.objects.filter(code__in=[code[:n] for n in (6, 9, 12) if n <= len(code)])
                 .values_list("code", "name"))
    return "".join(names.get(code[:n], "") for n in (6, 9, 12) if n <= len(code)) or code


def summary(query: ReportQuery, user: Any) -> Summary:
    """Every figure of ``query`` inside ``user``'s jurisdiction (None: the CLI operator)."""
    return Summary(query, area_name(query.area), payment_rows(query, user),
                   service_rows(query, user))


# --- records behind a figure --------------------------------------------------------------


def records(key: str, query: ReportQuery, user: Any) -> Records:
    """The records figure ``key`` counts (KeyError for an unknown key): for payment figures
    the beneficiaries paid in the months, one ledger row each (``fen`` paid in the months,
    ``most`` persons covered) — the figure is their households, persons and fen; otherwise
    records whose number is the figure: orders, order ids, persons, plans, children or
    visits."""
    found = figure(key)
    if found.is_payment:
        return ledger.paid_rows(query, user, PAYMENT_BY_KEY[key])
    return SERVICE_RECORDS[key](query, user)


def _screened(key: str) -> Callable[[ReportQuery, Any], Records]:
    def visits(query: ReportQuery, user: Any) -> Records:
        return (screening_visits(query, user).filter(SCREENING_FILTERS[key])
                .select_related("person", "area__parent").order_by("area_id", "pk"))
    return visits


def _children(key: str) -> Callable[[ReportQuery, Any], Records]:
    def children(query: ReportQuery, user: Any) -> Records:
        return (left_behind(query, user).filter(CHILD_FILTERS[key](query))
                .select_related("person", "area__parent").order_by("area_id", "person__name",
                                                                   "pk"))
    return children


SERVICE_RECORDS: dict[str, Callable[[ReportQuery, Any], Records]] = {
    "home_care_entitled": lambda q, u: home_care(q, u).orders,
    "home_care_compliant": lambda q, u: home_care(q, u).compliant,
    "home_care_served": lambda q, u: home_care(q, u).served,
    "modifications_done": lambda q, u: modifications_done(q, u).select_related(
        "person", "area__parent").order_by("area_id", "accepted_on", "pk"),
    **{key: _children(key) for key in CHILD_FILTERS},
    **{key: _screened(key) for key in SCREENING_FILTERS},
}


def record_total(key: str, items: Records, query: ReportQuery, user: Any) -> ProgramRow | int:
    """The figure the records add up to: the payment figure, or the number of records."""
    if figure(key).is_payment:
        return payment_rows(query, user, (PAYMENT_BY_KEY[key],))[0]
    return items.count() if isinstance(items, QuerySet) else len(items)


# --- records as rows ----------------------------------------------------------------------


def _who(person: Person | None, user: Any, today: date) -> tuple[str, str]:
    """Masked name and ID number; nothing for a child under 14 the user may not open."""
    if person is None:
        return "", ""
    if not can_open(user, person, today):
        return _("(child under 14)"), ""
    return mask_name(person.name), mask_id(person.id_number)


def _places(area: Area) -> tuple[str, str]:
    parent = area.parent
    return (parent.name if parent is not None else ""), area.name


def record_rows(key: str, items: Iterable[Any], user: Any, today: date,
                query: ReportQuery | None = None) -> list[RecordRow]:
    """A page of ``records(key, ...)`` as display rows, in a fixed number of queries."""
    found = figure(key)
    if found.is_payment:
        assert query is not None, "payment rows show the query's months"
        return _ledger_rows(list(items), found, query, user, today)
    if found.group == "home_care":
        return (_person_rows(list(items), found, user, today) if key == "home_care_served"
                else _order_rows(list(items), key, user, today))
    return ROW_MAKERS[found.group](list(items), found, user, today)


def _ledger_rows(rows: list[LedgerRow], found: Figure, query: ReportQuery, user: Any,
                 today: date) -> list[RecordRow]:
    """Beneficiaries with what they were paid in the months: the person, or the household's
    head for household-level figures (two queries for the page)."""
    people = Person.objects.filter(pk__in={r.person_id for r in rows if r.person_id})
    heads = Person.objects.filter(household_id__in={r.household_id for r in rows
                                                    if not r.person_id}, relation="head")
    by_pk = {p.pk: p for p in people}
    by_household = {p.household_id: p for p in heads}
    one_year = query.start.year == query.end.year
    return [RecordRow(*_places(r.area), *_who(by_pk.get(r.person_id or 0)
                                               or by_household.get(r.household_id), user, today),
                      str(found.label), query.title_period if one_year else str(r.year),
                      from_fen(int(r.fen)), _("paid"), int(r.most))  # type: ignore[attr-defined]
            for r in rows]  # fen and most are annotated by ledger.paid_rows


def _order_rows(pks: list[int], key: str, user: Any, today: date) -> list[RecordRow]:
    orders = {o.pk: o for o in ServiceOrder.objects.filter(pk__in=pks)
              .select_related("person", "area__parent", "provider")}
    status = _("delivered in full") if key == "home_care_compliant" else ""
    return [RecordRow(*_places(o.area), *_who(o.person, user, today), o.provider.name,
                      month_label(o.month), o.entitlement, status)
            for o in (orders[pk] for pk in pks if pk in orders)]


def _person_rows(pks: list[Any], found: Figure, user: Any, today: date) -> list[RecordRow]:
    persons = pks
    if pks and not isinstance(pks[0], Person):
        loaded = {p.pk: p for p in Person.objects.filter(pk__in=pks)
                  .select_related("area__parent")}
        persons = [loaded[pk] for pk in pks if pk in loaded]
    return [RecordRow(*_places(p.area), *_who(p, user, today), str(found.label), "")
            for p in persons]


def _plan_rows(plans: list[ModificationPlan], found: Figure, user: Any,
               today: date) -> list[RecordRow]:
    return [RecordRow(*_places(p.area), *_who(p.person, user, today), str(found.label),
                      p.accepted_on.isoformat() if p.accepted_on else "", p.government_cost,
                      p.get_status_display()) for p in plans]


def _child_rows(children: list[ChildProfile], found: Figure, user: Any,
                today: date) -> list[RecordRow]:
    rows = []
    for c in children:
        status = [_("insured") if c.insured else _("not insured"),
                  _("guardianship signed") if c.guardianship_signed_on else _("not signed")]
        rows.append(RecordRow(*_places(c.area), *_who(c.person, user, today), str(found.label),
                              c.registered_on.isoformat(), None, "，".join(status)))
    return rows


def _visit_rows(visits: list[ScreeningVisit], found: Figure, user: Any,
                today: date) -> list[RecordRow]:
    return [RecordRow(*_places(v.area), *_who(v.person, user, today),
                      group_label(v.category),
                      v.visited_on.isoformat() if v.visited_on else "", None,
                      v.get_status_display()) for v in visits]


ROW_MAKERS: dict[str, Callable[[list[Any], Figure, Any, date], list[RecordRow]]] = {
    "modifications": _plan_rows,
    "children": _child_rows,
    "screening": _visit_rows,
}


# --- the page's pickers -------------------------------------------------------------------


def area_choices(user: Any) -> list[tuple[str, str]]:
    """The user's areas, their townships and (under a township) its villages: one query."""
    codes = user_area_codes(user)
    if not codes:
        return []
    wanted = Q(code__in=codes)
    for code in codes:
        if len(code) < len(str(settings.SAFETYNET_COUNTY_CODE)) + 3:
            wanted |= Q(code__startswith=code, level=areas.TOWNSHIP)
        elif len(code) < len(str(settings.SAFETYNET_COUNTY_CODE)) + 6:
            wanted |= Q(code__startswith=code, level=areas.VILLAGE)
    found = Area.objects.filter(wanted).order_by("code").values_list("code", "name")
    return [(code, f"{'　' * ((len(code) - 6) // 3)}{name}") for code, name in found]


@dataclass(frozen=True)
class DrillDown:
    figure: Figure
    page: Any  # django.core.paginator.Page of records
    rows: list[RecordRow]
    total: ProgramRow | int


PER_PAGE = 50


def drill_down(key: str, query: ReportQuery, user: Any, page: Any, today: date,
               per_page: int = PER_PAGE) -> DrillDown:
    """One page of the records behind figure ``key`` and the figure over all of them."""
    items = records(key, query, user)
    found = Paginator(items, per_page).get_page(page)
    total = (record_total(key, items, query, user) if figure(key).is_payment
             else found.paginator.count)
    return DrillDown(figure(key), found, record_rows(key, found.object_list, user, today,
                                                     query), total)
