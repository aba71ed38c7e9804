"""Who may open the single window: registry staff (applications) and partner-department
handlers (the referrals sent to them)."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.roles import Role


def may_open(user: Any) -> bool:
    return bool(getattr(user, "can_read_registry", False)
                or getattr(user, "role", None) == Role.PARTNER)
