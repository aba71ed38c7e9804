"""The DCI Social Registry API v1.0.0 document (Apache-2.0, shipped beside this module) and
the validation of request bodies against it with jsonschema."""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPEC_DIR = Path(__file__).resolve().parent / "spec"
SPEC_FILE = SPEC_DIR / "dci_social_api_v1.0.0.yaml"
LICENCE_FILE = SPEC_DIR / "LICENSE-dci-spec.txt"
SPEC_URI = "urn:dci-social-api-v1.0.0"
VERSION = "1.0.0"
LICENCE_NOTICE = (
    "# DCI Social Registry API v1.0.0, by the Social Protection Digital Convergence\n"
    "# Initiative, licensed under the Apache License, Version 2.0 (/dci/LICENSE-dci-spec.txt).\n"
    "# Served unchanged by SafetyNet; SafetyNet's own mapping is in docs/interop.md.\n")


@cache
def document() -> dict[str, Any]:
    with SPEC_FILE.open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def served_text() -> str:
    """The spec as served at /dci/openapi.yaml: the licence notice, then the file unchanged."""
    return LICENCE_NOTICE + SPEC_FILE.read_text(encoding="utf-8")


def _pointer(*parts: str) -> str:
    return "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@cache
def _registry() -> Registry:
    resource = Resource.from_contents(document(), default_specification=DRAFT7)
    return Registry().with_resource(SPEC_URI, resource)


@cache
def request_validator(path: str) -> Draft7Validator:
    """The validator of the JSON request body of ``path`` (e.g. "/registry/sync/search")."""
    ref = _pointer("paths", path, "post", "requestBody", "content", "application/json",
                   "schema")
    return Draft7Validator({"$ref": f"{SPEC_URI}#/{ref}"}, registry=_registry())


def request_errors(path: str, body: Any) -> list[str]:
    """Each problem as "where: what", the most specific first; empty when the body is valid."""
    errors = sorted(request_validator(path).iter_errors(body),
                    key=lambda e: (len(e.absolute_path), str(e.absolute_path)))
    return [_explain(error) for error in errors]


def _explain(error: Any) -> str:
    """Down a oneOf/anyOf to the alternative that came closest, so the message names the
    field at fault rather than "matches none of the forms"."""
    while error.validator in ("oneOf", "anyOf") and error.context:
        branches: dict[Any, list[Any]] = defaultdict(list)
        for sub in error.context:
            branches[sub.schema_path[0]].append(sub)
        closest = max(branches.values(), key=lambda subs: (_depth(subs), -len(subs)))
        error = max(closest, key=lambda sub: len(sub.absolute_path))
    return f"{_where(error.absolute_path)}: {_what(error)}"


def _depth(errors: list[Any]) -> int:
    return max(len(e.absolute_path) for e in errors)


def _where(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def _what(error: Any) -> str:
    """jsonschema's message, without echoing a long value (it may hold an ID number)."""
    if error.validator == "enum":
        return f"must be one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "required":
        return str(error.message).split(" is a required")[0].strip("'") + " is required"
    if error.validator == "type":
        return f"must be of type {error.validator_value}"
    if error.validator in ("oneOf", "anyOf"):
        return "does not match any of the allowed forms"
    return str(error.validator) + " " + str(error.validator_value)[:60]
