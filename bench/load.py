"""Month-end load on the production server (gunicorn with safetynet/core/gunicorn_conf.py).

    python bench/load.py --users 50 --seconds 60            # `make bench-load`
    python bench/load.py --users 20 --seconds 0 --soak-seconds 600

Builds the demo county (`safetynet demo --scale S`, demo mode: its logins and one-time codes)
in a fresh PostgreSQL database (default safetynet_bench), starts gunicorn and
`safetynet worker`, and runs locust (headless, in this process) against 127.0.0.1 only:
clerks search and open households, village workers open their village's households (the
household page writes one hash-chained audit event per view: the write this run counts),
one approver (OTP login) reads the payroll and rules pages, leaders open the dashboards.
During the load a payroll run and a registry rules run are started. At the end it counts
the audit events written against the household views that reported success (0 lost), and
prints p50/p95/p99 per page, errors and requests/s. --soak-seconds records the gunicorn
workers' RSS at the start and end of an extra period of load and prints the growth.
Everything it started is stopped and the database dropped (--keep-db to keep it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgresql://root@127.0.0.1:5432")
PASSWORD = "SafetyNet-2022"  # the demo logins' password (safetynet/demo/accounts.py)
HOUSEHOLD = re.compile(r"/registry/households/(\d+)/")
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
ok_household_views = 0
_lock = threading.Lock()


def psql(db: str, sql: str) -> str:
    return subprocess.run(["psql", f"{PG}/{db}", "-tAqc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def manage(env: dict[str, str], *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "safetynet.manage", *args], env=env,
                          cwd=ROOT, text=True, capture_output=True, **kw)


def login(user: HttpUser, username: str, env: dict[str, str] | None = None) -> None:
    user.client.get("/login/", name="login page")
    csrf = user.client.cookies.get("csrftoken", "")
    response = user.client.post("/login/", name="login", data={
        "csrfmiddlewaretoken": csrf, "username": username, "password": PASSWORD})
    if env is not None and "/account/otp/" in response.url:
        code = manage(env, "otp_code", username).stdout.strip()
        csrf = user.client.cookies.get("csrftoken", "")
        user.client.post(response.url, name="otp", data={
            "csrfmiddlewaretoken": csrf, "token": code})


def count_view(response: Any) -> None:
    global ok_household_views
    if response.status_code == 200:
        with _lock:
            ok_household_views += 1


class Clerk(HttpUser):
    weight = 5
    wait_time = between(1, 3)
    username = "clerk"
    ids: list[str] = []

    def on_start(self) -> None:
        login(self, self.username)

    @task(2)
    def search(self) -> None:
        csrf = self.client.cookies.get("csrftoken", "")
        response = self.client.post("/registry/", name="search", data={
            "csrfmiddlewaretoken": csrf, "q": SURNAMES[int(time.time()) % len(SURNAMES)]})
        self.ids = HOUSEHOLD.findall(response.text) or self.ids

    @task(3)
    def household(self) -> None:
        if not self.ids:
            self.search()
        if self.ids:
            pk = self.ids[int(time.time() * 1000) % len(self.ids)]
            count_view(self.client.get(f"/registry/households/{pk}/", name="household"))


class VillageWorker(Clerk):
    weight = 3
    username = "village"


class Approver(HttpUser):
    fixed_count = 1
    wait_time = between(2, 4)
    env: dict[str, str] = {}

    def on_start(self) -> None:
        login(self, "approver", self.env)

    @task
    def payroll(self) -> None:
        self.client.get("/payments/", name="payments home")

    @task
    def rules(self) -> None:
        self.client.get("/rules/runs/", name="rules runs")


class Leader(HttpUser):
    weight = 1
    wait_time = between(3, 6)

    def on_start(self) -> None:
        login(self, "leader")

    @task
    def dashboard(self) -> None:
        self.client.get("/reports/", name="dashboard")


def worker_rss(master: int) -> dict[int, int]:
    """RSS in kB of the gunicorn master's children (its workers)."""
    out = {}
    for line in subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master)],
                               capture_output=True, text=True).stdout.splitlines():
        pid, rss = line.split()
        out[int(pid)] = int(rss)
    return out


def pct(entry: Any, p: float) -> float:
    return float(entry.get_response_time_percentile(p) or 0)


def report(env: Environment, seconds: float) -> int:
    stats = env.stats
    print(f"\n{'page':<16}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(f"{entry.name:<16}{entry.num_requests:>9}{entry.num_failures:>8}"
              f"{pct(entry, 0.5):>8.0f}{pct(entry, 0.95):>8.0f}{pct(entry, 0.99):>8.0f}")
    total = stats.total
    print(f"{'all':<16}{total.num_requests:>9}{total.num_failures:>8}{pct(total, 0.5):>8.0f}"
          f"{pct(total, 0.95):>8.0f}{pct(total, 0.99):>8.0f}")
    print(f"requests/s: {total.num_requests / seconds:.1f}; errors: {total.num_failures}")
    for (method, name), error in stats.errors.items():
        print(f"  error {method} {name}: {error.error} x{error.occurrences}")
    return int(total.num_failures)


def run_load(args: argparse.Namespace, env_vars: dict[str, str], base: str,
             seconds: float) -> tuple[Environment, float]:
    Approver.env = env_vars
    env = Environment(user_classes=[Clerk, VillageWorker, Approver, Leader], host=base,
                      events=events)
    runner = env.create_local_runner()
    runner.start(args.users, spawn_rate=args.spawn_rate)
    started = time.perf_counter()
    gevent.sleep(seconds)
    runner.quit()
    return env, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--soak-seconds", type=float, default=0)
    parser.add_argument("--scale", type=float, default=0.1, help="demo county scale")
    parser.add_argument("--db", default="safetynet_bench")
    parser.add_argument("--port", type=int, default=18500)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    var = tempfile.mkdtemp(prefix="safetynet-bench-")
    env_vars = {**os.environ, "PYTHONPATH": str(ROOT), "SAFETYNET_ENV": "demo",
                "DATABASE_URL": f"{PG}/{args.db}", "SAFETYNET_VAR_DIR": var,
                "SAFETYNET_BIND": f"127.0.0.1:{args.port}", "SAFETYNET_WEB_WORKERS": "2",
                "SAFETYNET_WEB_THREADS": "4", "SAFETYNET_LOG_JSON": "1"}
    psql("postgres", f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {args.db}")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        t0 = time.perf_counter()
        for step in (("migrate", "--noinput", "-v0"), ("compile_catalogues",),
                     ("demo", "--scale", str(args.scale))):
            done = manage(env_vars, *step)
            if done.returncode:
                print(done.stdout, done.stderr)
                return 1
        print(f"demo county (scale {args.scale}) in {time.perf_counter() - t0:.0f} s; "
              f"{psql(args.db, 'SELECT count(*) FROM registry_household')} households")
        log = open(Path(var) / "server.log", "wb")  # noqa: SIM115 (closed with the process)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:safetynet.core.gunicorn_conf",
             "safetynet.wsgi"], env=env_vars, cwd=ROOT, stdout=log, stderr=log))
        procs.append(subprocess.Popen([sys.executable, "-m", "safetynet.manage", "worker"],
                                      env=env_vars, cwd=ROOT, stdout=log, stderr=log))
        base = f"http://127.0.0.1:{args.port}"
        import urllib.request
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/readyz", timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(1)
        views_sql = "SELECT count(*) FROM core_auditevent WHERE action = 'view_household'"
        before = int(psql(args.db, views_sql))
        period = datetime.date.today().strftime("%Y-%m")
        jobs: dict[str, Any] = {}

        def background(name: str, *cmd: str) -> None:
            started = time.perf_counter()
            done = manage(env_vars, *cmd)
            jobs[name] = (done.returncode, time.perf_counter() - started,
                          (done.stdout + done.stderr).strip().splitlines()[-1:])

        threads = [threading.Thread(target=background, args=(
                       "payroll run", "payroll", "run", "dibao", period, "--user", "finance")),
                   threading.Thread(target=background, args=(
                       "rules run", "rules", "run", "--on", datetime.date.today().isoformat()))]
        gevent.spawn_later(min(10, args.seconds / 3), lambda: [t.start() for t in threads])
        env, took = run_load(args, env_vars, base, args.seconds)
        for thread in threads:
            if thread.is_alive() or thread.ident:
                thread.join()
        print(f"\n{args.users} users for {took:.0f} s against gunicorn on PostgreSQL")
        errors = report(env, took)
        for name, (status, seconds, tail) in jobs.items():
            print(f"{name} during the load: exit {status} in {seconds:.1f} s {tail}")
        written = int(psql(args.db, views_sql)) - before
        lost = ok_household_views - written
        print(f"household views that reported success: {ok_household_views}; audit events "
              f"written: {written}; lost: {max(lost, 0)}")
        if args.soak_seconds:
            rss_start = worker_rss(procs[0].pid)
            soak, soak_took = run_load(args, env_vars, base, args.soak_seconds)
            rss_end = worker_rss(procs[0].pid)
            print(f"\nsoak {soak_took:.0f} s:")
            errors += report(soak, soak_took)
            start_kb, end_kb = sum(rss_start.values()), sum(rss_end.values())
            print(f"gunicorn workers' RSS: start {start_kb / 1024:.0f} MB {rss_start}, end "
                  f"{end_kb / 1024:.0f} MB {rss_end}; growth "
                  f"{100 * (end_kb - start_kb) / max(start_kb, 1):.1f}% (a worker replaced "
                  "by max_requests shows as a new pid)")
        failed = any(status for status, *_ in jobs.values())
        return 1 if errors or lost > 0 or failed else 0
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not args.keep_db:
            psql("postgres", f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
