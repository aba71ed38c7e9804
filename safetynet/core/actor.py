"""Who is acting: the one type every service takes instead of a request or a bare user.

An :class:`Actor` carries the user (for the records' "by" columns), the role and the area
codes the jurisdiction filter reads, whether the second factor was passed in this session,
the client address the audit log records, and the interface the action came through.
Views and the API build one per request (``safetynet.accounts.actor.actor_of``); commands,
background jobs and tests build one for a user with :meth:`Actor.of`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from safetynet.accounts.models import User

# Where an action came from, as the audit log and the logs name it.
WEB, API, DCI, SYSTEM = "web", "api", "dci", "system"


@dataclass(frozen=True, eq=False)
class Actor:
    user: User
    role: str
    area_codes: tuple[str, ...]
    # True when the session passed its second factor or the role needs none. Commands and
    # jobs run with the operator's trust in the server and count as verified.
    verified: bool
    ip: str = ""
    via: str = SYSTEM

    @classmethod
    def of(cls, user: User, *, verified: bool = True, ip: str = "",
           via: str = SYSTEM) -> Actor:
        """The actor for ``user`` outside a request (a command, a job, a test)."""
        return cls(user=user, role=str(user.role), area_codes=tuple(area_codes_of(user)),
                   verified=verified, ip=ip, via=via)

    @property
    def pk(self) -> int:
        return int(self.user.pk)

    @property
    def username(self) -> str:
        return str(self.user.get_username())

    @property
    def is_active(self) -> bool:
        return bool(self.user.is_active)

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user.is_authenticated)

    def covers(self, area_code: str) -> bool:
        """True when ``area_code`` lies inside one of the actor's areas."""
        return any(area_code.startswith(code) for code in self.area_codes)

    def __str__(self) -> str:
        return self.username


def area_codes_of(user: Any) -> list[str]:
    """The codes of a user's areas (none for an anonymous or inactive user), read once per
    user object."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_area_codes", None)
    if cached is None:
        cached = sorted(user.areas.values_list("code", flat=True))
        user._area_codes = cached
    return list(cached)
