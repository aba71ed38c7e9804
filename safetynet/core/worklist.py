"""The home page's work list: each app registers a provider of items for a user.

core imports no app; apps call ``register`` from their AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    title: str
    count: int
    url: str
    detail: str = ""


Provider = Callable[[Any], list[WorkItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def work_list_for(user: Any) -> list[WorkItem]:
    return [item for provider in _providers for item in provider(user)]
