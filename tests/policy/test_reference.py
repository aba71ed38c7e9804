"""The engine's totals equal an independent reference (bench/reference_policy.py, written
from DOMAIN.md §4 alone) on synthetic counties, including incomes in fen around the
thresholds where money rounding decides (issue #20)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from safetynet.policy import evaluate
from safetynet.policy.params import load_parameters

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_policy import ON, synthetic  # noqa: E402
from reference_policy import Totals, reference_totals  # noqa: E402


def engine_totals(persons: pl.DataFrame, households: pl.DataFrame, on: dt.date) -> Totals:
    rows = evaluate(persons, households, on)
    grouped = rows.group_by("program").agg(pl.len(), pl.col("monthly_amount").sum())
    return {r["program"]: (r["len"], r["monthly_amount"]) for r in grouped.iter_rows(named=True)}


def near_thresholds(persons: pl.DataFrame, seed: int) -> pl.DataFrame:
    """Incomes in fen, a third of them within a yuan of S = 650 or of 2 x S."""
    rng = np.random.default_rng(seed)
    m = persons.height
    spread = rng.integers(0, 300_000, m)
    near = rng.choice([65_000, 130_000], m) + rng.integers(-100, 101, m)
    fen = np.where(rng.random(m) < 0.33, near, spread)
    fen = np.where(rng.random(m) < 0.3, 0, fen)
    return persons.with_columns(monthly_income=pl.Series(fen / 100, dtype=pl.Float64))


@pytest.mark.parametrize("seed", [7, 11])
def test_engine_equals_reference_on_a_synthetic_county(seed: int) -> None:
    persons, households = synthetic(20_000, seed=seed)
    assert engine_totals(persons, households, ON) == reference_totals(persons, households, ON)


@pytest.mark.parametrize("seed", [3, 5])
def test_engine_equals_reference_with_incomes_in_fen_at_the_thresholds(seed: int) -> None:
    persons, households = synthetic(20_000, seed=seed)
    persons = near_thresholds(persons, seed)
    expected = reference_totals(persons, households, ON)
    assert expected["dibao"][0] > 0 and expected["disability_living"][0] > 0
    assert engine_totals(persons, households, ON) == expected


def test_a_changed_standard_changes_both_alike() -> None:
    """The comparison can fail: a what-if standard moves the reference's dibao total, and
    the engine under the same override still agrees."""
    persons, households = synthetic(5_000, seed=1)
    params = load_parameters().with_overrides({"dibao.standard": 700})
    usual = reference_totals(persons, households, ON)
    higher = reference_totals(persons, households, ON, params)
    assert higher["dibao"][1] > usual["dibao"][1]
    rows = evaluate(persons, households, ON, params=params)
    assert int(rows.filter(pl.col("program") == "dibao")["monthly_amount"].sum()) == higher[
        "dibao"
    ][1]
