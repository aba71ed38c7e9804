"""Who reads statistics: staff who work with beneficiaries, approvers, finance and leaders,
each inside their own areas (the jurisdiction filter applies to every figure and list).
Partner departments, service providers and administrators do not."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.roles import Role

READERS = frozenset({Role.LEADER, Role.APPROVER, Role.FINANCE, Role.OFFICER, Role.CLERK,
                     Role.VILLAGE, Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})


def can_read(user: Any) -> bool:
    active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    return bool(active and getattr(user, "role", None) in READERS)
