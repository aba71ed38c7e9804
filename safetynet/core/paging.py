"""One page of a list answered by the API: ``{count, page, page_size, items}``, sliced in
the database. Every list endpoint takes ``page`` (from 1) and ``page_size`` (1 to
``MAX_PAGE_SIZE``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

PAGE_SIZE, MAX_PAGE_SIZE = 20, 100

M = TypeVar("M", bound=Model)


def paged(items: QuerySet[M], page: int, page_size: int,
          render: Callable[[M], Any] | None = None) -> dict[str, Any]:
    """The ``page``-th ``page_size`` rows of ``items``, each through ``render`` if given."""
    start = (page - 1) * page_size
    rows = items[start:start + page_size]
    return {"count": items.count(), "page": page, "page_size": page_size,
            "items": [render(item) for item in rows] if render else list(rows)}
