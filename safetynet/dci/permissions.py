"""Who may register partner systems and who may read what they asked."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.roles import Role

MANAGERS = frozenset({Role.SYSADMIN, Role.SECADMIN})
READERS = MANAGERS | {Role.AUDITADMIN}


def can_manage(user: Any) -> bool:
    """Register a department's system, set its scope, issue and revoke its tokens."""
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in MANAGERS


def can_view(user: Any) -> bool:
    """See the partners, their query audit and their undelivered callbacks."""
    return bool(getattr(user, "is_active", False)) and getattr(user, "role", None) in READERS
