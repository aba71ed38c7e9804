"""The module bar: each app registers its modules, each with the one predicate that also
guards the module's first page, so a role sees exactly the modules it may open.

core imports no app; apps call ``register`` from their AppConfig.ready() and decorate the
module's first page with ``core.access.requires(module.may_open)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Module:
    key: str
    label: Any  # a lazy translation
    url_name: str
    order: int
    may_open: Callable[[Any], bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_modules: dict[str, Module] = {}


def register(module: Module) -> None:
    _modules[module.key] = module


def modules() -> list[Module]:
    return sorted(_modules.values(), key=lambda m: (m.order, m.key))


def modules_for(user: Any) -> list[Module]:
    """The modules ``user`` may open, in the bureau's order."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [m for m in modules() if m.may_open(user)]


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def user_flag(name: str) -> Callable[[Any], bool]:
    """A predicate reading one of the user's role properties (``can_read_registry``...)."""

    def predicate(user: Any) -> bool:
        return bool(getattr(user, name, False))

    predicate.__name__ = name
    return predicate
