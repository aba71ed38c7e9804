"""Sections that higher apps add to a lower app's page, without the lower app importing them.

E.g. the rules app adds the benefits section to the registry's household page: it
registers a provider in its AppConfig.ready(); the registry view renders what it gets.
Pages: "household" (inside the household page's benefits box) and "household_sections"
(whole sections below it, each with its own heading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[..., Panel | None]
_providers: dict[str, list[PanelProvider]] = {}


def register(page: str, provider: PanelProvider) -> None:
    providers = _providers.setdefault(page, [])
    if provider not in providers:
        providers.append(provider)


def panels_for(page: str, **kwargs: Any) -> list[Panel]:
    return [p for provider in _providers.get(page, []) if (p := provider(**kwargs)) is not None]
