"""Month-end load on the production server (gunicorn with safetynet/core/gunicorn_conf.py).

    python bench/load.py --users 200 --ramp 60 --seconds 120        # `make bench-load`
    python bench/load.py --users 50 --ramp 20 --seconds 60 --soak-seconds 1800 \\
        --max-requests 0                                           # `make bench-soak`

Builds the demo county (`safetynet demo --scale S`, demo mode: its logins and one-time
codes) in a fresh PostgreSQL database (default safetynet_load), adds work for the
approvers (bench/load_seed.py: one approver account per approver session, applications
waiting at the county), starts gunicorn and `safetynet worker`, and runs locust
(headless, in this process) against 127.0.0.1 only.

Staff log in once, the way they come to work: the users start over --ramp seconds and
each logs in (password; approvers also their one-time code) before its first page. The
ramp-up (until every user has logged in) is reported on its own, logins included; then the
statistics are reset and the
steady state runs for --seconds, with a payroll run and a registry rules run started ten
seconds in. Users think between pages (seconds, times --think):

* clerks (weight 5; 5-20 s): POST a surname search, open households of the results;
* village workers (weight 3; 10-30 s): search and open households of their village, and
  record screening-campaign visits (the campaign visit list of their village, a visit, the
  result form: discovery.services.record_visit);
* child directors (weight 1; 10-30 s): the due-visit list, a child, the visit form
  (children.services.visits.record_visit);
* approvers (fixed count, --approvers; 10-30 s): their queue, an application at the
  county, the approval form, approve (each application approved by one session only);
  the payroll and rules-run pages;
* leaders (weight 1; 10-40 s): the statistics dashboard.

Writes counted before and after (lost = reported success without the row):
household views (one hash-chained audit event each), campaign visits recorded (audit
events), children visits (rows) and approvals (applications approved).

--soak-seconds N keeps the same sessions working for N more seconds and samples the RSS
of the gunicorn master and workers and of the worker process every minute (start and end
printed with the growth); --max-requests 0 turns gunicorn's worker recycling off, so a
leak is not hidden by replaced workers. Each phase prints p50/p95/p99 per page (client
side, and the server's own duration from its request log), errors, requests/s, the
1-minute load average (min/mean/max) and the CPU seconds used by the web workers, the
worker, the PostgreSQL backends, locust itself and the background commands.
Everything it started is stopped and the database dropped (--keep-db to keep it).
"""

from __future__ import annotations

import argparse
import collections
import datetime
import hashlib
import hmac
import json
import os
import random
import re
import resource
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gevent
import greenlet
from locust import HttpUser, events, task
from locust.env import Environment

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgresql://root@127.0.0.1:5432")
PASSWORD = "SafetyNet-2022"  # the demo logins' password (safetynet/demo/accounts.py)
HOUSEHOLD = re.compile(r"/registry/households/(\d+)/")
CAMPAIGN_VISIT = re.compile(r"/discovery/visits/(\d+)/")
CHILD_VISIT = re.compile(r"/children/(\d+)/visit/")
CHILD = re.compile(r"/children/(\d+)/\"")
VISIT_DATE = re.compile(r'name="visited_on"[^>]*value="([\d-]+)"')
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
CLK_TCK = os.sysconf("SC_CLK_TCK")
THINK = [1.0]  # the --think factor
ok = collections.Counter()  # writes that reported success, by kind (and "logged in")
_lock = threading.Lock()


class Shared:
    """What the main process hands the simulated users."""
    env: dict[str, str] = {}
    approvers: list[tuple[str, str]] = []  # (username, TOTP key hex), one per session
    applications: list[int] = []  # at the county, each approved by one session
    campaign = 0
    village = ""


def think(low: float, high: float) -> Callable[[Any], float]:
    return lambda _user: random.uniform(low, high) * THINK[0]


def psql(db: str, sql: str) -> str:
    return subprocess.run(["psql", f"{PG}/{db}", "-tAqc", sql], check=True,
                          capture_output=True, text=True).stdout.strip()


def manage(env: dict[str, str], *args: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "safetynet.manage", *args], env=env,
                          cwd=ROOT, text=True, capture_output=True, **kw)


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 (django-otp's defaults: SHA-1, 30 s, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000:06d}"


def csrf(user: HttpUser) -> str:
    return str(user.client.cookies.get("csrftoken", ""))


def login(user: HttpUser, username: str, totp_key: str = "") -> None:
    # As nginx talks to gunicorn (HTTP/1.0, no upstream keepalive, deploy/nginx): one
    # connection per request, and no race with gunicorn closing an idle keep-alive one.
    user.client.headers["Connection"] = "close"
    user.client.get("/login/", name="login page")
    response = user.client.post("/login/", name="login", data={
        "csrfmiddlewaretoken": csrf(user), "username": username, "password": PASSWORD})
    if totp_key and "/account/otp/" in response.url:
        user.client.post(response.url, name="otp", data={
            "csrfmiddlewaretoken": csrf(user), "token": totp(totp_key)})
    with _lock:
        ok["logged in"] += 1


def count(kind: str, response: Any, status: int = 200) -> None:
    if response.status_code == status:
        with _lock:
            ok[kind] += 1


def post_write(user: HttpUser, kind: str, url: str, name: str, data: dict[str, Any]) -> None:
    """POST a form whose success answers 302 (redirect after post), then follow it."""
    with user.client.post(url, name=name, allow_redirects=False, catch_response=True,
                          data={"csrfmiddlewaretoken": csrf(user), **data}) as response:
        if response.status_code == 302:
            response.success()
            count(kind, response, 302)
            location = response.headers.get("Location", "")
            if location.startswith("/"):
                user.client.get(location, name=f"{name}: next page")
        else:
            response.failure(f"{name} answered {response.status_code}, not a redirect "
                             "(the form was refused)")


class Clerk(HttpUser):
    weight = 5
    wait_time = think(5, 20)
    username = "clerk"
    ids: list[str] = []

    def on_start(self) -> None:
        login(self, self.username)

    @task(2)
    def search(self) -> None:
        response = self.client.post("/registry/", name="search", data={
            "csrfmiddlewaretoken": csrf(self), "q": random.choice(SURNAMES)})
        self.ids = HOUSEHOLD.findall(response.text) or self.ids

    @task(3)
    def household(self) -> None:
        if not self.ids:
            self.search()
        if self.ids:
            pk = random.choice(self.ids)
            count("household views", self.client.get(f"/registry/households/{pk}/",
                                                     name="household"))


class VillageWorker(Clerk):
    weight = 3
    wait_time = think(10, 30)
    username = "village"
    visits: list[str] = []

    @task(3)
    def record_campaign_visit(self) -> None:
        if not self.visits:
            base = f"/discovery/campaigns/{Shared.campaign}/visits/?village={Shared.village}"
            response = self.client.get(f"{base}&status=pending", name="campaign visit list")
            self.visits = CAMPAIGN_VISIT.findall(response.text) or CAMPAIGN_VISIT.findall(
                self.client.get(base, name="campaign visit list").text)
        if not self.visits:
            return
        pk = self.visits.pop(random.randrange(len(self.visits)))
        self.client.get(f"/discovery/visits/{pk}/", name="campaign visit")
        post_write(self, "campaign visits recorded", f"/discovery/visits/{pk}/",
                   "record campaign visit", {
                       "status": "found", "situation": "家庭生活基本稳定，老人身体尚可",
                       "needs": ""})


class ChildDirector(HttpUser):
    weight = 1
    wait_time = think(10, 30)

    def on_start(self) -> None:
        login(self, "childdir")

    @task
    def record_child_visit(self) -> None:
        due = self.client.get("/children/visits/", name="children due visits")
        ids = CHILD_VISIT.findall(due.text) or CHILD.findall(
            self.client.get("/children/list/", name="children list").text)
        if not ids:
            return
        pk = random.choice(ids)
        self.client.get(f"/children/{pk}/", name="child")
        form = self.client.get(f"/children/{pk}/visit/", name="child visit form")
        on = VISIT_DATE.search(form.text)
        post_write(self, "children visits recorded", f"/children/{pk}/visit/",
                   "record child visit", {
                       "visited_on": on.group(1) if on else datetime.date.today().isoformat(),
                       "present": "祖母", "findings": "孩子在校表现良好，生活照料到位",
                       "needs": "", "follow_up": "", "open": "", "department": ""})


class Approver(HttpUser):
    fixed_count = 1
    wait_time = think(10, 30)

    def on_start(self) -> None:
        with _lock:
            username, key = Shared.approvers.pop(0)
        login(self, username, key)

    @task(3)
    def approve(self) -> None:
        with _lock:
            pk = Shared.applications.pop(0) if Shared.applications else None
        if pk is None:
            self.queue()
            return
        self.client.get(f"/intake/{pk}/", name="application")
        self.client.get(f"/intake/{pk}/act/approve/", name="approval form")
        post_write(self, "approvals", f"/intake/{pk}/act/approve/", "approve",
                   {"reason": "经审核，家庭人均收入低于当地低保标准，同意纳入低保"})

    @task
    def queue(self) -> None:
        self.client.get("/intake/", name="approver queue")

    @task
    def payroll(self) -> None:
        self.client.get("/payments/", name="payments home")

    @task
    def rules(self) -> None:
        self.client.get("/rules/runs/", name="rules runs")


class Leader(HttpUser):
    weight = 1
    wait_time = think(10, 40)

    def on_start(self) -> None:
        login(self, "leader")

    @task
    def dashboard(self) -> None:
        self.client.get("/reports/", name="dashboard")


# --- measuring the machine ------------------------------------------------------------------

def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                         text=True).stdout.split()
    return [int(p) for p in out]


def tree(pid: int) -> list[int]:
    pids = [pid]
    for child in children(pid):
        pids += tree(child)
    return pids


def rss_kb(pids: list[int]) -> dict[int, int]:
    out = {}
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[pid] = int(line.split()[1])
        except OSError:
            continue
    return out


def cpu(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
        except (OSError, IndexError, ValueError):
            continue
    return out


class Meter:
    """CPU seconds by process group and the load average over one phase."""

    def __init__(self, groups: dict[str, Callable[[], list[int]]]) -> None:
        self.groups, self.loads = groups, []
        self.start = {name: cpu(pids()) for name, pids in groups.items()}
        self.self_start, self.children_start = os.times(), resource.getrusage(
            resource.RUSAGE_CHILDREN)
        self.started = time.perf_counter()
        self.sampler = gevent.spawn(self._sample)

    def _sample(self) -> None:
        while True:
            self.loads.append(os.getloadavg()[0])
            gevent.sleep(5)

    def stop(self) -> str:
        self.sampler.kill()
        wall = time.perf_counter() - self.started
        used = {}
        for name, pids in self.groups.items():
            end = cpu(pids())
            used[name] = sum(v - self.start[name].get(p, 0.0) for p, v in end.items())
        mine = os.times()
        used["locust (this process)"] = (mine.user + mine.system - self.self_start.user
                                         - self.self_start.system)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        used["payroll/rules commands"] = (kids.ru_utime + kids.ru_stime
                                          - self.children_start.ru_utime
                                          - self.children_start.ru_stime)
        loads = self.loads or [os.getloadavg()[0]]
        return (f"load average (1 min, 2 cores, shared): min {min(loads):.1f}, mean "
                f"{sum(loads) / len(loads):.1f}, max {max(loads):.1f}\n"
                f"CPU seconds in {wall:.0f} s (the machine has {os.cpu_count()} cores: "
                f"{wall * (os.cpu_count() or 1):.0f} CPU s): "
                + ", ".join(f"{name} {seconds:.0f}" for name, seconds in used.items()))


# --- reports --------------------------------------------------------------------------------

def pct(entry: Any, p: float) -> float:
    return float(entry.get_response_time_percentile(p) or 0)


def server_times(log: Path, start: int, end: int) -> dict[str, list[float]]:
    """The server's own request durations (its JSON request log) between two offsets."""
    by: dict[str, list[float]] = collections.defaultdict(list)
    with open(log, "rb") as handle:
        handle.seek(start)
        for line in handle.read(end - start).splitlines():
            if not line.startswith(b"{"):
                continue
            record = json.loads(line)
            if "duration_ms" in record and "path" in record:
                path = re.sub(r"/\d+/", "/N/", record["path"])
                by[f"{record['method']} {path}"].append(float(record["duration_ms"]))
    return by


def report(title: str, env: Environment, seconds: float, meter: str, log: Path,
           offsets: tuple[int, int]) -> int:
    stats = env.stats
    print(f"\n== {title} ==")
    print(f"{'page (client side)':<32}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(f"{entry.name:<32}{entry.num_requests:>9}{entry.num_failures:>8}"
              f"{pct(entry, 0.5):>8.0f}{pct(entry, 0.95):>8.0f}{pct(entry, 0.99):>8.0f}")
    total = stats.total
    print(f"{'all':<32}{total.num_requests:>9}{total.num_failures:>8}{pct(total, 0.5):>8.0f}"
          f"{pct(total, 0.95):>8.0f}{pct(total, 0.99):>8.0f}")
    print(f"requests/s: {total.num_requests / seconds:.1f}; errors: {total.num_failures}")
    for error in stats.errors.values():
        print(f"  error {error.method} {error.name}: {error.error} x{error.occurrences}")
    served = server_times(log, *offsets)
    if served:
        print(f"{'server side (request log)':<40}{'n':>6}{'p50 ms':>8}{'p95 ms':>8}"
              f"{'p99 ms':>8}")
        every = sorted(ms for values in served.values() for ms in values)
        for name, values in sorted(served.items(), key=lambda kv: -len(kv[1])) + [
                ("all", every)]:
            values.sort()
            n = len(values)
            print(f"{name[:40]:<40}{n:>6}{values[n // 2]:>8.0f}"
                  f"{values[min(n - 1, int(n * 0.95))]:>8.0f}"
                  f"{values[min(n - 1, int(n * 0.99))]:>8.0f}")
    print(meter)
    return int(total.num_failures)


WRITES = {  # kind -> SQL counting the rows its successes must have written
    "household views": "SELECT count(*) FROM core_auditevent WHERE action = 'view_household'",
    "campaign visits recorded": "SELECT count(*) FROM core_auditevent "
                                "WHERE action = 'discovery.visit.record'",
    "children visits recorded": "SELECT count(*) FROM children_visit",
    "approvals": "SELECT count(*) FROM intake_application WHERE state = 'approved'",
}


def check_writes(db: str, before: dict[str, int]) -> int:
    lost_total = 0
    print(f"{'write':<28}{'reported ok':>12}{'rows written':>14}{'lost':>6}")
    for kind, sql in WRITES.items():
        # The successes first: each was committed before its answer, so the rows counted
        # after them include them all (and maybe a few still in flight: more, not lost).
        reported = ok[kind]
        written = int(psql(db, sql)) - before[kind]
        lost = max(reported - written, 0)
        lost_total += lost
        print(f"{kind:<28}{reported:>12}{written:>14}{lost:>6}")
    return lost_total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--ramp", type=float, default=60,
                        help="seconds over which the users start and log in")
    parser.add_argument("--seconds", type=float, default=120, help="steady-state window")
    parser.add_argument("--soak-seconds", type=float, default=0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="factor on the think times between pages")
    parser.add_argument("--approvers", type=int, default=0,
                        help="approver sessions (default: one per 40 users, at least 1)")
    parser.add_argument("--applications", type=int, default=0,
                        help="applications waiting at the county (default 20 per approver)")
    parser.add_argument("--scale", type=float, default=0.1, help="demo county scale")
    parser.add_argument("--db", default="safetynet_load")
    parser.add_argument("--port", type=int, default=18500)
    parser.add_argument("--web-workers", default="2")
    parser.add_argument("--web-threads", default="4")
    parser.add_argument("--max-requests", default="",
                        help="gunicorn max_requests (default: gunicorn_conf's; 0 = never "
                             "recycle, for the soak)")
    parser.add_argument("--slow-query-ms", default="",
                        help="log statements slower than this (SAFETYNET_SLOW_QUERY_MS)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    THINK[0] = args.think
    # kill PID (SIGTERM) or Ctrl-C stops the run with the cleanup below (a job started in
    # the background ignores SIGINT).
    main_greenlet = greenlet.getcurrent()
    gevent.signal_handler(signal.SIGTERM, lambda: main_greenlet.throw(SystemExit(143)))
    n_approvers = args.approvers or max(1, args.users // 40)

    var = tempfile.mkdtemp(prefix="safetynet-load-")
    env_vars = {**os.environ, "PYTHONPATH": str(ROOT), "SAFETYNET_ENV": "demo",
                "DATABASE_URL": f"{PG}/{args.db}", "SAFETYNET_VAR_DIR": var,
                "SAFETYNET_BIND": f"127.0.0.1:{args.port}",
                "SAFETYNET_WEB_WORKERS": args.web_workers,
                "SAFETYNET_WEB_THREADS": args.web_threads, "SAFETYNET_LOG_JSON": "1"}
    if args.max_requests:
        env_vars["SAFETYNET_WEB_MAX_REQUESTS"] = args.max_requests
    if args.slow_query_ms:
        env_vars["SAFETYNET_SLOW_QUERY_MS"] = args.slow_query_ms
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
        seeded = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "load_seed.py"), "--approvers",
             str(n_approvers), "--applications",
             str(args.applications or 20 * n_approvers)],
            env=env_vars, cwd=ROOT, text=True, capture_output=True)
        if seeded.returncode:
            print(seeded.stdout, seeded.stderr)
            return 1
        work = json.loads(seeded.stdout.strip().splitlines()[-1])
        Shared.env, Shared.applications = env_vars, list(work["applications"])
        Shared.approvers = list(work["approvers"].items())
        Shared.campaign = int(psql(args.db, "SELECT min(id) FROM discovery_campaign"))
        Shared.village = psql(args.db, "SELECT a.area_id FROM accounts_user_areas a JOIN "
                                       "accounts_user u ON u.id = a.user_id "
                                       "WHERE u.username = 'village'")
        print(f"demo county (scale {args.scale}) in {time.perf_counter() - t0:.0f} s; "
              f"{psql(args.db, 'SELECT count(*) FROM registry_household')} households; "
              f"{len(Shared.applications)} applications at the county for "
              f"{n_approvers} approvers")
        log_path = Path(var) / "server.log"
        log = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:safetynet.core.gunicorn_conf",
             "safetynet.wsgi"], env=env_vars, cwd=ROOT, stdout=log, stderr=log))
        procs.append(subprocess.Popen([sys.executable, "-m", "safetynet.manage", "worker"],
                                      env=env_vars, cwd=ROOT, stdout=log, stderr=log))
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{base}/readyz", timeout=5).status == 200:
                    break
            except OSError:
                time.sleep(1)
        before = {kind: int(psql(args.db, sql)) for kind, sql in WRITES.items()}
        web, worker = procs[0].pid, procs[1].pid

        def db_backends() -> list[int]:
            return [int(p) for p in psql("postgres", "SELECT pid FROM pg_stat_activity "
                                         f"WHERE datname = '{args.db}'").split()]

        groups = {"web (gunicorn)": lambda: tree(web), "worker": lambda: tree(worker),
                  "PostgreSQL backends": db_backends}

        Approver.fixed_count = n_approvers
        env = Environment(user_classes=[Clerk, VillageWorker, ChildDirector, Approver, Leader],
                          host=base, events=events)
        runner = env.create_local_runner()
        offset = log_path.stat().st_size
        meter = Meter(groups)
        started = time.perf_counter()
        runner.start(args.users, spawn_rate=args.users / max(args.ramp, 0.1))
        gevent.sleep(args.ramp)
        while ok["logged in"] < args.users and time.perf_counter() - started < 10 * args.ramp:
            gevent.sleep(1)  # the last logins
        ramp_took, end = time.perf_counter() - started, log_path.stat().st_size
        errors = report(f"ramp-up: {runner.user_count} users started, {ok['logged in']} "
                        f"logged in, over {ramp_took:.0f} s", env, ramp_took, meter.stop(),
                        log_path, (offset, end))
        env.stats.reset_all()

        period = datetime.date.today().strftime("%Y-%m")
        jobs: dict[str, Any] = {}

        def background(name: str, *cmd: str) -> None:
            began = time.perf_counter()
            done = manage(env_vars, *cmd)
            lines = [line for line in (done.stdout + done.stderr).strip().splitlines()
                     if not line.startswith("{")]
            jobs[name] = (done.returncode, time.perf_counter() - began, lines[-1:])

        threads = [threading.Thread(target=background, args=(
                       "payroll run", "payroll", "run", "dibao", period, "--user", "finance")),
                   threading.Thread(target=background, args=(
                       "rules run", "rules", "run", "--on", datetime.date.today().isoformat()))]
        offset, meter, started = end, Meter(groups), time.perf_counter()
        gevent.spawn_later(min(10, args.seconds / 3), lambda: [t.start() for t in threads])
        gevent.sleep(args.seconds)
        for thread in threads:
            while thread.is_alive() or not thread.ident:
                gevent.sleep(1)
        took, end = time.perf_counter() - started, log_path.stat().st_size
        print(f"\n{runner.user_count} users ({n_approvers} approvers), think time x"
              f"{args.think}, against gunicorn ({args.web_workers} workers x "
              f"{args.web_threads} threads) on PostgreSQL")
        errors += report(f"steady state: {took:.0f} s", env, took, meter.stop(), log_path,
                         (offset, end))
        for name, (status, seconds, tail) in jobs.items():
            print(f"{name} during the load: exit {status} in {seconds:.1f} s {tail}")
        lost = check_writes(args.db, before)
        if args.soak_seconds:
            env.stats.reset_all()
            offset, meter, started = end, Meter(groups), time.perf_counter()
            samples = []
            while True:
                elapsed = time.perf_counter() - started
                samples.append((elapsed, rss_kb(tree(web)), rss_kb(tree(worker)),
                                os.getloadavg()[0]))
                if elapsed >= args.soak_seconds:
                    break
                gevent.sleep(min(60, args.soak_seconds - elapsed))
            took, end = time.perf_counter() - started, log_path.stat().st_size
            errors += report(f"soak: {took:.0f} s, the same sessions", env, took, meter.stop(),
                             log_path, (offset, end))
            print(f"{'s':>6}{'web MB':>8}{'worker MB':>10}{'load':>6}  web pids")
            for elapsed, web_rss, worker_rss, load in samples:
                print(f"{elapsed:>6.0f}{sum(web_rss.values()) / 1024:>8.0f}"
                      f"{sum(worker_rss.values()) / 1024:>10.0f}{load:>6.1f}  "
                      f"{sorted(web_rss)}")
            for name, first, last in (("web (master + workers)", samples[0][1], samples[-1][1]),
                                      ("worker", samples[0][2], samples[-1][2])):
                a, b = sum(first.values()), sum(last.values())
                print(f"RSS {name}: start {a / 1024:.0f} MB, end {b / 1024:.0f} MB, growth "
                      f"{100 * (b - a) / max(a, 1):+.1f}%"
                      + ("" if sorted(first) == sorted(last) else
                         " (pids changed: a recycled worker)"))
            lost = check_writes(args.db, before)
        runner.quit()
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
