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

from safetynet.accounts.capabilities import Capability, may, roles_with
from safetynet.core.jurisdiction import covers

PREPARERS = roles_with(Capability.PREPARE_PAYROLL)
APPROVERS = roles_with(Capability.APPROVE_PAYROLL)
READERS = roles_with(Capability.READ_PAYROLL)


def county_wide(user: Any) -> bool:
    return covers(user, str(settings.SAFETYNET_COUNTY_CODE))


def can_prepare(user: Any) -> bool:
    return may(user, Capability.PREPARE_PAYROLL) and county_wide(user)


def can_approve(user: Any) -> bool:
    return may(user, Capability.APPROVE_PAYROLL) and county_wide(user)


def can_read(user: Any) -> bool:
    return may(user, Capability.READ_PAYROLL)
