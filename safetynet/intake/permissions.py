"""Who may open the single window: registry staff (applications) and partner-department
handlers (the referrals sent to them)."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may


def may_open(user: Any) -> bool:
    return may(user, Capability.OPEN_INTAKE)
