"""The actor of a request: built once per request by views and the API, then passed to
services (see :mod:`safetynet.core.actor`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safetynet.accounts.middleware import is_second_factor_passed
from safetynet.core.actor import API, DCI, WEB, Actor
from safetynet.core.audit import client_ip

_CACHE = "_safetynet_actor"


def actor_of(request: HttpRequest) -> Actor:
    """The request's logged-in user (session or bearer token) as an :class:`Actor`."""
    user: Any = request.user
    cached: Actor | None = getattr(request, _CACHE, None)
    if cached is not None and cached.user is user:
        return cached
    actor = Actor.of(user, verified=is_second_factor_passed(user), ip=client_ip(request),
                     via=_interface(request.path))
    setattr(request, _CACHE, actor)
    return actor


def _interface(path: str) -> str:
    if path.startswith("/api/"):
        return API
    return DCI if path.startswith("/dci/") else WEB
