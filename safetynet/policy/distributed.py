"""Scale-out: evaluate household-sharded Parquet partitions on Dask distributed.

Each partition is a directory with ``households.parquet`` and ``persons.parquet`` holding
whole households (a household's persons always sit in its partition), so partitions are
evaluated independently with the in-process engine and no shuffle is needed. The result
is identical to :func:`safetynet.policy.evaluate` over the whole input.
"""

from __future__ import annotations

import datetime as dt
import resource
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from safetynet.policy.columns import household_index
from safetynet.policy.engine import evaluate
from safetynet.policy.params import ParameterSet

HOUSEHOLDS_FILE = "households.parquet"
PERSONS_FILE = "persons.parquet"
Generator = Callable[..., tuple[pl.DataFrame, pl.DataFrame]]


@dataclass(frozen=True)
class RunSummary:
    partitions: int
    rows: int
    monthly_total: int
    worker_peak_gib: float


def write_partition(persons: pl.DataFrame, households: pl.DataFrame, path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    households.write_parquet(path / HOUSEHOLDS_FILE)
    persons.write_parquet(path / PERSONS_FILE)
    return path


def write_partitions(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    directory: Path,
    households_per_partition: int = 500_000,
) -> list[Path]:
    """Shard by household (row order of ``households``): ``part-00000``, ``part-00001``, ..."""
    hh = household_index(persons, households)
    person_part = hh // households_per_partition
    order = np.argsort(person_part, kind="stable")
    parts = _parts(households, households_per_partition)
    bounds = np.searchsorted(person_part[order], np.arange(0, parts + 1))
    paths = []
    for part in range(len(bounds) - 1):
        rows = pl.Series(order[bounds[part] : bounds[part + 1]])
        chunk = households.slice(part * households_per_partition, households_per_partition)
        paths.append(write_partition(persons[rows], chunk, directory / f"part-{part:05d}"))
    return paths


def _parts(households: pl.DataFrame, size: int) -> int:
    return max(1, -(-households.height // size))


def write_synthetic_partitions(
    directory: Path, n: int, households_per_partition: int, generate: Generator
) -> list[Path]:
    """Generate and write ``n`` synthetic households partition by partition (bounded memory).

    ``generate(count, seed=..., first_id=...)`` returns (persons, households)."""
    paths = []
    for part, first in enumerate(range(0, n, households_per_partition)):
        count = min(households_per_partition, n - first)
        persons, households = generate(count, seed=part, first_id=first)
        paths.append(write_partition(persons, households, directory / f"part-{part:05d}"))
    return paths


def read_partition(path: Path | str) -> tuple[pl.DataFrame, pl.DataFrame]:
    base = Path(path)
    return pl.read_parquet(base / PERSONS_FILE), pl.read_parquet(base / HOUSEHOLDS_FILE)


def evaluate_partition(
    path: Path | str,
    on: dt.date,
    overrides: Mapping[str, object] | None = None,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Evaluate one partition in the current (worker) process.

    ``params`` (e.g. the files plus reviewed changes) travels with the task; without it
    the worker uses the parameter files of its installed package."""
    persons, households = read_partition(path)
    return evaluate(persons, households, on, overrides, params=params)


def evaluate_partition_to_file(
    path: Path | str, on: dt.date, output: Path | str, overrides: Mapping[str, object] | None
) -> tuple[int, int]:
    """Evaluate one partition and write its result next to the others; (rows, yuan total)."""
    result = evaluate_partition(path, on, overrides)
    target = Path(output)
    target.mkdir(parents=True, exist_ok=True)
    result.write_parquet(target / f"{Path(path).name}.parquet")
    return result.height, int(result["monthly_amount"].sum() or 0)


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def client_for(scheduler: str | None, n_workers: int = 2, processes: bool = True) -> Any:
    """A dask.distributed Client: to ``scheduler`` when given, else a local cluster."""
    # dask.distributed is loaded only when a cluster is asked for (slow import).
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler)
    cluster = LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=processes, dashboard_address=None
    )
    return Client(cluster)


def _close(client: Any, owned: bool) -> None:
    if owned:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()


def evaluate_partitions(
    paths: Sequence[Path | str],
    on: dt.date,
    overrides: Mapping[str, object] | None = None,
    *,
    scheduler: str | None = None,
    client: Any = None,
    n_workers: int = 2,
    processes: bool = True,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Evaluate every partition on Dask and return the concatenated result (partition order).

    Pass an existing ``client``, a ``scheduler`` address, or neither for a local cluster."""
    owned = client is None
    client = client or client_for(scheduler, n_workers, processes)
    try:
        futures = client.map(
            evaluate_partition,
            [str(p) for p in paths],
            on=on,
            overrides=overrides,
            params=params,
            pure=False,
        )
        results = client.gather(futures)
    finally:
        _close(client, owned)
    return pl.concat(results, how="vertical") if results else pl.DataFrame()


def run_partitions(
    paths: Sequence[Path | str],
    on: dt.date,
    *,
    output: Path | str,
    overrides: Mapping[str, object] | None = None,
    scheduler: str | None = None,
    n_workers: int = 2,
    processes: bool = True,
) -> RunSummary:
    """Evaluate every partition, each worker writing its result to ``output`` as Parquet
    (nothing large travels back to the client); returns counts and the workers' peak memory."""
    client = client_for(scheduler, n_workers, processes)
    try:
        futures = client.map(
            evaluate_partition_to_file,
            [str(p) for p in paths],
            on=on,
            output=str(output),
            overrides=overrides,
            pure=False,
        )
        totals = client.gather(futures)
        peaks = client.run(_peak_gib)
    finally:
        _close(client, True)
    return RunSummary(
        len(paths),
        sum(rows for rows, _ in totals),
        sum(total for _, total in totals),
        float(sum(peaks.values())),
    )
