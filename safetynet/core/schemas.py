"""Shapes every API module shares: the error body, and the error statuses each operation
documents.

Every error of /api/v1/ is ``{"errors": [{"field": ..., "message": ...}]}`` (docs/api.md):
``field`` names the request field at fault (``head.name`` for a nested one) or is
``"__all__"``. Which error statuses an operation can answer follows from what it takes:
every operation can refuse authentication (401), permission (403) and input (422); one with
an id in its path can answer 404; one that reads a body or changes data can answer 400
(a body that is not JSON) and 409 (a conflict with the current state).
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema

ALL = "__all__"
# The years a filter or a date of a request may name: the platform's records start in
# 1990 (the oldest benefit history kept); nothing is planned beyond 2100.
FIRST_YEAR, LAST_YEAR = 1990, 2100
UNSAFE = frozenset({"post", "put", "patch", "delete"})

ERROR_STATUSES: dict[int, str] = {
    400: "The request body is not valid JSON.",
    401: "No valid API token or logged-in session (or the account's second factor is "
         "not set up).",
    403: "The role may not do this, or the session has not passed its second factor.",
    404: "Not found in the caller's areas (the same answer as for a record that does "
         "not exist).",
    409: "The request conflicts with the record's current state or an existing record; "
         "nothing was changed.",
    422: "A field is invalid: each error names it.",
}


class ErrorOut(Schema):
    field: str = Field(description='the request field at fault, or "__all__"')
    message: str = Field(description="in the caller's language; ID numbers masked")


class ErrorsOut(Schema):
    errors: list[ErrorOut]


def error_statuses(method: str, path: str, has_body: bool) -> list[int]:
    """The error statuses an operation documents (see the module's docstring)."""
    statuses = [401, 403, 422]
    if "{" in path:
        statuses.append(404)
    if has_body or method.lower() in UNSAFE:
        statuses += [400, 409]
    return sorted(statuses)


def document_errors(schema: dict[str, Any], ref: str) -> dict[str, Any]:
    """Add the error statuses each operation can answer to the OpenAPI ``schema`` (in
    place), each with the error body at ``ref``; statuses an operation already declares are
    left as they are."""
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, path, "requestBody" in operation):
                responses.setdefault(str(status), {
                    "description": ERROR_STATUSES[status],
                    "content": {"application/json": {"schema": {"$ref": ref}}}})
    return schema
