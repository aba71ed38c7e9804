"""Who may do what in elderly care.

Township officers and county approvers manage the programme (providers, orders,
institutions, plans, insurance); registry editors (window clerks, officers, village
workers) record ability assessments, since the grade goes into the registry; only a county
approver approves a provider's statement, and never the one who computed it; a provider's
worker (role ``provider`` with a ProviderStaff link) sees and records only the visits of
its own provider's orders.
"""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may, roles_with
from safetynet.core.actor import Actor
from safetynet.eldercare.models import ProviderStaff

MANAGERS = roles_with(Capability.MANAGE_ELDERCARE)
VIEWERS = roles_with(Capability.VIEW_ELDERCARE)


# Services pass their Actor, views and templates the request's user: both are read alike.


def can_view(user: Actor | Any) -> bool:
    return may(user, Capability.VIEW_ELDERCARE)


def can_manage(user: Actor | Any) -> bool:
    return may(user, Capability.MANAGE_ELDERCARE)


def can_assess(user: Actor | Any) -> bool:
    return may(user, Capability.EDIT_REGISTRY)


def can_approve(user: Actor | Any) -> bool:
    return may(user, Capability.APPROVE_STATEMENTS)


def may_open(user: Actor | Any) -> bool:
    """Civil-affairs staff see the module; a provider's worker their visits."""
    return can_view(user) or provider_of(user) is not None


def provider_of(user: Actor | Any) -> Any:
    """The provider a worker (an actor or a user) records visits for, or None."""
    if not may(user, Capability.RECORD_PROVIDER_VISITS):
        return None
    if isinstance(user, Actor):
        user = user.user
    link = (ProviderStaff.objects.select_related("provider")
            .filter(user=user, active=True, provider__active=True).first())
    return link.provider if link else None
