"""One page of a list answered by the API: ``{count, page, page_size, items}``, sliced in
the database. Every list endpoint takes ``page`` (from 1) and ``page_size`` (1 to
``MAX_PAGE_SIZE``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
# Beyond this page the database's row offset would overflow; no list is that long.
MAX_PAGE = 10_000_000

M = TypeVar("M", bound=Model)


def paged(items: QuerySet[M], page: int, page_size: int,
          render: Callable[[M], Any] | None = None) -> dict[str, Any]:
    """The ``page``-th ``page_size`` rows of ``items``, each through ``render`` if given."""
    if page > MAX_PAGE:
        raise ValidationError({"page": _("The page number may be at most %(max)s.")
                               % {"max": MAX_PAGE}})
    start = (page - 1) * page_size
    rows = items[start:start + page_size]
    return {"count": items.count(), "page": page, "page_size": page_size,
            "items": [render(item) for item in rows] if render else list(rows)}
