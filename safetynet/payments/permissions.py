"""Who may do what with the payroll (county-wide: the user's areas must cover the county).

* finance officers prepare, check, export, import returns, re-issue and record
  overpayments and recoveries;
* a county approver or a finance officer other than the one who prepared the run approves
  it (maker-checker), in the web UI only after a TOTP-verified login;
* approvers, finance officers and leaders read runs and fund statistics.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from safetynet.accounts.roles import Role
from safetynet.core.jurisdiction import covers

PREPARERS = frozenset({Role.FINANCE})
APPROVERS = frozenset({Role.APPROVER, Role.FINANCE})
READERS = frozenset({Role.FINANCE, Role.APPROVER, Role.LEADER})


def _has(user: Any, roles: frozenset[Role]) -> bool:
    active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    return bool(active and getattr(user, "role", None) in roles)


def county_wide(user: Any) -> bool:
    return covers(user, str(settings.SAFETYNET_COUNTY_CODE))


def can_prepare(user: Any) -> bool:
    return _has(user, PREPARERS) and county_wide(user)


def can_approve(user: Any) -> bool:
    return _has(user, APPROVERS) and county_wide(user)


def can_read(user: Any) -> bool:
    return _has(user, READERS)
