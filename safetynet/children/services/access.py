"""Who may change a child's record and who may handle a hotline case.

The predicates answer for a service's :class:`~safetynet.core.actor.Actor` and, in views,
selectors and panels, for the request's user.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from safetynet.accounts.roles import CHILD_WORKERS, Department, Role
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers

EDITORS = frozenset({Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR})


def may_edit(who: Actor | Any, area_code: str) -> bool:
    return (getattr(who, "is_active", False) and getattr(who, "role", None) in EDITORS
            and covers(who, area_code))


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
    role = getattr(who, "role", None)
    return (getattr(who, "is_active", False) and (role in CHILD_WORKERS or is_hotline(who))
            and covers(who, area_code))
