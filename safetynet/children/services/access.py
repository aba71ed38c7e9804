"""Who may change a child's record and who may handle a hotline case.

The predicates answer for a service's :class:`~safetynet.core.actor.Actor` and, in views,
selectors and panels, for the request's user.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.accounts.roles import Department, Role
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers


def may_edit(who: Actor | Any, area_code: str) -> bool:
    return may(who, Capability.EDIT_CHILDREN) and covers(who, area_code)


def _require_editor(actor: Actor, area_code: str) -> None:
    if not may_edit(actor, area_code):
        raise PermissionDenied(_("Only the child director or supervisor of this village may "
                                 "change a child's record."))


def is_hotline(who: Actor | Any) -> bool:
    # An actor carries no department: it is read from the actor's user.
    user = who.user if isinstance(who, Actor) else who
    return (getattr(who, "role", None) == Role.PARTNER
            and getattr(user, "department", "") == Department.HOTLINE)


def may_handle_case(who: Actor | Any, area_code: str) -> bool:
    return ((may(who, Capability.EDIT_CHILDREN) or is_hotline(who))
            and covers(who, area_code))
