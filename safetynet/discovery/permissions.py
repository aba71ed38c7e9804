"""Who may open active discovery: civil-affairs staff (warnings with names) and leaders
(progress and effectiveness figures without names)."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may


def may_overview(user: Any) -> bool:
    return may(user, Capability.OVERVIEW_DISCOVERY)
