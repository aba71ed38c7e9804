"""Evaluating the registry in place and storing the amounts (``safetynet rules run``).

registry/columns.py exports the households in the run's areas as columns; the engine
evaluates them in this process or on Dask (household-sharded Parquet partitions); the
amounts replace, in one transaction, the earlier results for the same date and areas.
PostgreSQL gets them by COPY, other databases by batched INSERTs.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safetynet.core.bulk import insert_frame
from safetynet.core.jurisdiction import area_q
from safetynet.policy import ParameterSet, distributed, evaluate
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from safetynet.rules.models import Engine, EvaluationResult, EvaluationRun, Job, JobStatus
from safetynet.rules.parameters import current_parameters

log = logging.getLogger(__name__)
RESULT_COLUMNS = ("run_id", "on", "household_id", "person_id", "program", "monthly_amount")
DEFAULT_PARTITION = 100_000
RESULT_SCHEMA = {"household_id": pl.Int64(), "person_id": pl.Int64(), "program": pl.String(),
                 "monthly_amount": pl.Int64()}


@dataclass(frozen=True)
class DaskOptions:
    """Where and how the Dask engine runs: a scheduler address (a local 2-worker cluster
    when None), a working directory the workers can read, households per partition."""

    scheduler: str | None = None
    workdir: Path | None = None
    partition_size: int = DEFAULT_PARTITION
    processes: bool = True


def households_for_codes(codes: list[str]) -> QuerySet[Household]:
    """Every household in the areas ``codes`` (all households when empty)."""
    households = Household.objects.all()
    return households.filter(area_q(codes)) if codes else households


class Timer:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.seconds[name] = round(time.perf_counter() - started, 3)


def evaluate_frames(persons: pl.DataFrame, households: pl.DataFrame, on: date,
                    params: ParameterSet, engine: str = Engine.IN_PROCESS,
                    dask: DaskOptions | None = None) -> pl.DataFrame:
    """The engine's result rows for the frames, in process or on Dask (identical)."""
    if households.height == 0:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    if engine == Engine.DASK:
        return _evaluate_on_dask(persons, households, on, params, dask or DaskOptions())
    return evaluate(persons, households, on, params=params)


def _evaluate_on_dask(persons: pl.DataFrame, households: pl.DataFrame, on: date,
                      params: ParameterSet, options: DaskOptions) -> pl.DataFrame:
    _quiet_dask()
    workdir = options.workdir or Path(settings.VAR_DIR) / "rules"
    workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="partitions-", dir=workdir) as directory:
        paths = distributed.write_partitions(persons, households, Path(directory),
                                             options.partition_size)
        return distributed.evaluate_partitions(paths, on, scheduler=options.scheduler,
                                               params=params, processes=options.processes)


def _quiet_dask() -> None:
    """Keep the cluster's start/stop chatter out of the command's output: in this process
    and, by the environment they inherit, in the worker processes."""
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("distributed"):
            logging.getLogger(name).setLevel(logging.WARNING)


def execute_run(run_id: int, dask: DaskOptions | None = None) -> EvaluationRun:
    """Evaluate the run's households and store the amounts; on failure mark it failed."""
    run = EvaluationRun.objects.get(pk=run_id)
    run_job(run, lambda: _evaluate_and_store(run, dask))
    return run


def _evaluate_and_store(run: EvaluationRun, dask: DaskOptions | None) -> None:
    timer = Timer()
    households = households_for_codes(run.scope_codes)
    with timer.step("export"):
        persons, homes = registry_frames(households)
    params = current_parameters()
    with timer.step("evaluate"):
        result = evaluate_frames(persons, homes, run.on, params, run.engine, dask)
    with timer.step("store"), transaction.atomic():
        replace_results(run, households, result)
        _finish_run(run, persons, homes, result, params, timer)


def replace_results(run: EvaluationRun, households: QuerySet[Household],
                    result: pl.DataFrame) -> None:
    """Drop the earlier amounts of the same date for these households; insert the new ones
    (the caller holds the transaction, so readers see the old set or the new, never both)."""
    earlier = EvaluationResult.objects.filter(on=run.on)
    if run.scope_codes:
        earlier = earlier.filter(household__in=households.values("pk"))
    earlier.delete()  # one DELETE statement: no signals, nothing cascades from results
    rows = result.select(
        pl.lit(run.pk, pl.Int64).alias("run_id"), pl.lit(run.on.isoformat()).alias("on"),
        "household_id", "person_id", "program", "monthly_amount")
    insert_rows(rows)


def insert_rows(rows: pl.DataFrame) -> None:
    """Bulk insert result rows: COPY on PostgreSQL, batched executemany elsewhere."""
    insert_frame(EvaluationResult, RESULT_COLUMNS, rows)


def summarise(result: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Per programme: rows (recipients) and the monthly total in yuan."""
    grouped = result.group_by("program").agg(rows=pl.len(), monthly=pl.col("monthly_amount")
                                               .sum()).sort("program")
    return {row["program"]: {"rows": int(row["rows"]), "monthly": int(row["monthly"])}
            for row in grouped.iter_rows(named=True)}


def _finish_run(run: EvaluationRun, persons: pl.DataFrame, homes: pl.DataFrame,
                result: pl.DataFrame, params: ParameterSet, timer: Timer) -> None:
    run.households, run.persons, run.results = homes.height, persons.height, result.height
    run.paid_households = result["household_id"].n_unique() if result.height else 0
    run.monthly_total = int(result["monthly_amount"].sum() or 0)
    run.by_program = summarise(result)
    run.parameters_fingerprint = params.fingerprint()
    run.timings = timer.seconds
    _mark(run, JobStatus.DONE, finished_at=timezone.now())


def _mark(job: Job, status: str, **fields: Any) -> None:
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()


def _mark_running(job: Job) -> None:
    _mark(job, JobStatus.RUNNING, started_at=timezone.now())


def _mark_failed(job: Job, exc: BaseException) -> None:
    _mark(job, JobStatus.FAILED, finished_at=timezone.now(), message=str(exc)[:2000])


def run_job(job: Job, work: Callable[[], None]) -> None:
    """Run ``work`` for ``job``: running -> done by ``work``, or failed with the message."""
    _mark_running(job)
    try:
        work()
    except Exception as exc:
        log.exception("%s %s failed", type(job).__name__, job.pk)
        _mark_failed(job, exc)
        raise
