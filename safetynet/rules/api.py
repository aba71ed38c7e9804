"""Rules endpoints under /api/v1/rules/: evaluate households given as JSON.

``POST /api/v1/rules/evaluate`` takes the JSON of docs/rules.md (the same as
``safetynet rules eval``) and answers with the engine's output; explanations in
``lang`` (zh by default). The body is validated by the engine's own schema so that every
error names the household, the member and the field.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import TypeAdapter
from pydantic import ValidationError as InvalidValue

from safetynet.core.schemas import RequestDate
from safetynet.policy import ParameterError, PolicyInputError, evaluate_json
from safetynet.policy.jsonio import Payload
from safetynet.rules.parameters import current_parameters

router = Router(tags=["rules"])


class RuleErrorOut(Schema):
    field: str
    message: str
    household: str | int | None = None
    member: str | int | None = None


class RuleErrorsOut(Schema):
    errors: list[RuleErrorOut]


class BenefitOut(Schema):
    program: str
    person: str | int | None
    monthly_amount: int
    explanation: str


class EvaluatedHouseholdOut(Schema):
    id: str | int
    per_capita_income: float
    categories: list[str]
    benefits: list[BenefitOut]


class EvaluationOut(Schema):
    on: dt.date
    households: list[EvaluatedHouseholdOut]


BODY_DATE: TypeAdapter[dt.date] = TypeAdapter(RequestDate)
REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": Payload.model_json_schema()}}}}


def field_path(error: dict[str, Any]) -> str:
    """households[H1].members[P1].monthly_income: where the error is, by the ids given."""
    parts = []
    if error.get("household") is not None:
        parts.append(f"households[{error['household']}]")
    if error.get("member") is not None:
        parts.append(f"members[{error['member']}]")
    if error.get("field"):
        parts.append(str(error["field"]))
    return ".".join(parts) or "__all__"


def input_errors(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"errors": [{"field": field_path(e), "message": e["message"],
                        "household": e.get("household"), "member": e.get("member")}
                       for e in errors]}


def parameter_errors(exc: ParameterError) -> dict[str, Any]:
    return {"errors": [{"field": "area_code", "message": exc.message, "household": None,
                        "member": None}]}


@router.post("/evaluate", response={200: EvaluationOut, 401: RuleErrorsOut, 422: RuleErrorsOut},
             openapi_extra=REQUEST_BODY)
def evaluate(request: HttpRequest, lang: Literal["zh", "en"] = "zh",
             on: RequestDate | None = None) -> Any:
    """Evaluate the households in the body on ``on`` (or the body's ``on``): every
    programme with a positive amount, its explanation, and the monitoring categories."""
    try:
        payload = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return Status(422, {"errors": [{"field": "__all__", "message": f"invalid JSON: {exc}"}]})
    if isinstance(payload, dict) and payload.get("on") is not None:
        try:  # the body's date has the limits of every date of a request (core.schemas)
            BODY_DATE.validate_python(payload["on"])
        except InvalidValue as exc:
            return Status(422, {"errors": [{"field": "on", "message": exc.errors()[0]["msg"],
                                            "household": None, "member": None}]})
    try:
        return evaluate_json(payload, lang, on=on, params=current_parameters())
    except PolicyInputError as exc:
        return Status(422, input_errors(exc.errors))
    except ParameterError as exc:
        return Status(422, parameter_errors(exc))
