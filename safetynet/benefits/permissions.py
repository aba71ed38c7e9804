"""Who may act on enrolments (inside their areas).

* county approvers and township officers enrol (the single window calls ``enrol`` when an
  application is approved), change amounts, suspend, resume, end and review;
* every registry reader sees the enrolments of the households in their areas.
"""

from __future__ import annotations

from typing import Any

from safetynet.accounts.roles import REGISTRY_READERS, Role

EDITORS = frozenset({Role.OFFICER, Role.APPROVER})


def _has(user: Any, roles: frozenset[Role]) -> bool:
    active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    return bool(active and getattr(user, "role", None) in roles)


def can_edit(user: Any) -> bool:
    return _has(user, EDITORS)


def can_review(user: Any) -> bool:
    return _has(user, EDITORS)


def can_read(user: Any) -> bool:
    return _has(user, frozenset(REGISTRY_READERS))
