"""Shapes every API module shares: the error body, and the error statuses each operation
documents.

Every error of /api/v1/ is ``{"errors": [{"field": ..., "message": ...}]}`` (docs/api.md):
``field`` names the request field at fault (``head.name`` for a nested one) or is
``"__all__"``. Which error statuses an operation can answer follows from what it takes:
every operation can refuse authentication (401), permission (403) and input (422); one with
an id in its path can answer 404; one that reads a body or changes data can answer 400
(a body that is not JSON) and 409 (a conflict with the current state).

The limits every request value has, defined once here (docs/api.md, "Input limits"):

* a date (``RequestDate``, ``RequestDateTime``), a month (``RequestMonth``) or a year
  (``RequestYear``) lies between ``EARLIEST_DATE`` and ``FUTURE_YEARS`` years after today;
* a coded value (``Choice``) is one of its codes, declared as the ``enum`` of the document;
* a text has a ``maxLength``: the model field's, or ``MAX_TEXT`` for a text without one.

These are sanity bounds of the interface, not business thresholds: a rule about dates (a
birth date before today, a deceased date after the birth) stays in the service.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any

from django.db.models import Choices
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, GetCoreSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from safetynet.core.dates import add_months

ALL = "__all__"
# The earliest date a request may name: before the birth of anyone living, so before any
# record the platform keeps. The latest: this many years after today (a planned month, a
# notice end), so that a mistyped year (2204, 9999) is refused rather than stored.
EARLIEST_DATE = dt.date(1900, 1, 1)
FUTURE_YEARS = 5
# A free text whose model field has no length of its own (a TextField).
MAX_TEXT = 2000
MONTH_RE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
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


def latest_date() -> dt.date:
    """The latest date a request may name (``FUTURE_YEARS`` years after today)."""
    return add_months(timezone.localdate(), 12 * FUTURE_YEARS)


def out_of_range(value: Any) -> PydanticCustomError:
    return PydanticCustomError("date_out_of_range", "{message}", {"message": _(
        "%(value)s is out of range: give a date from %(first)s to %(last)s.") % {
        "value": value, "first": EARLIEST_DATE.isoformat(),
        "last": latest_date().isoformat()}})


def not_a_number(value: Any) -> Any:
    """A date is written as text: pydantic would read a number as seconds since 1970."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise PydanticCustomError("date_type", "{message}", {"message": _(
            "Give a date as text (YYYY-MM-DD), not a number.")})
    return value


def check_date(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= latest_date():
        raise out_of_range(value.isoformat())
    return value


def check_datetime(value: dt.datetime) -> dt.datetime:
    check_date(value.date())
    return value


def check_year(value: int) -> int:
    if not EARLIEST_DATE.year <= value <= latest_date().year:
        raise PydanticCustomError("year_out_of_range", "{message}", {"message": _(
            "%(value)s is out of range: give a year from %(first)s to %(last)s.") % {
            "value": value, "first": EARLIEST_DATE.year, "last": latest_date().year}})
    return value


def check_month(value: str) -> str:
    match = MONTH_RE.match(value)
    if match is None:
        raise PydanticCustomError("month_format", "{message}", {"message": _(
            "Give a month as YYYY-MM (2024-03).")})
    check_date(dt.date(int(match.group(1)), int(match.group(2)), 1))
    return value


_RANGE = f"from {EARLIEST_DATE.isoformat()} to {FUTURE_YEARS} years after today"
RequestDate = Annotated[dt.date, BeforeValidator(not_a_number), AfterValidator(check_date),
                        Field(description=f"YYYY-MM-DD, {_RANGE}")]
RequestDateTime = Annotated[dt.datetime, BeforeValidator(not_a_number),
                            AfterValidator(check_datetime),
                            Field(description=f"ISO 8601, {_RANGE}")]
RequestMonth = Annotated[str, Field(max_length=7, pattern=MONTH_RE.pattern,
                                    description=f"YYYY-MM, {_RANGE}"),
                         AfterValidator(check_month)]
RequestYear = Annotated[int, Field(ge=EARLIEST_DATE.year,
                                   description=f"a year {_RANGE}"),
                        AfterValidator(check_year)]


class Choice:
    """``Annotated[str, Choice(Program)]``: one of the codes of a model's choices (or of
    the strings given), published as the ``enum`` of the document; ``blank=True`` also
    takes ``""`` (no filter, or none chosen). Anything else is refused (422 on the field,
    naming the codes)."""

    def __init__(self, choices: type[Choices] | Iterable[str], *, blank: bool = False):
        values = [str(v) for v in (choices.values if isinstance(choices, type)
                                   else choices)]
        self.values = ([""] if blank else []) + values

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.values)


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
