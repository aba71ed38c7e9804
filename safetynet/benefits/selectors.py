"""Read side of enrolments: every query through the jurisdiction filter."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from safetynet.benefits.models import LIVE_STATUSES, Enrollment, Status
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.core.panels import Panel
from safetynet.registry.models import Household

AREA = "household__area__code"
REVIEW_HORIZON_DAYS = 31


def enrollments(user: Any, program: str = "", status: str = "") -> QuerySet[Enrollment]:
    found = scope(Enrollment.objects.all(), user, AREA)
    if program:
        found = found.filter(program=program)
    if status:
        found = found.filter(status=status)
    return found.select_related("household", "person")


def enrollment(user: Any, pk: int) -> Enrollment:
    return get_in_scope(Enrollment.objects.select_related("household", "person"), user, AREA,
                        pk=pk)


def reviews_due(user: Any, today: date | None = None) -> QuerySet[Enrollment]:
    """Enrolments in payment or suspended whose review falls due within a month."""
    horizon = (today or timezone.localdate()) + timedelta(days=REVIEW_HORIZON_DAYS)
    return (enrollments(user).filter(status__in=(Status.ACTIVE, Status.SUSPENDED),
                                     next_review__lte=horizon)
            .order_by("next_review", "pk"))


def household_enrollments(household: Household) -> list[Enrollment]:
    return list(household.enrollments.select_related("person")
                .order_by("-status", "-start_month"))


def enrollments_panel(user: Any, household: Household, closed: Any = ()) -> Panel | None:
    """The household page's enrolments (registered in BenefitsConfig.ready)."""
    rows = household_enrollments(household)
    if not rows:
        return None
    hidden = set(closed)
    return Panel("benefits/_household_enrollments.html",
                 {"enrollments": rows, "hidden": hidden, "live": LIVE_STATUSES})
