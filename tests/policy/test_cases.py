"""Runs the readable YAML cases in tests/policy/cases through evaluate_json and evaluate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from safetynet.policy import evaluate, evaluate_json
from safetynet.policy.jsonio import parse_payload, payload_frames
from tests.policy.policy_helpers import case_payload, load_cases

CASES = load_cases()


def _benefit_key(benefit: dict[str, Any]) -> tuple[str, str, int]:
    return (benefit["program"], str(benefit.get("person")), benefit["monthly_amount"])


def _check_household(name: str, actual: dict[str, Any], expected: dict[str, Any]) -> None:
    if "benefits" in expected:
        got = sorted(_benefit_key(b) for b in actual["benefits"])
        want = sorted(_benefit_key(b) for b in expected["benefits"])
        assert got == want, f"{name}: benefits"
        explained = {_benefit_key(b): b["explanation"] for b in actual["benefits"]}
        for benefit in expected["benefits"]:
            if "explanation" in benefit:
                assert explained[_benefit_key(benefit)] == benefit["explanation"]
    if "categories" in expected:
        assert actual["categories"] == expected["categories"], f"{name}: categories"
    if "per_capita_income" in expected:
        assert actual["per_capita_income"] == pytest.approx(expected["per_capita_income"])


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[n for n, _ in CASES])
def test_yaml_case(case: dict[str, Any]) -> None:
    payload = case_payload(case)
    result = evaluate_json(payload, case.get("lang", "zh"), overrides=case.get("overrides"))
    by_id = {h["id"]: h for h in result["households"]}
    for household_id, expected in case["expect"].items():
        _check_household(f"{case['name']} / {household_id}", by_id[household_id], expected)


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[n for n, _ in CASES])
def test_evaluate_agrees_with_json(case: dict[str, Any]) -> None:
    payload = case_payload(case)
    persons, households = payload_frames(parse_payload(payload))
    on = dt.date.fromisoformat(payload["on"])
    frame = evaluate(persons, households, on, case.get("overrides"))
    result = evaluate_json(payload, overrides=case.get("overrides"), explain=False)
    from_json = sorted(
        (h["id"], str(b["person"]), b["program"], b["monthly_amount"])
        for h in result["households"]
        for b in h["benefits"]
    )
    assert frame.schema["monthly_amount"] == pl.Int64
    rows = [(h, str(p), prog, amount) for h, p, prog, amount in frame.iter_rows()]
    assert sorted(rows) == from_json
