"""Read side of enrolments: every query through the jurisdiction filter."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from safetynet.benefits.models import LIVE_STATUSES, ONE_OFF_PROGRAMS, Enrollment, Status
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.core.panels import Panel
from safetynet.registry.models import Household

AREA = "household__area__code"
REVIEW_HORIZON_DAYS = 31

# Where a one-off grant's payment stands. Its enrolment ends with the grant's month (so its
# status says "ended" from the start); what the reader needs is whether it was paid.
ONE_OFF_STATES = {
    "due": pgettext_lazy("one-off grant", "To be paid"),
    "in_run": pgettext_lazy("one-off grant", "In a payroll run"),
    "failed": pgettext_lazy("one-off grant", "Payment failed"),
    "paid": pgettext_lazy("one-off grant", "Paid"),
}
_LINE_STATES = {"pending": "in_run", "failed": "failed", "paid": "paid"}
_RANK = {state: rank for rank, state in enumerate(ONE_OFF_STATES)}


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


def _line_states(ids: list[int]) -> dict[int, str]:
    """The furthest payment state of each enrolment's payment lines. The payroll sits above
    benefits in the house, so its model is looked up by name rather than imported."""
    if not ids or not apps.is_installed("safetynet.payments"):
        return {}
    lines = apps.get_model("payments", "PaymentLine").objects
    found: dict[int, str] = {}
    for pk, status in lines.filter(enrollment_id__in=ids).values_list("enrollment_id",
                                                                        "status"):
        state = _LINE_STATES.get(status)
        if state and _RANK[state] > _RANK[found.get(pk, "due")]:
            found[pk] = state
    return found


def mark_one_off(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """Set ``one_off_state`` (its label) on each one-off grant of ``enrollments``."""
    rows = list(enrollments)
    states = _line_states([e.pk for e in rows if e.program in ONE_OFF_PROGRAMS])
    for e in rows:
        if e.program in ONE_OFF_PROGRAMS:
            e.one_off_state = str(ONE_OFF_STATES[states.get(e.pk, "due")])  # type: ignore[attr-defined]
    return rows


def household_enrollments(household: Household) -> list[Enrollment]:
    return mark_one_off(household.enrollments.select_related("person")
                        .order_by("-status", "-start_month"))


def enrollments_panel(user: Any, household: Household, closed: Any = ()) -> Panel | None:
    """The household page's enrolments (registered in BenefitsConfig.ready)."""
    rows = household_enrollments(household)
    if not rows:
        return None
    hidden = set(closed)
    return Panel("benefits/_household_enrollments.html",
                 {"enrollments": rows, "hidden": hidden, "live": LIVE_STATUSES})
