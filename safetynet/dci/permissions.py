"""Who may register partner systems and who may read what they asked."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may, roles_with

READERS = roles_with(Capability.READ_PARTNERS)


def can_manage(user: Any) -> bool:
    """Register a department's system, set its scope, issue and revoke its tokens."""
    return may(user, Capability.MANAGE_PARTNERS)


def can_view(user: Any) -> bool:
    """See the partners, their query audit and their undelivered callbacks."""
    return may(user, Capability.READ_PARTNERS)
