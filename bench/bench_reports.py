"""Benchmark of the statistics pages on the full demo county (SQLite by default).

    python bench/bench_reports.py [--db var/bench_reports.sqlite3] [--runs 5] [--url URL]

Builds the demo county with its January–September 2022 history (``safetynet demo``:
about 180,000 persons and 340,000 paid payment lines) into a database of its own unless
it is there already, then renders every statistics page as the county leader would (the
Django test client, the whole middleware stack and templates included): the dashboards
for January–September and for August, the summary report, a drill-down list and the
exports. Prints the first render (nothing cached: after a payroll is paid), the median and worst of
``--runs`` renders and the number of SQL queries of each page. Target: every page under
1 s, first render included; exports are reported only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_S = 1.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=str(ROOT / "var" / "bench_reports.sqlite3"),
                        help="SQLite file of the bench county (built when missing)")
    parser.add_argument("--url", default="", help="a database URL instead of --db "
                        "(e.g. a PostgreSQL database that already holds the demo county)")
    parser.add_argument("--runs", type=int, default=5)
    return parser.parse_args()


def setup(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = args.url or f"sqlite:///{Path(args.db).resolve()}"
    os.environ["SAFETYNET_ENV"] = "demo"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
    import django

    django.setup()


def ensure_county() -> None:
    from django.core.management import call_command

    from safetynet.payments.models import PaymentLine

    call_command("migrate", verbosity=0)
    if PaymentLine.objects.exists():
        return
    started = time.perf_counter()
    call_command("demo", "--if-missing")
    print(f"demo county built in {time.perf_counter() - started:.0f} s", flush=True)


def pages() -> list[tuple[str, str, bool]]:
    """(label, URL, counts for the target)."""
    from django.urls import reverse

    from safetynet.core.models import Area

    township = Area.objects.filter(level="township").order_by("code").first()
    assert township is not None
    year = "from=2022-01&to=2022-09"
    august = f"from=2022-08&to=2022-08&area={township.code}"
    out = [("leader dashboard (default)", reverse("reports:home"), True)]
    for name in ("leader", "assistance", "finance", "eldercare", "children", "discovery"):
        out.append((f"dashboard {name}, Jan–Sep", reverse("reports:dashboard", args=[name])
                    + f"?{year}", True))
    out += [
        ("dashboard leader, one township, Aug", reverse("reports:dashboard", args=["leader"])
         + f"?{august}", True),
        ("summary, county, Jan–Sep", reverse("reports:summary") + f"?{year}", True),
        ("summary, one township, Aug", reverse("reports:summary") + f"?{august}", True),
        ("records: rural dibao, township, Aug",
         reverse("reports:records", args=["dibao_rural"]) + f"?{august}", True),
        ("records: disability, county, Jan–Sep (page 2)",
         reverse("reports:records", args=["disability"]) + f"?{year}&page=2", True),
        ("export XLSX, county, Jan–Sep", reverse("reports:export", args=["xlsx"]) + f"?{year}",
         False),
        ("export PDF, county, Jan–Sep", reverse("reports:export", args=["pdf"]) + f"?{year}",
         False),
    ]
    return out


def measure(client: Any, url: str, runs: int) -> tuple[list[float], int, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the first render computes everything
    times = []
    queries = status = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, follow=True)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - started)
        queries, status = len(captured), response.status_code
    return times, queries, status


def main() -> int:
    args = parse_args()
    setup(args)
    ensure_county()
    from django.test import Client

    from safetynet.accounts.models import User
    from safetynet.payments.models import PaymentLine

    leader = User.objects.get(username="leader")
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(leader)
    print(f"paid payment lines: {PaymentLine.objects.filter(status='paid').count():,}; "
          f"{args.runs} renders per page")
    print(f"{'page':<46} {'first':>8} {'median':>8} {'worst':>8} {'queries':>8}  status")
    missed = []
    for label, url, target in pages():
        times, queries, status = measure(client, url, args.runs)
        median, worst = statistics.median(times), max(times)
        mark = "" if not target else (" ok" if worst < TARGET_S else " SLOW")
        print(f"{label:<46} {times[0]:>7.3f}s {median:>7.3f}s {worst:>7.3f}s {queries:>8}  "
              f"{status}{mark}", flush=True)
        if status != 200 or (target and worst >= TARGET_S):
            missed.append(label)
    if missed:
        print("missed the target: " + ", ".join(missed))
        return 1
    print(f"every page under {TARGET_S:.0f} s, first render included")
    return 0


if __name__ == "__main__":
    sys.exit(main())
