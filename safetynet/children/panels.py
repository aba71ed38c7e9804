"""The household page's child-protection section: the household's children, whether they
are registered, their categories and next visit (only for those who work with children)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from safetynet.children import selectors
from safetynet.children.categories import limits_for
from safetynet.children.services.access import may_edit
from safetynet.children.services.common import today
from safetynet.core.panels import Panel
from safetynet.registry.models import Household


def children_panel(user: Any, household: Household, closed: Iterable[int] = ()) -> Panel | None:
    if not selectors.works_with_children(user):
        return None
    on = today()
    limit = limits_for(household.area_id, on).child_age
    kids = [p for p in household.members.all() if p.alive and p.age_on(on) < limit]
    if not kids:
        return None
    profiles = {c.person_id: c for c in selectors.children_for(user).filter(
        person__in=[p.pk for p in kids])}
    return Panel("children/_household_panel.html", {
        "rows": [(p, profiles.get(p.pk)) for p in kids], "on": on,
        "can_register": may_edit(user, household.area_id)})
