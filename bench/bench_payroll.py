"""Benchmark of preparing a payroll run on PostgreSQL: 100,000 payment lines.

    python bench/bench_payroll.py [--lines 100000] [--keep] [--reuse] [--url postgresql://…]

Creates a database ``safetynet_bench_payroll`` on the server of DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/postgres), migrates it and writes ``--lines``
households of the demo county's villages, each with a benefit card account (encrypted)
and a dibao enrolment from 2022-01 (by COPY). Then it times:

* the raw COPY of the very rows the run writes into the payment-line table (rolled back);
* ``payments.services.run_payroll`` for dibao 2022-09: opening the run, reading the
  enrolments in force, computing the lines and control totals, COPY, audit, commit.

Target: the run takes no more than 3× the raw COPY, and under 10 s. Exit status 1 when
missed. The database is dropped afterwards unless ``--keep``; ``--reuse`` runs on a kept
database (its earlier dibao 2022-09 run is removed first).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BENCH_DB = "safetynet_bench_payroll"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
MAX_RATIO = 3.0
MAX_SECONDS = 10.0
PERIOD = "2022-09"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="run on a kept database")
    parser.add_argument("--url", default=postgres_url(os.environ.get("DATABASE_URL", "")))
    return parser.parse_args()


def postgres_url(url: str) -> str:
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_URL


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def admin(url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = with_database(url, BENCH_DB)
    os.environ["SAFETYNET_ENV"] = "test"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    import django

    django.setup()


def fill(count: int) -> None:
    """Areas, ``count`` households with accounts and one dibao enrolment each."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from safetynet.benefits.models import Enrollment
    from safetynet.core.models import Area
    from safetynet.demo import fastload, loader, places
    from safetynet.registry.models import Household

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic():
        loader.ensure_areas(places.area_tree())
        villages = list(Area.objects.filter(level="village").values_list("code", flat=True))
        writer = fastload.Writer([Household, Enrollment], history=False)
        homes = [{"number": f"B{i:09d}", "hukou": "rural", "area_id": villages[i % len(villages)],
                  "address": "bench", "bank_name": "东海农商银行",
                  "bank_account": f"6228{i:012d}", "active": True} for i in range(count)]
        writer.assign_pks(Household, homes)
        writer.insert(Household, homes)
        start = date(2022, 1, 1)
        enrolments = [{"program": "dibao", "household_id": h["id"], "person_id": None,
                       "beneficiary": f"h{h['id']}", "status": "active", "approved_on":
                       date(2021, 12, 20), "start_month": start, "amount_from": start,
                       "monthly_amount": Decimal(300 + h["id"] % 900), "persons": 2,
                       "review_months": 12, "next_review": date(2023, 1, 1)} for h in homes]
        writer.assign_pks(Enrollment, enrolments)
        writer.insert(Enrollment, enrolments)
        writer.finish()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"wrote {count:,} households and enrolments in {time.perf_counter() - started:.1f} s")


def clear_runs() -> None:
    from safetynet.payments.models import BankFile, PaymentLine, PayrollRun

    BankFile.objects.all().delete()
    PaymentLine.objects.all().delete()
    PayrollRun.objects.all().delete()


def time_raw_copy() -> tuple[float, int]:
    """COPY the rows a run writes (computed beforehand), then roll back."""
    from django.db import connection, transaction

    from safetynet.benefits.months import parse_period
    from safetynet.core.bulk import copy_frame
    from safetynet.payments import payroll
    from safetynet.payments.models import PayrollRun

    with transaction.atomic():
        run = PayrollRun.objects.create(program="dibao", period=parse_period(PERIOD))
        rows = payroll.build_lines(run.pk, "dibao", run.period, 1).rows
        table = connection.ops.quote_name(PaymentLine_table())
        columns = ", ".join(connection.ops.quote_name(c) for c in payroll.LINE_COLUMNS)
        started = time.perf_counter()
        with connection.cursor() as cursor:
            copy_frame(cursor, table, columns, rows.select(payroll.LINE_COLUMNS),
                       payroll.TEXT_NOT_NULL)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds, rows.height


def PaymentLine_table() -> str:  # noqa: N802 - reads as the model's table
    from safetynet.payments.models import PaymentLine

    return PaymentLine._meta.db_table


def time_run() -> tuple[float, int, Decimal]:
    from safetynet.payments import services

    started = time.perf_counter()
    run, created = services.run_payroll(None, "dibao", PERIOD)
    seconds = time.perf_counter() - started
    assert created, "the bench database already had the run"
    return seconds, run.lines, run.total


def main() -> int:
    args = parse_args()
    if not args.reuse:
        admin(args.url, f"DROP DATABASE IF EXISTS {BENCH_DB}", f"CREATE DATABASE {BENCH_DB}")
    setup_django(args.url)
    try:
        if args.reuse:
            clear_runs()
        else:
            fill(args.lines)
        time_raw_copy()  # warm the caches and the table
        copy_s, copied = time_raw_copy()
        run_s, lines, total = time_run()
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin(args.url, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    ratio = run_s / copy_s if copy_s else float("inf")
    print(f"raw COPY of {copied:,} payment lines: {copy_s:.2f} s")
    print(f"payroll run dibao {PERIOD}: {lines:,} lines, {total:,.2f} yuan in {run_s:.2f} s "
          f"({lines / run_s:,.0f} lines/s)")
    print(f"ratio run / raw COPY: {ratio:.2f} (target ≤ {MAX_RATIO}); "
          f"run {run_s:.2f} s (target < {MAX_SECONDS} s)")
    ok = ratio <= MAX_RATIO and run_s < MAX_SECONDS and lines == copied
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
