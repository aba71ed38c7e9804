"""Read side of child protection. Every query returning children's data goes through the
jurisdiction filter and is open only to those who work with children (CHILD_WORKERS);
hotline cases are also open to the 12345 hotline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from safetynet.benefits.amounts import amount_for
from safetynet.benefits.models import LIVE_STATUSES, Enrollment
from safetynet.children import rules
from safetynet.children.categories import derive, facts_of, limits_for
from safetynet.children.models import (
    OPEN_CASE_STATES,
    Category,
    ChildProfile,
    HotlineCase,
    Notice,
)
from safetynet.children.services.access import is_hotline
from safetynet.core.jurisdiction import get_in_scope, scope

ORPHAN_PROGRAM = "orphan_allowance"


def works_with_children(user: Any) -> bool:
    return bool(getattr(user, "works_with_children", False))


def children_for(user: Any) -> QuerySet[ChildProfile]:
    if not works_with_children(user):
        return ChildProfile.objects.none()
    return scope(ChildProfile.objects.select_related("person", "area", "area__parent"), user)


def child_for(user: Any, pk: int) -> ChildProfile:
    return get_in_scope(children_for(user).select_related("person__household"), user, pk=pk)


def followed(user: Any) -> QuerySet[ChildProfile]:
    return children_for(user).filter(active=True)


def in_category(queryset: QuerySet[ChildProfile], category: str) -> QuerySet[ChildProfile]:
    return queryset.filter(categories__contains=f",{category},")


LIST_FILTERS = ("review", "missing", "overdue", "inactive")


def listed(user: Any, show: str, category: str, on: dt.date) -> QuerySet[ChildProfile]:
    """The children's list with its filters, all in the database (paginate the result)."""
    children = children_for(user).filter(active=show != "inactive")
    if category:
        children = in_category(children, category)
    if show == "review":
        children = children.exclude(categories=F("reviewed_categories"))
    elif show == "missing":
        children = children.filter(guardianship_signed_on__isnull=True)
    elif show == "overdue":
        children = children.filter(next_visit_due__lt=on)
    return children.order_by("area", "person__name", "pk")


def due_visits(user: Any, on: dt.date) -> QuerySet[ChildProfile]:
    """Visits due this month or earlier, the most overdue first."""
    return followed(user).filter(next_visit_due__lte=rules.month_end(on)).order_by(
        "next_visit_due", "person__name")


def overdue_visits(user: Any, on: dt.date) -> QuerySet[ChildProfile]:
    return followed(user).filter(next_visit_due__lt=on)


def missing_guardianship(user: Any) -> QuerySet[ChildProfile]:
    return followed(user).filter(guardianship_signed_on__isnull=True).order_by(
        "area", "person__name")


def reasons(child: ChildProfile, on: dt.date) -> dict[str, str]:
    return derive(facts_of(child, on), limits_for(child.area_id, on))


def notices_for(user: Any) -> QuerySet[Notice]:
    if not works_with_children(user):
        return Notice.objects.none()
    return scope(Notice.objects.select_related("child__person"), user).filter(
        read_by__isnull=True)


# --- coverage at a glance --------------------------------------------------------------------


@dataclass
class CoverageRow:
    code: str
    name: str
    children: int = 0
    left_behind: int = 0
    signed: int = 0
    overdue: int = 0
    villages: list[CoverageRow] = field(default_factory=list)

    @property
    def unsigned(self) -> int:
        return self.children - self.signed

    @property
    def percent(self) -> int:
        """Guardianship coverage in whole per cent (100 when nobody needs one); rounded
        down, so that 100 % means every child."""
        return 100 if not self.children else self.signed * 100 // self.children

    def add(self, other: CoverageRow) -> None:
        self.children += other.children
        self.left_behind += other.left_behind
        self.signed += other.signed
        self.overdue += other.overdue


def coverage(user: Any, on: dt.date) -> list[CoverageRow]:
    """Per township, with its villages: children followed, left-behind, guardianship
    confirmations signed and missing, visits overdue. One query."""
    rows = (followed(user).values("area__code", "area__name", "area__parent__code",
                                  "area__parent__name")
            .annotate(n=Count("pk"),
                      lb=Count("pk", filter=Q(categories__contains=f",{Category.LEFT_BEHIND},")),
                      signed=Count("pk", filter=Q(guardianship_signed_on__isnull=False)),
                      overdue=Count("pk", filter=Q(next_visit_due__lt=on)))
            .order_by("area__code"))
    towns: dict[str, CoverageRow] = {}
    for r in rows:
        village = CoverageRow(r["area__code"], r["area__name"], r["n"], r["lb"], r["signed"],
                              r["overdue"])
        town = towns.setdefault(r["area__parent__code"], CoverageRow(
            r["area__parent__code"], r["area__parent__name"]))
        town.villages.append(village)
        town.add(village)
    return list(towns.values())


def total(rows: list[CoverageRow]) -> CoverageRow:
    whole = CoverageRow("", "")
    for row in rows:
        whole.add(row)
    return whole


# --- hotline cases ---------------------------------------------------------------------------


def may_see_cases(user: Any) -> bool:
    return works_with_children(user) or is_hotline(user)


def cases_for(user: Any) -> QuerySet[HotlineCase]:
    if not may_see_cases(user):
        return HotlineCase.objects.none()
    return scope(HotlineCase.objects.select_related("area", "responsible", "child__person"),
                 user)


def case_for(user: Any, pk: int) -> HotlineCase:
    return get_in_scope(cases_for(user), user, pk=pk)


def open_cases(user: Any) -> QuerySet[HotlineCase]:
    return cases_for(user).filter(state__in=OPEN_CASE_STATES).order_by("due_on", "received_at")


def my_cases(user: Any) -> QuerySet[HotlineCase]:
    return open_cases(user).filter(responsible=user)


def escalated_cases(user: Any, on: dt.date) -> QuerySet[HotlineCase]:
    """Open cases past their deadline or escalated by hand: the supervisor's to chase."""
    return open_cases(user).filter(Q(due_on__lt=on) | Q(escalation_level__gte=1))


# --- orphan allowance (paid by the payroll) ---------------------------------------------------


@dataclass(frozen=True)
class Allowance:
    enrolled: bool
    status: str
    monthly_amount: Decimal | None
    enrollment_id: int | None
    rule_amount: Decimal | None
    explanation: str


def orphan_allowance(child: ChildProfile, on: dt.date) -> Allowance:
    """The child's orphan allowance: the enrolment the payroll pays (benefits app) and the
    amount the rules give on ``on``."""
    enrollment = (Enrollment.objects.filter(program=ORPHAN_PROGRAM, person=child.person,
                                            status__in=LIVE_STATUSES)
                  .order_by("-start_month").first())
    rule = amount_for(child.person.household, ORPHAN_PROGRAM, child.person_id, on)
    return Allowance(
        enrolled=enrollment is not None,
        status=enrollment.get_status_display() if enrollment else "",
        monthly_amount=enrollment.monthly_amount if enrollment else None,
        enrollment_id=enrollment.pk if enrollment else None,
        rule_amount=rule.monthly_amount if rule else None,
        explanation=rule.explanation if rule else "")


def insurance_roster(user: Any) -> QuerySet[ChildProfile]:
    """Left-behind children for the care insurance roster."""
    return in_category(followed(user), Category.LEFT_BEHIND).select_related(
        "person__household").order_by("area", "person__name")
