"""Contract checks against the DCI Social Registry API document, independent of the server's
own code: load the YAML, pick the request or response schema of an operation, validate
with jsonschema."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPEC = Path(__file__).resolve().parents[2] / "safetynet" / "dci" / "spec" / \
    "dci_social_api_v1.0.0.yaml"
URI = "urn:test-dci-spec"


@cache
def document() -> dict[str, Any]:
    return yaml.safe_load(SPEC.read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    return Registry().with_resource(URI, Resource.from_contents(document(), DRAFT7))


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _validator(*parts: str) -> Draft7Validator:
    pointer = "/".join(_escape(p) for p in parts)
    return Draft7Validator({"$ref": f"{URI}#/{pointer}"}, registry=registry())


def request_problems(path: str, body: Any) -> list[str]:
    validator = _validator("paths", path, "post", "requestBody", "content",
                           "application/json", "schema")
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(body)]


def response_problems(path: str, status: int, body: Any) -> list[str]:
    responses = document()["paths"][path]["post"]["responses"]
    key = str(status) if str(status) in responses else "default"
    response = responses[key]
    if "$ref" in response:
        name = response["$ref"].rsplit("/", 1)[-1]
        parts = ("components", "responses", name, "content", "application/json", "schema")
    else:
        parts = ("paths", path, "post", "responses", key, "content", "application/json",
                 "schema")
    validator = _validator(*parts)
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(body)]


def assert_request(path: str, body: Any) -> None:
    problems = request_problems(path, body)
    assert problems == [], problems


def assert_response(path: str, status: int, body: Any) -> None:
    problems = response_problems(path, status, body)
    assert problems == [], problems
