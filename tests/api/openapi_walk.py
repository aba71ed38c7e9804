"""Walking the published OpenAPI document of /api/v1/: its operations, their parameters and
the properties of their request bodies, with ``$ref`` resolved. Shared by the input-limit
tests (tests/api/test_input_limits.py) and the bad-input test (tests/api/test_bad_input.py),
so that a new operation is covered by both without being listed anywhere."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.test import Client

METHODS = ("get", "post", "put", "patch", "delete")
MUTATING = frozenset({"post", "put", "patch", "delete"})


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # /api/v1/registry/households/{household_id}
    spec: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def parameters(self, where: str) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p["in"] == where]


def published_document() -> dict[str, Any]:
    """``GET /api/v1/openapi.json`` as a client reads it."""
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200, response.content[:300]
    return dict(json.loads(response.content))


def operations(document: dict[str, Any]) -> Iterator[Operation]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield Operation(method, path, item[method])


def resolve(document: dict[str, Any], schema: dict[str, Any],
            root: dict[str, Any] | None = None) -> dict[str, Any]:
    """``schema`` with its ``$ref`` followed: into the document's components, or into
    ``root``'s own ``$defs`` (a schema published whole, such as the rules payload)."""
    while "$ref" in schema:
        ref = schema["$ref"]
        parts = ref.lstrip("#/").split("/")
        target: Any = root if parts[0] == "$defs" and root is not None else document
        for part in parts:
            target = target[part]
        schema = target
    return schema


def without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``X | None`` (``anyOf`` with a null member) as ``X``, keeping the outer description."""
    members = [m for m in schema.get("anyOf", []) if m.get("type") != "null"]
    if len(members) == 1 and len(schema.get("anyOf", [])) == 2:
        return {**{k: v for k, v in schema.items() if k != "anyOf"}, **members[0]}
    return schema


def body(document: dict[str, Any], operation: Operation) -> tuple[str, dict[str, Any]] | None:
    """(content type, resolved schema) of the operation's request body, if it has one."""
    content = operation.spec.get("requestBody", {}).get("content", {})
    for kind in ("application/json", "multipart/form-data"):
        if kind in content:
            return kind, resolve(document, content[kind]["schema"])
    return None


def properties(document: dict[str, Any], schema: dict[str, Any], prefix: str = "",
               root: dict[str, Any] | None = None, depth: int = 0
               ) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(dotted name, resolved schema, required) of every property of an object schema, and
    of the objects nested in it (``head.name``)."""
    root = root if root is not None else schema
    required = set(schema.get("required", []))
    for name, raw in schema.get("properties", {}).items():
        prop = resolve(document, without_null(resolve(document, raw, root)), root)
        dotted = f"{prefix}{name}"
        yield dotted, prop, name in required
        if prop.get("type") == "object" and "properties" in prop and depth < 3:
            yield from properties(document, prop, f"{dotted}.", root, depth + 1)
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict) and depth < 3:
            item = resolve(document, without_null(resolve(document, items, root)), root)
            if item.get("type") == "object":
                yield from properties(document, item, f"{dotted}.", root, depth + 1)
