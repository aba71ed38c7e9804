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


def _orphan(birth: str, student: bool, **overrides: Any) -> dict[str, int]:
    """Totals of a scattered orphan (with an earning guardian) in both paths, under what-if
    ``overrides`` (study age limit 22 and continuation in study by default)."""
    members = [
        {"birth_date": "1970-01-01", "monthly_income": 3000},
        {"birth_date": birth, "orphan_status": "orphan", "full_time_student": student},
    ]
    persons, households = _frames(members)
    fast = evaluate(persons, households, ON, overrides)
    ctx = build_context(persons, households, ON, overrides)
    readable = engine.rows_frame(collect_rows(ctx), persons, households)
    assert fast.to_dicts() == readable.to_dicts()
    totals = fast.group_by("program").agg(pl.col("monthly_amount").sum())
    return dict(zip(totals["program"], totals["monthly_amount"], strict=True))


@pytest.mark.parametrize(
    ("birth", "student", "paid"),
    [
        ("2004-09-02", False, True),  # 17 on the 1st: under the age limit
        ("2004-09-01", False, False),  # 18 on the 1st, not studying
        ("2004-09-01", True, True),  # 18, in full-time study
        ("2000-09-02", True, True),  # 21, in full-time study: under the study limit 22
        ("2000-09-01", True, False),  # 22 on the 1st: the study branch ends
        ("1990-01-01", True, False),  # 32, a student: far past the study limit
        ("2022-09-02", True, False),  # not born by the 1st (a student flag set in error)
        ("2022-09-01", False, True),  # born on the 1st: age 0
    ],
)
def test_orphan_study_branch_age_bounds(birth: str, student: bool, paid: bool) -> None:
    assert ("orphan_allowance" in _orphan(birth, student)) is paid


def test_orphan_study_limits_follow_their_parameters() -> None:
    assert "orphan_allowance" in _orphan("1998-01-01", True, **{
        "orphan_allowance.study_age_limit": 25})
    assert "orphan_allowance" not in _orphan("2004-01-01", True, **{
        "orphan_allowance.continue_in_study": False})
    # A study limit below the age limit does not shorten the ordinary branch.
    assert "orphan_allowance" in _orphan("2006-01-01", False, **{
        "orphan_allowance.study_age_limit": 10})
