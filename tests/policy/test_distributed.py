"""The Dask engine gives the same result as the in-process engine (2-worker local cluster)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import polars as pl
from dask.distributed import Client, LocalCluster

from safetynet.policy import evaluate
from safetynet.policy.distributed import evaluate_partitions, read_partition, write_partitions

ON = dt.date(2022, 9, 1)
BENCH = Path(__file__).resolve().parents[2] / "bench" / "bench_policy.py"


def _synthetic(n: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    spec = importlib.util.spec_from_file_location("bench_policy", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_policy", module)
    spec.loader.exec_module(module)
    return module.synthetic(n, seed=3)  # type: ignore[no-any-return]


def test_partitions_keep_households_whole(tmp_path: Path) -> None:
    persons, households = _synthetic(2_000)
    paths = write_partitions(persons.sample(fraction=1.0, seed=2), households, tmp_path, 700)
    assert len(paths) == 3
    for path in paths:
        part_persons, part_households = read_partition(path)
        assert part_persons["household_id"].is_in(part_households["id"].implode()).all()
    assert sum(read_partition(p)[0].height for p in paths) == persons.height


def test_dask_result_equals_in_process_result(tmp_path: Path) -> None:
    persons, households = _synthetic(3_000)
    paths = write_partitions(persons, households, tmp_path, 1_000)
    expected = evaluate(persons, households, ON, {"dibao.standard": 700})
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        actual = evaluate_partitions(paths, ON, {"dibao.standard": 700}, client=client)
    key = ["household_id", "program", "person_id"]
    assert actual.sort(key, nulls_last=True).equals(expected.sort(key, nulls_last=True))
