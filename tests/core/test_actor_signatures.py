"""Services take a typed :class:`~safetynet.core.actor.Actor` (issue #18).

Every function outside the views and the API that takes an ``actor`` annotates it as
``Actor``; service modules (``services*.py``, ``services/*.py``, ``jobs.py``) take no
``request`` and no ``Any``-typed user. ``tests/actor_pending.txt`` lists the functions that
did not yet when this check was written: it may only shrink.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import safetynet

ROOT = Path(safetynet.__file__).resolve().parent
PENDING = Path(__file__).resolve().parents[1] / "actor_pending.txt"
# The request's own layer builds the actor; everything below it receives one.
REQUEST_LAYER = ("views", "api", "middleware", "forms", "context_processors", "urls")
ACTOR_TYPES = {"Actor", "Actor | None"}


def _modules() -> Iterator[tuple[str, Path, bool]]:
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or "management" in parts or "templatetags" in parts:
            continue
        if parts[-1].startswith(REQUEST_LAYER):
            continue
        is_service = (parts[-1].startswith("services") or "services" in parts[:-1]
                      or parts[-1] == "jobs")
        yield ".".join(parts), path, is_service


def _arguments(node: ast.FunctionDef) -> list[ast.arg]:
    args = node.args
    return [*args.posonlyargs, *args.args, *args.kwonlyargs]


def offences(module: str, source: str, is_service: bool) -> list[str]:
    """``module.function(argument)`` for each argument that should be a typed Actor."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef):
            continue
        for arg in _arguments(node):
            annotation = ast.unparse(arg.annotation) if arg.annotation else ""
            wrong = (
                (arg.arg == "actor" and annotation not in ACTOR_TYPES)
                or (is_service and arg.arg == "request")
                or (is_service and arg.arg == "user" and annotation in {"", "Any"})
            )
            if wrong:
                found.append(f"{module}.{node.name}({arg.arg})")
    return found


def offenders() -> list[str]:
    found: set[str] = set()
    for module, path, is_service in _modules():
        found.update(offences(module, path.read_text(encoding="utf-8"), is_service))
    return sorted(found)


def pending() -> set[str]:
    lines = PENDING.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_services_take_a_typed_actor() -> None:
    assert sorted(set(offenders()) - pending()) == []


def test_the_pending_list_only_shrinks() -> None:
    done = pending() - set(offenders())
    assert sorted(done) == [], "these take an Actor now: strike them from the list"


def test_the_check_finds_untyped_actors_and_requests() -> None:
    source = (
        "def act(actor: Any, request: Any = None) -> None: ...\n"
        "def check(user, *, by: Actor) -> None: ...\n"
        "def fine(actor: Actor, target: User) -> None: ...\n"
        "def maybe(actor: Actor | None = None) -> None: ...\n"
    )
    assert offences("m", source, is_service=True) == ["m.act(actor)", "m.act(request)",
                                                       "m.check(user)"]
    assert offences("m", source, is_service=False) == ["m.act(actor)"]
