"""The one jurisdiction filter: every query returning personal data goes through it.

A user is assigned areas (county, township or village codes); a record is visible when
its area code starts with one of them. Services pass their :class:`Actor`; views and
selectors may pass the request's user.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from safetynet.core.actor import Actor, area_codes_of

M = TypeVar("M", bound=Model)


def user_area_codes(who: Actor | Any) -> list[str]:
    """The area codes of an actor, or of a user (views and selectors may pass either)."""
    if isinstance(who, Actor):
        return list(who.area_codes)
    return area_codes_of(who)


def area_q(codes: list[str], field: str = "area__code") -> Q:
    """A Q that matches records in any of ``codes``; matches nothing when empty."""
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(**{f"{field}__startswith": code})
    return query


def scope(queryset: QuerySet[M], user: Any, field: str = "area__code") -> QuerySet[M]:
    """Limit ``queryset`` to records inside the user's areas."""
    return queryset.filter(area_q(user_area_codes(user), field))


def get_in_scope(queryset: QuerySet[M], user: Any, field: str = "area__code", **lookup: Any) -> M:
    """Fetch one record inside the user's areas, or 404 whether it exists or not."""
    try:
        return scope(queryset, user, field).get(**lookup)
    except queryset.model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def covers(user: Any, area_code: str) -> bool:
    return any(area_code.startswith(code) for code in user_area_codes(user))
