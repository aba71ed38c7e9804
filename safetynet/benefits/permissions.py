"""Who may act on enrolments (inside their areas); the roles are in accounts/capabilities.py.

* county approvers and township officers enrol (the single window calls ``enrol`` when an
  application is approved), change amounts, suspend, resume, end and review;
* every registry reader sees the enrolments of the households in their areas.

Each check takes a service's :class:`~safetynet.core.actor.Actor` or a view's ``request.user``.
"""

from __future__ import annotations

from typing import Any

from safetynet.accounts.capabilities import Capability, may, roles_with
from safetynet.core.actor import Actor

EDITORS = roles_with(Capability.EDIT_ENROLMENTS)


def can_edit(user: Actor | Any) -> bool:
    return may(user, Capability.EDIT_ENROLMENTS)


def can_review(user: Actor | Any) -> bool:
    return may(user, Capability.EDIT_ENROLMENTS)


def can_read(user: Actor | Any) -> bool:
    return may(user, Capability.READ_ENROLMENTS)
