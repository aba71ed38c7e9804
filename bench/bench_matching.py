"""Benchmark of data matching (active discovery) at county-and-more scale.

    python bench/bench_matching.py [--rows 1000000] [--persons 1000000] [--seed 7]

Builds a registry index of ``--persons`` synthetic persons (valid GB 11643 ID numbers,
blind index = HMAC-SHA-256 with the installation's index key, as ``Person.id_number_index``
holds it) and a hospital file (the health-insurance layout, CSV) of ``--rows`` rows, 70 %
of them about registered persons. Then times the import path of
safetynet/discovery/matching.py on it, the very functions a real import runs: reading
the CSV, checking and parsing every column (dates, amounts, ID numbers with their check
character), the blind index of every ID number and the row key of every row, the join
with the registry, and the per-household sums the medical rule reads. No row goes
through the ORM.

Target (issue #9): under 60 s in total. The exit status is 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TARGET_SECONDS = 60.0
T = TypeVar("T")
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.array(list("10X98765432"))


def setup_django() -> None:
    os.environ.setdefault("SAFETYNET_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    import django

    django.setup()


def id_numbers(n: int, rng: np.random.Generator, region: str = "320722") -> np.ndarray:
    """``n`` distinct valid ID numbers (vectorised: birth dates 1930–2015, sequences)."""
    epoch = (np.datetime64("1930-01-01") + rng.integers(0, 85 * 365, n)).astype("datetime64[D]")
    dates = np.datetime_as_string(epoch).astype("U10")
    births = np.char.replace(dates, "-", "")
    sequence = np.char.zfill(((np.arange(n) % 999) + 1).astype("U3"), 3)
    first17 = np.char.add(np.char.add(region, births), sequence)
    digits = np.frombuffer(first17.astype("S17").tobytes(), dtype=np.uint8).reshape(n, 17) - 48
    check = CHECK[(digits * WEIGHTS).sum(axis=1) % 11]
    numbers = np.char.add(first17, check)
    _, first = np.unique(numbers, return_index=True)
    return numbers[np.sort(first)]


def registry(persons: int, rng: np.random.Generator) -> tuple[pl.DataFrame, np.ndarray]:
    from safetynet.core import crypto
    from safetynet.discovery.matching import blind_index

    numbers = id_numbers(persons, rng)
    key = crypto.keyring().index_key
    index = [blind_index(str(v), key) for v in numbers]
    count = len(numbers)
    households = np.arange(count) // 3
    frame = pl.DataFrame({
        "id_number_index": index, "person_id": np.arange(count, dtype=np.int64),
        "household_id": households.astype(np.int64),
        "area_id": pl.Series(households % 371 + 320722100200).cast(pl.String)})
    return frame, numbers


def hospital_file(path: Path, rows: int, registered: np.ndarray,
                  rng: np.random.Generator) -> None:
    known = rng.random(rows) < 0.7
    strangers = id_numbers(rows, rng, region="320721")
    ids = np.where(known, registered[rng.integers(0, len(registered), rows)],
                   np.resize(strangers, rows))
    day = (np.datetime64("2022-01-01") + rng.integers(0, 240, rows)).astype("datetime64[D]")
    fen = rng.integers(100, 5_000_000, rows)
    amount = np.char.add(np.char.add((fen // 100).astype("U9"), "."),
                         np.char.zfill((fen % 100).astype("U2"), 2))
    pl.DataFrame({"公民身份号码": ids, "姓名": ["患者"] * rows,
                  "结算日期": np.datetime_as_string(day), "医疗总费用": amount,
                  "个人自付金额": amount, "医疗机构": ["东海县人民医院"] * rows,
                  "诊断": ["住院"] * rows}).write_csv(path)


def timed(label: str, timings: dict[str, float], work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    timings[label] = time.perf_counter() - started
    return result


def run(path: Path, index: pl.DataFrame) -> tuple[dict[str, float], pl.DataFrame]:
    from safetynet.discovery import matching
    from safetynet.discovery.sources import layout

    spec = layout("medical")
    timings: dict[str, float] = {}
    text = timed("read CSV", timings, lambda: matching.to_frame(matching.read_table(path), spec))
    parsed = timed("check, parse, blind index, row keys", timings,
                   lambda: matching.parse(text, spec))
    assert not parsed.errors, parsed.errors[:3]
    matched = timed("join with the registry", timings,
                    lambda: matching.match(parsed.frame, index))
    timed("per-household sums (medical rule input)", timings, lambda: (
        matched.filter(pl.col("household_id").is_not_null())
        .group_by("household_id").agg(pl.col("out_of_pocket").sum(), pl.len())))
    return timings, matched


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    index, numbers = registry(args.persons, rng)
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "hospital.csv"
        hospital_file(path, args.rows, numbers, rng)
        print(f"setup: registry index of {index.height:,} persons and a file of "
              f"{args.rows:,} rows ({path.stat().st_size / 2**20:.0f} MiB) in "
              f"{time.perf_counter() - started:.1f} s")
        timings, matched = run(path, index)
    total = sum(timings.values())
    for label, seconds in timings.items():
        print(f"  {label:<42} {seconds:7.2f} s")
    hits = matched["person_id"].is_not_null().sum()
    print(f"matched {hits:,} of {matched.height:,} rows, {matched.height - hits:,} unmatched; "
          f"{matched.height / total:,.0f} rows/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(f"total {total:.1f} s (target < {TARGET_SECONDS:.0f} s), peak memory {peak:.1f} GiB")
    if total >= TARGET_SECONDS:
        print("TARGET MISSED")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
