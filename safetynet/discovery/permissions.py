"""Who may open active discovery: civil-affairs staff (warnings with names) and leaders
(progress and effectiveness figures without names)."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.roles import Role


def may_overview(user: Any) -> bool:
    return bool(getattr(user, "can_read_registry", False)
                or getattr(user, "role", None) == Role.LEADER)
