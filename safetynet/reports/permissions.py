"""Who reads statistics: staff who work with beneficiaries, approvers, finance and leaders,
each inside their own areas (the jurisdiction filter applies to every figure and list).
Partner departments, service providers and administrators do not."""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may, roles_with

READERS = roles_with(Capability.READ_REPORTS)


def can_read(user: Any) -> bool:
    return may(user, Capability.READ_REPORTS)
