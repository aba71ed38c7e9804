"""The input limits of /api/v1/ (safetynet/core/schemas.py, docs/api.md "Input limits"),
checked on the published document so that a new operation is held to them too:

* every string a request may carry (parameter or body property) is bounded: an ``enum``, a
  ``format`` (date, date-time, file) or a ``maxLength``;
* every parameter or body field that names a coded value (``status``, ``kind``, …) declares
  its codes as an ``enum``;
* every query parameter refuses a date out of range, an unknown code, a text too long or a
  year out of range with 422 in the error shape, naming the parameter, in the caller's
  language.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from safetynet.core.schemas import EARLIEST_DATE, latest_date
from tests.api.openapi_walk import body, operations, properties, published_document, without_null
from tests.conftest import issue_token

pytestmark = pytest.mark.django_db

# Names that always denote a coded value when they are strings.
CHOICE_NAMES = frozenset({
    "state", "status", "kind", "program", "source", "show", "format", "which", "action",
    "urgency", "department", "service", "lang", "relation", "hukou", "sex", "confirmation",
    "bed_type", "recommendation", "marital_status", "education", "employment", "self_care",
    "disability_category", "orphan_status", "not_counted"})
BOUNDED_FORMATS = frozenset({"date", "date-time", "binary"})
# Bodies published whole by another layer, each with why they are not held to the rule.
EXEMPT_BODIES = {
    "POST /api/v1/rules/evaluate": "the rules engine's own payload (safetynet/policy/jsonio.py) "
                                   "checks every value and names household and member",
}
FAR_PAST, BEFORE_FIRST, FAR_FUTURE = "0001-01-01", "1899-12-31", "9999-12-31"


def bounded(schema: dict[str, Any]) -> bool:
    return bool({"enum", "maxLength"} & set(schema)) or schema.get("format") in BOUNDED_FORMATS


def string_inputs(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(operation, parameter or property, schema) of every string a request may send."""
    found = []
    for operation in operations(document):
        for parameter in operation.spec.get("parameters", []):
            schema = without_null(parameter["schema"])
            if schema.get("type") == "string":
                found.append((operation.label, parameter["name"], schema))
        request_body = body(document, operation)
        if request_body is None or operation.label in EXEMPT_BODIES:
            continue
        for name, schema, _required in properties(document, request_body[1]):
            items = schema.get("items", {}) if schema.get("type") == "array" else {}
            if schema.get("type") == "string":
                found.append((operation.label, name, schema))
            elif items.get("type") == "string":
                found.append((operation.label, f"{name}[]", items))
    return found


def test_every_string_input_is_bounded() -> None:
    unbounded = [f"{op} {name}" for op, name, schema in string_inputs(published_document())
                 if not bounded(schema)]
    assert unbounded == []


def test_every_coded_value_declares_its_codes() -> None:
    inputs = string_inputs(published_document())
    assert len(inputs) > 100  # the walk reached the bodies, not only the parameters
    missing = [f"{op} {name}" for op, name, schema in inputs
               if name.split(".")[-1].rstrip("[]") in CHOICE_NAMES and "enum" not in schema]
    assert missing == []


def test_the_document_declares_the_codes_of_a_filter() -> None:
    operation = published_document()["paths"]["/api/v1/payments/statistics"]["get"]
    program = next(p for p in operation["parameters"] if p["name"] == "program")
    assert {"", "dibao", "tekun_basic"} <= set(program["schema"]["enum"])


def bad_values(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(value, what is wrong) a query parameter with this schema must refuse."""
    schema = without_null(schema)
    if schema.get("format") == "date":
        return [(FAR_PAST, "far past"), (BEFORE_FIRST, "before 1900"),
                (FAR_FUTURE, "far future")]
    if "enum" in schema:
        return [("nonsense", "unknown code")]
    if schema.get("type") == "string" and "maxLength" in schema:
        return [("9" * (schema["maxLength"] + 1), "too long")]
    if schema.get("type") == "integer" and schema.get("minimum", 0) > 1:
        return [("1800", "year before 1900"), ("9999", "year far ahead")]
    if schema.get("type") == "integer":
        return [("abc", "not a number")]
    return []


def test_every_query_parameter_refuses_bad_values_by_name(clerk) -> None:
    client = Client(headers={"Authorization": f"Bearer {issue_token(clerk)}",
                             "Accept-Language": "en"})
    tried, problems = 0, []
    for operation in operations(published_document()):
        path = operation.path
        for parameter in operation.parameters("path"):
            enum = without_null(parameter["schema"]).get("enum")
            path = path.replace(f"{{{parameter['name']}}}", str(enum[0]) if enum else "1")
        for parameter in operation.parameters("query"):
            for value, what in bad_values(parameter["schema"]):
                tried += 1
                response = client.generic(operation.method.upper(),
                                          f"{path}?{parameter['name']}={value}")
                answer = json.loads(response.content)
                fields = [e["field"] for e in answer.get("errors", [])]
                if response.status_code != 422 or parameter["name"] not in fields:
                    problems.append(f"{operation.label} {parameter['name']}={value} ({what}): "
                                    f"{response.status_code} {fields}")
    assert tried > 60
    assert problems == []


def get(user: Any, url: str, language: str = "en") -> tuple[int, dict[str, str]]:
    response = Client().get(url, headers={"Authorization": f"Bearer {issue_token(user)}",
                                          "Accept-Language": language})
    body = json.loads(response.content)
    return response.status_code, {e["field"]: e["message"] for e in body["errors"]}


def test_an_unknown_code_is_refused_listing_the_codes(approver) -> None:
    status, errors = get(approver, "/api/v1/payments/statistics?program=nonsense")
    assert status == 422 and list(errors) == ["program"]
    assert errors["program"].startswith("Not an allowed value; use one of:")
    assert "'dibao'" in errors["program"] and "'temporary'" in errors["program"]
    status, errors = get(approver, "/api/v1/payments/statistics?program=nonsense", "zh-hans")
    assert errors["program"].startswith("不是允许的值，请填写以下之一：")


def test_a_date_out_of_range_names_the_field_and_the_range(clerk) -> None:
    status, errors = get(clerk, f"/api/v1/eldercare/orders?month={FAR_FUTURE}")
    last = latest_date().isoformat()
    assert status == 422 and list(errors) == ["month"]
    assert errors["month"] == (f"{FAR_FUTURE} is out of range: give a date from "
                               f"{EARLIEST_DATE.isoformat()} to {last}.")
    status, errors = get(clerk, f"/api/v1/eldercare/orders?month={FAR_PAST}", "zh-hans")
    assert errors["month"] == f"{FAR_PAST} 超出范围：日期应在 1900-01-01 至 {last} 之间。"


def test_the_range_ends_a_few_years_after_today(clerk) -> None:
    today = dt.date.today()
    inside = today.replace(year=today.year + 4, day=1).isoformat()
    outside = today.replace(year=today.year + 6, day=1).isoformat()
    assert get(clerk, f"/api/v1/eldercare/orders?month={outside}")[0] == 422
    response = Client().get(f"/api/v1/eldercare/orders?month={inside}",
                            headers={"Authorization": f"Bearer {issue_token(clerk)}"})
    assert response.status_code != 422, response.content


def test_a_text_too_long_names_the_field(clerk) -> None:
    status, errors = get(clerk, "/api/v1/registry/persons?q=" + "9" * 41)
    assert status == 422 and errors == {"q": "At most 40 characters."}
