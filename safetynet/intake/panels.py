"""The household page's section of the single window: its applications and referrals, and
the buttons to start a new one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from safetynet.core.panels import Panel
from safetynet.registry.models import Household


def applications_panel(user: Any, household: Household, closed: Iterable[int] = ()) -> Panel:
    return Panel("intake/_household_panel.html", {
        "household": household,
        "applications": list(household.applications.select_related("applicant")
                             .order_by("-created_at")[:20]),
        "can_apply": getattr(user, "can_edit_registry", False) and household.active,
    })
