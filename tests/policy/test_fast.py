"""The compiled bulk path (``policy/fast.py``) equals the readable programme modules."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetynet.policy import engine, evaluate
from safetynet.policy import fast as fast_module
from safetynet.policy.columns import age_table
from safetynet.policy.engine import build_context, collect_rows
from safetynet.policy.jsonio import parse_payload, payload_frames
from tests.policy import strategies

DATES = st.sampled_from(
    [dt.date(2021, 6, 1), dt.date(2021, 12, 31), dt.date(2022, 1, 1), dt.date(2022, 9, 15)]
)
members = strategies.members(dt.date(2023, 1, 1), [0, 649.5, 650, 845, 1300, 1300.5])
households = strategies.households(members, max_assets=120_000, max_members=6)
OVERRIDES = st.one_of(
    st.none(),
    st.fixed_dictionaries({"dibao.standard": st.integers(300, 1500)}),
    st.fixed_dictionaries(
        {"dibao.standard.urban": st.integers(300, 1500), "tekun.basic_factor": st.just(1.5)}
    ),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _frames(items: list[dict[str, Any]], on: dt.date) -> tuple[pl.DataFrame, pl.DataFrame]:
    result = []
    for h, household in enumerate(items):
        people = [{**m, "id": f"P{h}_{i}"} for i, m in enumerate(household["members"])]
        result.append({**household, "id": f"H{h}", "members": people})
    payload = {"on": on.isoformat(), "households": result}
    return payload_frames(parse_payload(payload, "en"))


def _readable(
    persons: pl.DataFrame, households: pl.DataFrame, on: dt.date, overrides: Any
) -> pl.DataFrame:
    ctx = build_context(persons, households, on, overrides)
    return engine.rows_frame(collect_rows(ctx), persons, households)


def _assert_same(persons: pl.DataFrame, households: pl.DataFrame, on: dt.date, ov: Any) -> None:
    readable = _readable(persons, households, on, ov)
    fast = evaluate(persons, households, on, ov)
    assert fast.schema == readable.schema
    assert fast.to_dicts() == readable.to_dicts()


@SETTINGS
@given(st.lists(households, min_size=1, max_size=8), DATES, OVERRIDES)
def test_fast_path_equals_readable_modules(
    items: list[dict[str, Any]], on: dt.date, overrides: Any
) -> None:
    persons, frame = _frames(items, on)
    _assert_same(persons, frame, on, overrides)


@SETTINGS
@given(st.lists(households, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_fast_path_equals_readable_for_shuffled_integer_ids(
    items: list[dict[str, Any]], random: Any
) -> None:
    on = dt.date(2022, 9, 1)
    persons, frame = _frames(items, on)
    # Integer ids (the compiled grouping check) and persons in any order (the sort path).
    hid = {f"H{h}": 100 + 7 * h for h in range(frame.height)}
    order = list(range(persons.height))
    random.shuffle(order)
    persons = persons.with_columns(
        pl.col("household_id").replace_strict(hid, return_dtype=pl.Int64),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("id"),
    )[order]
    frame = frame.with_columns(pl.col("id").replace_strict(hid, return_dtype=pl.Int64))
    _assert_same(persons, frame, on, None)


def test_fast_path_on_enum_columns_and_missing_optional_columns() -> None:
    on = dt.date(2022, 9, 1)
    rng = np.random.default_rng(3)
    n = 400
    hh = np.repeat(np.arange(n), 3)
    m = len(hh)
    levels = ["full", "partial", "none"]
    persons = pl.DataFrame(
        {
            "id": np.arange(m),
            "household_id": hh,
            "birth_date": pl.Series((19_000 - rng.integers(0, 100 * 365, m)).astype(np.int32)).cast(
                pl.Date
            ),
            "monthly_income": rng.integers(0, 1500, m),
            "disability_category": pl.Series(
                rng.choice(["physical", "mental", None], m).tolist(),
                dtype=pl.Enum(["mental", "physical"]),
            ),
            "disability_grade": pl.Series(rng.integers(0, 5, m)).replace(0, None).cast(pl.Int8),
            "self_care": pl.Series(rng.choice(levels, m).tolist(), dtype=pl.Enum(levels)),
            "no_able_supporter": rng.random(m) < 0.5,
        }
    )
    households = pl.DataFrame(
        {
            "id": np.arange(n),
            "area_code": pl.Series(["320722100201"] * n).cast(pl.Categorical),
            "hukou": rng.choice(["rural", "urban"], n).tolist(),
            "financial_assets": rng.integers(0, 40_000, n),
        }
    )
    _assert_same(persons, households, on, None)
    _assert_same(persons, households, on, {"dibao.standard": 900})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(households, min_size=1, max_size=12),
    st.randoms(use_true_random=False),
    st.booleans(),
    st.integers(1, 4),
    st.sampled_from([1, 2]),
)
def test_fast_path_equals_readable_in_many_household_ranges(
    items: list[dict[str, Any]], random: Any, shuffle: bool, chunk_persons: int, threads: int
) -> None:
    """Small inputs split into many household ranges on the kernel threads, as large ones
    are (each range writes its own part of every segment; the compaction joins them); on
    one thread (NUMBA_NUM_THREADS=1) they stay one range, with the same rows."""
    on = dt.date(2022, 9, 1)
    persons, frame = _frames(items, on)
    hid = {f"H{h}": 10 + 3 * h for h in range(frame.height)}
    persons = persons.with_columns(
        pl.col("household_id").replace_strict(hid, return_dtype=pl.Int64),
        pl.int_range(pl.len(), dtype=pl.Int64).alias("id"),
    )
    if shuffle:
        order = list(range(persons.height))
        random.shuffle(order)
        persons = persons[order]
    frame = frame.with_columns(pl.col("id").replace_strict(hid, return_dtype=pl.Int64))
    ranges: list[int] = []
    kernel = fast_module._kernel

    def recording(n_chunks: int, *args: Any) -> Any:
        ranges.append(n_chunks)
        return kernel(n_chunks, *args)

    with (
        mock.patch.object(fast_module, "CHUNK_PERSONS", chunk_persons),
        mock.patch.object(fast_module, "THREADS", threads),
        mock.patch.object(fast_module, "_kernel", recording),
    ):
        _assert_same(persons, frame, on, None)
    expected = max(1, min(fast_module.MAX_CHUNKS, persons.height // chunk_persons))
    # Shuffled persons: the kernel refuses them as it goes, and runs again grouped.
    assert ranges in ([expected if threads > 1 else 1] * n for n in (1, 2))


def test_age_table_is_cached_per_date_and_read_only() -> None:
    """The kernel's age table is built once per date; callers cannot change it."""
    start, ages = age_table(dt.date(2022, 9, 15))
    assert age_table(dt.date(2022, 9, 15))[1] is ages
    assert age_table(dt.date(2022, 10, 1))[1] is not ages
    assert not ages.flags.writeable
    born = (dt.date(2012, 9, 1) - dt.date(1970, 1, 1)).days
    assert ages[born - start] == 10  # born on the 1st: ten on the 1st of the month
    assert ages[born + 1 - start] == 9
