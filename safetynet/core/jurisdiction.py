"""The one jurisdiction filter: every query returning personal data goes through it.

A user is assigned areas (county, township or village codes); a record is visible when
its area code starts with one of them.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


def user_area_codes(user: Any) -> list[str]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, "_area_codes", None)
    if cached is None:
        cached = sorted(user.areas.values_list("code", flat=True))
        user._area_codes = cached
    return list(cached)


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
