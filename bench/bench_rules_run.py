"""Benchmark of `safetynet rules run`: the registry evaluated in place, amounts stored.

    python bench/bench_rules_run.py [--engine inprocess|dask] [--keep]
    python bench/bench_rules_run.py --fresh [--scale 1.0]

By default it times a run over the households present in the database DATABASE_URL points
to (the SQLite file under var/ when unset), inside a transaction that is rolled back at
the end unless --keep is given, so the stored results are left as they were. With
--fresh it first builds a synthetic county (`safetynet seed`, --scale 1.0 ≈ 180,000
persons) in a fresh database: a temporary SQLite file, or a fresh test database on the
PostgreSQL server of DATABASE_URL (dropped afterwards).

Prints households and persons evaluated, amounts stored, the time of each step (export
of the columns from the database, evaluation, storing) and households per second.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ON = date(2022, 9, 1)


class Rollback(Exception):
    """Raised to undo the benchmark's writes."""


def setup(folder: str | None) -> Any:
    """Configure Django; with ``folder`` on a fresh database. Returns the connection."""
    os.environ.setdefault("SAFETYNET_ENV", "test")
    if folder is not None:
        os.environ["SAFETYNET_VAR_DIR"] = folder
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if folder is not None and connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    elif folder is not None:
        call_command("migrate", verbosity=0)
    return connection


def migrated() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def seed(scale: float) -> None:
    from django.conf import settings
    from django.db import connection

    from safetynet.demo import generator

    started = time.perf_counter()
    result = generator.build_county(scale, generator.DEFAULT_SEED,
                                    settings.SAFETYNET_COUNTY_CODE)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: real query plans
    print(f"seeded {len(result.households):,} households in "
          f"{time.perf_counter() - started:.1f} s")


def timed_run(engine: str, keep: bool) -> Any:
    """One run of the whole registry; rolled back afterwards unless ``keep``."""
    from django.db import transaction

    from safetynet.rules import services
    from safetynet.rules.runs import execute_run

    outcome: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            run = services.create_run(ON, None, engine)
            outcome["run"] = execute_run(run.pk)
            outcome["seconds"] = time.perf_counter() - started
            if not keep:
                raise Rollback
    except Rollback:
        pass
    return outcome


def report(outcome: dict[str, Any], vendor: str) -> None:
    run, seconds = outcome["run"], outcome["seconds"]
    steps = ", ".join(f"{name} {value:.2f} s" for name, value in run.timings.items())
    print(f"database {vendor}, engine {run.engine}, on {run.on}")
    print(f"{run.households:,} households, {run.persons:,} persons, {run.results:,} amounts "
          f"stored, {run.monthly_total:,} yuan a month")
    print(f"{seconds:.2f} s in all ({steps})")
    rate = run.households / seconds if seconds else 0.0
    print(f"{rate:,.0f} households/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("inprocess", "dask"), default="inprocess")
    parser.add_argument("--keep", action="store_true", help="keep the stored results")
    parser.add_argument("--fresh", action="store_true",
                        help="build a synthetic county in a fresh database first")
    parser.add_argument("--scale", type=float, default=1.0, help="size of the --fresh county")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        connection = setup(folder if args.fresh else None)
        try:
            return bench(args, connection)
        finally:
            if args.fresh and connection.vendor == "postgresql":
                connection.creation.destroy_test_db(connection.settings_dict["NAME"],
                                                    verbosity=0)


def bench(args: argparse.Namespace, connection: Any) -> int:
    if not migrated():
        print("the database is not migrated: run `safetynet migrate` (or use --fresh); skipped")
        return 0
    if args.fresh:
        seed(args.scale)
    from safetynet.registry.models import Household

    if not Household.objects.filter(active=True).exists():
        print("no households in the database: seed some (`safetynet seed`) or use --fresh; "
              "skipped")
        return 0
    report(timed_run(args.engine, args.keep), connection.vendor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
