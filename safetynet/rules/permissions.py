"""Which roles may do what with the rules (the sets live here, next to their only user).

* everyone logged in reads the parameters (published policy, no personal data);
* a township officer or a county approver proposes a parameter change; a county
  approver other than the proposer approves it (maker-checker);
* officers, approvers and leaders run what-if simulations over the households they may
  see; officers and approvers start registry evaluation runs.
"""

from __future__ import annotations

from typing import Any

from safetynet.accounts.roles import Role

PROPOSERS = frozenset({Role.OFFICER, Role.APPROVER})
APPROVERS = frozenset({Role.APPROVER})
SIMULATORS = frozenset({Role.OFFICER, Role.APPROVER, Role.LEADER})
RUNNERS = frozenset({Role.OFFICER, Role.APPROVER})


def _has(user: Any, roles: frozenset[Role]) -> bool:
    active = getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)
    return bool(active and getattr(user, "role", None) in roles)


def can_read(user: Any) -> bool:
    """Everyone logged in reads the published parameters."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_propose(user: Any) -> bool:
    return _has(user, PROPOSERS)


def can_approve(user: Any) -> bool:
    return _has(user, APPROVERS)


def can_simulate(user: Any) -> bool:
    return _has(user, SIMULATORS)


def can_run(user: Any) -> bool:
    return _has(user, RUNNERS)
