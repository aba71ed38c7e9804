"""The JSON interface (issue 4 format), shared by the CLI and the REST API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

import numpy as np
import polars as pl
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
)

from safetynet.policy.columns import HOUSEHOLD_FIELDS, PERSON_FIELDS
from safetynet.policy.context import Context
from safetynet.policy.engine import (
    Rows,
    build_context,
    collect_rows,
    explain_row,
    per_capita_income,
)
from safetynet.policy.params import ParameterSet
from safetynet.policy.programs import CATEGORY_NAMES, PROGRAM_NAMES

Lang = Literal["zh", "en"]


def _number_only(value: object) -> object:
    """Reject strings and booleans where a number is expected (no silent coercion)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError("expected a number")
    return value


def _identifier(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ValueError("expected a non-empty string or integer")
    return value


Identifier = Annotated[str | int, BeforeValidator(_identifier)]
Money = Annotated[float, BeforeValidator(_number_only), Field(ge=0)]
Count = Annotated[StrictInt, Field(ge=0)]


class Member(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Identifier
    birth_date: dt.date
    relation: StrictStr | None = None
    monthly_income: Money = 0
    disability_category: (
        Literal["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]
        | None
    ) = None
    disability_grade: Annotated[StrictInt, Field(ge=1, le=4)] | None = None
    ability_grade: Annotated[StrictInt, Field(ge=0, le=4)] | None = None
    self_care: Literal["full", "partial", "none"] | None = None
    serious_illness: StrictBool | None = None
    no_able_supporter: StrictBool | None = None
    orphan_status: Literal["orphan", "no_de_facto_carer"] | None = None
    in_institution: StrictBool | None = None
    full_time_student: StrictBool | None = None


class Household(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Identifier
    area_code: Annotated[StrictStr, Field(pattern=r"^\d{6}(\d{3}(\d{3})?)?$")]
    hukou: Literal["urban", "rural"]
    financial_assets: Money = 0
    vehicles: Count = 0
    houses: Count = 0
    rigid_expenses: Money = 0
    members: list[Member] = Field(default_factory=list)


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on: dt.date | None = None
    households: list[Household]


MESSAGES: dict[str, tuple[str, str]] = {
    "extra_forbidden": ("未知字段", "unknown field"),
    "missing": ("缺少必填字段", "required field missing"),
    "duplicate": ("编号重复", "duplicate id"),
    "on": ("缺少评估日期 on", "evaluation date `on` missing"),
}


class PolicyInputError(ValueError):
    """Invalid JSON input. ``errors`` lists {household, member, field, message, message_zh,
    message_en}; ``message`` is in the language asked for."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        first = errors[0] if errors else {}
        super().__init__(
            f"{len(errors)} input error(s); first: household={first.get('household')} "
            f"member={first.get('member')} field={first.get('field')}: {first.get('message_en')}"
        )


def _error(
    household: Any, member: Any, field: str, kind: str, detail: str, lang: Lang
) -> dict[str, Any]:
    zh, en = MESSAGES.get(kind, ("类型或取值错误", "wrong type or value"))
    if kind not in MESSAGES:
        zh, en = f"{zh}：{detail}", f"{en}: {detail}"
    return {
        "household": household,
        "member": member,
        "field": field,
        "message": zh if lang == "zh" else en,
        "message_zh": zh,
        "message_en": en,
    }


def _id_at(items: Any, index: Any) -> Any:
    """The id of ``items[index]`` in the raw payload, or the index when it has none."""
    if isinstance(items, list) and isinstance(index, int) and index < len(items):
        item = items[index]
        if isinstance(item, Mapping) and isinstance(item.get("id"), str | int):
            return item["id"]
    return index


def _locate(payload: Mapping[str, Any], loc: tuple[Any, ...]) -> tuple[Any, Any, str]:
    """(household id, member id, field) for a pydantic error location."""
    household = member = None
    rest = list(loc)
    if rest[:1] == ["households"] and len(rest) >= 2:
        raw_households = payload.get("households")
        household = _id_at(raw_households, rest[1])
        rest = rest[2:]
        if rest[:1] == ["members"] and len(rest) >= 2 and isinstance(raw_households, list):
            raw_h = raw_households[loc[1]] if isinstance(loc[1], int) else {}
            raw_members = raw_h.get("members") if isinstance(raw_h, Mapping) else None
            member = _id_at(raw_members, rest[1])
            rest = rest[2:]
    field = ".".join(str(part) for part in rest if not str(part).startswith("function-"))
    return household, member, field


def _validation_errors(
    payload: Mapping[str, Any], exc: ValidationError, lang: Lang
) -> list[dict[str, Any]]:
    errors = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and "[" in p))
        household, member, field = _locate(payload, loc)
        errors.append(_error(household, member, field, err["type"], err["msg"], lang))
    return errors


def _duplicate_errors(data: Payload, lang: Lang) -> list[dict[str, Any]]:
    errors, seen_households = [], set()
    for household in data.households:
        if str(household.id) in seen_households:
            errors.append(_error(household.id, None, "id", "duplicate", "", lang))
        seen_households.add(str(household.id))
        seen_members: set[str] = set()
        for member in household.members:
            if str(member.id) in seen_members:
                errors.append(_error(household.id, member.id, "id", "duplicate", "", lang))
            seen_members.add(str(member.id))
    return errors


def parse_payload(payload: Mapping[str, Any], lang: Lang = "zh") -> Payload:
    """Validate a JSON payload; raise :class:`PolicyInputError` naming every fault."""
    if not isinstance(payload, Mapping):
        raise PolicyInputError([_error(None, None, "", "type", "expected an object", lang)])
    try:
        data = Payload.model_validate(payload)
    except ValidationError as exc:
        raise PolicyInputError(_validation_errors(payload, exc, lang)) from None
    duplicates = _duplicate_errors(data, lang)
    if duplicates:
        raise PolicyInputError(duplicates)
    return data


def payload_frames(data: Payload) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The validated payload as the persons and households frames of ``evaluate``."""
    households = [{**h.model_dump(exclude={"members"}), "id": str(h.id)} for h in data.households]
    persons = [
        {**m.model_dump(), "id": str(m.id), "household_id": str(h.id)}
        for h in data.households
        for m in h.members
    ]
    for row in households:
        for key in ("financial_assets", "rigid_expenses"):
            row[key] = float(row[key])
    for row in persons:
        row["monthly_income"] = float(row["monthly_income"])
    return (
        pl.DataFrame(persons, schema=PERSON_FIELDS),
        pl.DataFrame(households, schema=HOUSEHOLD_FIELDS),
    )


def _benefit(
    ctx: Context, rows: Rows, i: int, ids: list[str], explain: bool, lang: Lang
) -> dict[str, Any]:
    person = int(rows.person[i])
    benefit: dict[str, Any] = {
        "program": PROGRAM_NAMES[int(rows.program[i])],
        "person": ids[person] if person >= 0 else None,
        "monthly_amount": int(rows.amount[i]),
    }
    if explain:
        benefit["explanation"] = explain_row(ctx, rows, i, lang)
    return benefit


def build_output(
    ctx: Context, persons: pl.DataFrame, households: pl.DataFrame, explain: bool, lang: Lang
) -> dict[str, Any]:
    rows = collect_rows(ctx)
    order = np.lexsort((rows.person, rows.program, rows.household))
    person_ids = persons["id"].to_list()
    per_capita = per_capita_income(ctx)
    output = [
        {
            "id": household_id,
            "per_capita_income": float(per_capita[h]),
            "categories": [name for name in CATEGORY_NAMES if bool(ctx.facts[name][h])],
            "benefits": [],
        }
        for h, household_id in enumerate(households["id"].to_list())
    ]
    for i in order:
        h = int(rows.household[i])
        output[h]["benefits"].append(_benefit(ctx, rows, int(i), person_ids, explain, lang))
    return {"on": ctx.on.isoformat(), "households": output}


def evaluate_json(
    payload: Mapping[str, Any],
    lang: Lang = "zh",
    *,
    on: dt.date | None = None,
    overrides: Mapping[str, object] | None = None,
    explain: bool = True,
    params: ParameterSet | None = None,
) -> dict[str, Any]:
    """Evaluate the issue-4 JSON input and return the JSON output (a dict).

    ``on`` (argument) takes precedence over the payload's ``on``; explanations are in
    ``lang`` ("zh" by default). Invalid input raises :class:`PolicyInputError`.
    """
    data = parse_payload(payload, lang)
    when = on or data.on
    if when is None:
        raise PolicyInputError([_error(None, None, "on", "on", "", lang)])
    persons, households = payload_frames(data)
    ctx = build_context(persons, households, when, overrides, params)
    result = build_output(ctx, persons, households, explain, lang)
    # The payload's member ids may be ints; echo them as given.
    _restore_ids(result, data)
    return result


def _restore_ids(result: dict[str, Any], data: Payload) -> None:
    for out, household in zip(result["households"], data.households, strict=True):
        out["id"] = household.id
        members = {str(m.id): m.id for m in household.members}
        for benefit in out["benefits"]:
            if benefit["person"] is not None:
                benefit["person"] = members[benefit["person"]]
