"""Which roles may do what with the rules (the roles are in accounts/capabilities.py).

* everyone logged in reads the parameters (published policy, no personal data);
* a township officer or a county approver proposes a parameter change; a county
  approver other than the proposer approves it (maker-checker);
* officers, approvers and leaders run what-if simulations over the households they may
  see; officers and approvers start registry evaluation runs.
"""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may, roles_with

PROPOSERS = roles_with(Capability.PROPOSE_RULES)
APPROVERS = roles_with(Capability.APPROVE_RULES)
SIMULATORS = roles_with(Capability.SIMULATE_RULES)
RUNNERS = roles_with(Capability.RUN_RULES)


def can_read(user: Any) -> bool:
    """Everyone logged in reads the published parameters."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_propose(user: Any) -> bool:
    return may(user, Capability.PROPOSE_RULES)


def can_approve(user: Any) -> bool:
    return may(user, Capability.APPROVE_RULES)


def can_simulate(user: Any) -> bool:
    return may(user, Capability.SIMULATE_RULES)


def can_run(user: Any) -> bool:
    return may(user, Capability.RUN_RULES)
