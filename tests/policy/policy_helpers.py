"""Shared helpers for the policy tests: YAML cases -> JSON payloads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"
HOUSEHOLD_DEFAULTS: dict[str, Any] = {"area_code": "320722100201", "hukou": "rural", "houses": 1}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def case_payload(case: dict[str, Any]) -> dict[str, Any]:
    """The JSON input of a YAML case, with household defaults filled in."""
    households = [{**HOUSEHOLD_DEFAULTS, **h} for h in case["households"]]
    return _jsonable({"on": case["on"], "households": households})


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            # YAML 1.1 reads a bare `on:` key as the boolean true.
            case = {("on" if key is True else key): value for key, value in raw.items()}
            cases.append((f"{path.stem}: {case['name']}", case))
    return cases
