"""Who may open active discovery: civil-affairs staff (warnings with names) and leaders
(progress and effectiveness figures without names); county staff import departments'
files and run campaigns. The predicates read a service's Actor or a request's user."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import user_area_codes


def may_overview(user: Actor | Any) -> bool:
    return may(user, Capability.OVERVIEW_DISCOVERY)


def is_county_staff(user: Actor | Any) -> bool:
    """County officers and approvers: they import departments' files and run campaigns."""
    return (may(user, Capability.RUN_DISCOVERY)
            and any(len(code) == 6 for code in user_area_codes(user)))
