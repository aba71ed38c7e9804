"""The household page's elderly-care section: each member aged 60+ (``eldercare.elderly_age``)
with the latest ability grade and the latest home-care order, and the household's
modification plan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from safetynet.core.panels import Panel
from safetynet.eldercare import permissions
from safetynet.eldercare.models import Assessment, ModificationPlan, PlanStatus, ServiceOrder
from safetynet.eldercare.roster import elderly_age
from safetynet.eldercare.services import today
from safetynet.registry.models import Household


def eldercare_panel(user: Any, household: Household, closed: Iterable[int] = ()) -> Panel | None:
    if not permissions.can_view(user):
        return None
    day = today()
    elderly = elderly_age(household.area_id, day)
    old = [p for p in household.members.all() if p.alive and p.age_on(day) >= elderly]
    if not old:
        return None
    ids = [p.pk for p in old]
    # The latest assessment and order of each member in two queries, not two per member.
    assessments: dict[int, Assessment] = {}
    for assessment in Assessment.objects.filter(person_id__in=ids).order_by(
            "person_id", "-assessed_on", "-pk"):
        assessments.setdefault(assessment.person_id, assessment)
    orders: dict[int, ServiceOrder] = {}
    for order in ServiceOrder.objects.filter(person_id__in=ids).order_by(
            "person_id", "-month", "-pk"):
        orders.setdefault(order.person_id, order)
    rows = []
    for person in old:
        person.age = person.age_on(day)  # type: ignore[attr-defined]
        rows.append((person, assessments.get(person.pk), orders.get(person.pk)))
    plan = (ModificationPlan.objects.filter(household=household)
            .exclude(status=PlanStatus.CANCELLED).first())
    return Panel("eldercare/_household_panel.html", {
        "household": household, "elderly": rows, "plan": plan,
        "can_plan": permissions.can_manage(user) and household.active})
