"""The two differences traced in issue #20, at their thresholds, in both paths (the fast
kernel ``evaluate`` and the readable programme modules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safetynet.policy import engine, evaluate
from safetynet.policy.engine import build_context, collect_rows
from safetynet.policy.jsonio import parse_payload, payload_frames

ON = dt.date(2022, 9, 1)  # S = 650 in Donghai


def _frames(members: list[dict[str, Any]], **household: Any) -> tuple[pl.DataFrame, pl.DataFrame]:
    people = [{"id": f"P{i}", **m} for i, m in enumerate(members)]
    item = {"id": "H1", "area_code": "320722", "hukou": "rural", "members": people, **household}
    return payload_frames(parse_payload({"on": ON.isoformat(), "households": [item]}, "en"))


def _both(persons: pl.DataFrame, households: pl.DataFrame) -> list[dict[str, int]]:
    fast = evaluate(persons, households, ON)
    ctx = build_context(persons, households, ON)
    readable = engine.rows_frame(collect_rows(ctx), persons, households)
    assert fast.to_dicts() == readable.to_dicts()
    totals = fast.group_by("program").agg(pl.col("monthly_amount").sum())
    return [dict(zip(totals["program"], totals["monthly_amount"], strict=True))]


def _paid(persons: pl.DataFrame, households: pl.DataFrame) -> dict[str, int]:
    return _both(persons, households)[0]


@pytest.mark.parametrize("grade", [1, 2])
def test_nursing_paid_in_an_institution_without_tekun(grade: int) -> None:
    # Has a supporter, so not tekun: DOMAIN.md excludes only centralised tekun support.
    member = {
        "birth_date": "1980-05-01",
        "monthly_income": 3000,
        "disability_category": "physical",
        "disability_grade": grade,
        "in_institution": True,
    }
    paid = _paid(*_frames([member]))
    assert paid.get("disability_nursing") == {1: 200, 2: 150}[grade]
    assert "tekun_basic" not in paid


def test_nursing_refused_in_centralised_tekun() -> None:
    member = {
        "birth_date": "1950-01-01",
        "disability_category": "physical",
        "disability_grade": 1,
        "in_institution": True,
        "no_able_supporter": True,
    }
    paid = _paid(*_frames([member]))
    assert paid["tekun_basic"] == 845
    assert "disability_nursing" not in paid
    member["in_institution"] = False  # dispersed tekun support: nursing is paid
    assert _paid(*_frames([member]))["disability_nursing"] == 200


def _single(income: str) -> dict[str, int]:
    """A grade-1 member enrolled alone (household fails the income test only)."""
    disabled = {
        "birth_date": "1980-01-01",
        "monthly_income": float(income),
        "disability_category": "physical",
        "disability_grade": 1,
    }
    earner = {"birth_date": "1982-01-01", "monthly_income": 800}
    return _paid(*_frames([disabled, earner], financial_assets=0))


@settings(max_examples=60, deadline=None)
@given(st.integers(64_900, 65_100))
def test_single_person_and_living_allowance_at_the_standard(fen: int) -> None:
    """Own income within a yuan of S = 650: enrolled alone (and so paid the living
    allowance, 30 % of S = 195) exactly when S - own income rounds to at least 1 yuan."""
    paid = _single(f"{fen // 100}.{fen % 100:02d}")
    amount = (65_000 - fen + 50) // 100 if fen < 65_000 else 0
    if amount > 0:
        assert paid["dibao"] == amount
        assert paid["disability_living"] == 195
    else:
        assert "dibao" not in paid
        assert "disability_living" not in paid
    assert paid["disability_nursing"] == 200


@pytest.mark.parametrize(
    ("income", "living"),
    [("649.49", 195), ("649.50", 195), ("649.51", None), ("649.58", None), ("649.95", None)],
)
def test_living_allowance_edge_incomes(income: str, living: int | None) -> None:
    assert _single(income).get("disability_living") == living
