"""Fault tests of the production setup: kill -9 the worker and a web worker, restart PostgreSQL.

    python bench/faults.py [--scale 0.03] [--clients 4]          # `make bench-faults`

Runs as root on a throwaway PostgreSQL 15 cluster of its own (initdb in a temporary folder,
run as the `postgres` user on port 55432 with its socket in that folder), so the shared
server on 5432 is never touched; the cluster is removed at the end. It builds a small demo
county there (`safetynet demo --scale S`), starts gunicorn (safetynet/core/gunicorn_conf.py)
and `safetynet worker`, then:

a. kill -9 the worker mid-job: a registry rules run is queued, the worker killed while the
   task is running, the worker started again: the run must be re-queued and finish, with as
   many stored amounts as it reports. Then a payroll preparation, killed the same way, with
   the worker restarted under SAFETYNET_TASK_MAX_ATTEMPTS=1: the run must show the
   translated reason with 0 lines written; opening the payroll again must prepare it in full
   (lines = control totals).
b. kill -9 one gunicorn worker while clients open household pages (each writes one audit
   event) and POST searches: gunicorn must start a new worker, later requests succeed, every
   household view answered 200 has its audit event and the audit chain verifies (an in-flight
   write is whole or absent).
c. restart the cluster (stopped for --outage seconds) under the same load: errors only in
   the outage window, then 200s again without restarting the app; /healthz back to 200.

It prints requests ok/failed per phase, recovery times in seconds and the jobs' final states;
exit status 1 if any check fails.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
PASSWORD = "SafetyNet-2022"  # the demo logins' password (safetynet/demo/accounts.py)
HOUSEHOLD = re.compile(r"/registry/households/(\d+)/")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
failures: list[str] = []


def check(ok: bool, what: str) -> None:
    print(f"  [{'ok' if ok else 'FAIL'}] {what}")
    if not ok:
        failures.append(what)


# --- the throwaway cluster --------------------------------------------------------------------

class Cluster:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "pgdata"

    def _pg(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                       capture_output=True, text=True)

    def init(self) -> None:
        shutil.chown(self.folder, "postgres")
        self._pg(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.start()

    def start(self) -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                 str(self.folder / "postgres.log"), "-w", "-o",
                 f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                 "-c fsync=off -c max_connections=100", "start")

    def stop(self) -> None:
        self._pg(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, db: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"


# --- the app ------------------------------------------------------------------------------------

def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "safetynet.manage", *args], env=env,
                          cwd=ROOT, text=True, capture_output=True)


def shell(env: dict[str, str], code: str) -> str:
    done = manage(env, "shell", "-c", code)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


class App:
    def __init__(self, env: dict[str, str], var: Path) -> None:
        self.env, self.var = env, var
        self.log = open(var / "server.log", "ab")  # noqa: SIM115 (closed in stop)
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    def start_web(self) -> None:
        self.web = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:safetynet.core.gunicorn_conf",
             "safetynet.wsgi"], env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log)

    def start_worker(self, **extra: str) -> None:
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "safetynet.manage", "worker", "--no-reload",
             "--no-startup-delay", "--interval", "0.2"],
            env={**self.env, **extra}, cwd=ROOT, stdout=self.log, stderr=self.log)

    def kill_worker(self) -> None:
        assert self.worker is not None
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def stop_worker(self) -> None:
        if self.worker is not None and self.worker.poll() is None:
            self.worker.terminate()
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.worker.kill()

    def web_workers(self) -> list[int]:
        assert self.web is not None
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.web.pid)],
                             capture_output=True, text=True).stdout
        return sorted(int(p) for p in out.split())

    def stop(self) -> None:
        self.stop_worker()
        if self.web is not None and self.web.poll() is None:
            self.web.terminate()
            try:
                self.web.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.web.kill()
        self.log.close()


def wait_until(test: Callable[[], bool], timeout: float, every: float = 0.05) -> float | None:
    """Seconds until ``test()`` held, or None after ``timeout``."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            if test():
                return time.perf_counter() - started
        except (psycopg.Error, OSError):
            pass
        time.sleep(every)
    return None


def status_of(base: str, path: str) -> int:
    try:
        with urllib.request.urlopen(base + path, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except OSError:
        return 0


# --- HTTP clients ----------------------------------------------------------------------------

class Client:
    """One logged-in clerk: a cookie jar, CSRF from the forms, urllib (no extra package)."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.ids: list[str] = []
        page = self.request("GET", "/login/")[1]
        self.request("POST", "/login/", {"username": username, "password": PASSWORD,
                                         "csrfmiddlewaretoken": self.token(page)})

    def token(self, page: str) -> str:
        found = CSRF.search(page)
        if found:
            return found.group(1)
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def request(self, method: str, path: str, data: dict[str, str] | None = None,
                ) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=30) as response:
                return int(response.status), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return int(exc.code), ""
        except OSError:
            return 0, ""


class Load:
    """A few clients in threads: search (POST), household pages (GET, one audit event each);
    every answer is recorded with its time so the phases can be told apart."""

    def __init__(self, base: str, clients: int) -> None:
        self.base, self.count = base, clients
        self.records: list[tuple[float, str, int]] = []
        self.ok_views = 0
        self.stopped = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(clients)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopped.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def note(self, kind: str, status: int) -> None:
        with self.lock:
            self.records.append((time.time(), kind, status))
            if kind == "household" and status == 200:
                self.ok_views += 1

    def run(self) -> None:
        client: Client | None = None
        turn = 0
        while not self.stopped.is_set():
            if client is None:
                try:
                    client = Client(self.base, "clerk")
                except Exception:
                    self.note("login", 0)
                    time.sleep(0.5)
                    continue
            turn += 1
            if turn % 4 == 1 or not client.ids:
                status, page = client.request("GET", "/registry/")
                if status == 200:
                    status, page = client.request("POST", "/registry/", {
                        "q": "王", "csrfmiddlewaretoken": client.token(page)})
                    client.ids = HOUSEHOLD.findall(page) or client.ids
                self.note("search", status)
            else:
                pk = client.ids[turn % len(client.ids)]
                self.note("household", client.request("GET", f"/registry/households/{pk}/")[0])
            if status_of(self.base, "/healthz") not in (200, 503):
                self.note("healthz", 0)
            time.sleep(0.05)

    def phase(self, start: float, end: float) -> tuple[int, int]:
        inside = [s for t, k, s in self.records if start <= t < end and k != "healthz"]
        ok = sum(1 for s in inside if s == 200)
        return ok, len(inside) - ok


# --- the scenarios -----------------------------------------------------------------------------

def running_task(db: psycopg.Connection[Any], path: str) -> bool:
    row = db.execute("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s "
                     "ORDER BY enqueued_at DESC LIMIT 1", [path]).fetchone()
    return bool(row and row[0] == "RUNNING")


def task_states(db: psycopg.Connection[Any], path: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = %s "
        "ORDER BY enqueued_at", [path]).fetchall()]


def kill_worker_mid_job(app: App, url: str) -> None:
    print("\na. kill -9 the worker mid-job")
    db = psycopg.connect(url, autocommit=True)
    today = datetime.date.today().isoformat()
    # rules run: queued as the web does (jobs.start_run) while no worker runs (so the job
    # cannot finish before the kill), picked up by a new worker, killed mid-run, resumed
    app.stop_worker()
    run_id = int(shell(app.env, (
        "import datetime; from safetynet.accounts.models import User; "
        "from safetynet.rules import jobs; "
        f"print(jobs.start_run(User.objects.get(username='approver'), "
        f"datetime.date.fromisoformat('{today}')).pk)")))
    path = "safetynet.rules.tasks.run_evaluation"
    app.start_worker()
    seen = wait_until(lambda: running_task(db, path), 120, 0.01)
    time.sleep(0.5)  # inside the export/evaluation of the run (about 4 s at scale 0.03)
    status = db.execute("SELECT status FROM rules_evaluationrun WHERE id = %s",
                        [run_id]).fetchone()
    app.kill_worker()
    killed_at = time.perf_counter()
    after = db.execute("SELECT r.status, (SELECT count(*) FROM rules_evaluationresult e "
                       "WHERE e.run_id = r.id) FROM rules_evaluationrun r WHERE r.id = %s",
                       [run_id]).fetchone()
    print(f"  rules run {run_id}: task running {seen and round(seen, 2)} s after the worker "
          f"started; killed 0.5 s later while "
          f"the run was {status and status[0]!r}; after the kill: run {after}, task "
          f"{task_states(db, path)}")
    app.start_worker()
    done = wait_until(lambda: db.execute(
        "SELECT status FROM rules_evaluationrun WHERE id = %s", [run_id]).fetchone()[0]
        in ("done", "failed"), 300, 0.2)
    final = db.execute("SELECT r.status, r.results, r.households, (SELECT count(*) FROM "
                       "rules_evaluationresult e WHERE e.run_id = r.id) FROM "
                       "rules_evaluationrun r WHERE r.id = %s", [run_id]).fetchone()
    took = time.perf_counter() - killed_at
    print(f"  after the restart: run {final[0]}, {final[2]} households, {final[1]} amounts "
          f"reported, {final[3]} stored; task {task_states(db, path)}; {took:.1f} s from the "
          "kill to the end of the run")
    check(status is not None and status[0] in ("pending", "running"),
          "the rules run was killed mid-run")
    check(after is not None and after[1] == 0, "nothing of the killed run was stored")
    check(done is not None and final[0] == "done" and final[1] == final[3] > 0,
          "the rules run was re-queued and finished, amounts stored = amounts reported")

    # payroll: killed mid-preparation, the restarted worker may not retry it (max attempts 1)
    period = datetime.date.today().strftime("%Y-%m")
    start_payroll = (
        "from safetynet.accounts.models import User; from safetynet.payments import jobs; "
        f"print(jobs.start_payroll(User.objects.get(username='finance'), 'dibao', "
        f"'{period}')[0].pk)")
    app.stop_worker()
    payroll_id = int(shell(app.env, start_payroll))
    path = "safetynet.payments.tasks.prepare_run"
    app.start_worker()
    seen = wait_until(lambda: running_task(db, path), 120, 0.005)
    app.kill_worker()
    killed_at = time.perf_counter()

    def payroll() -> tuple[Any, ...]:
        row = db.execute("SELECT status, lines, message, (SELECT count(*) FROM "
                         "payments_paymentline l WHERE l.run_id = r.id) FROM "
                         "payments_payrollrun r WHERE r.id = %s", [payroll_id]).fetchone()
        assert row is not None
        return tuple(row)

    after = payroll()
    print(f"  payroll run {payroll_id}: task running {seen and round(seen, 2)} s after the "
          f"worker started, killed at once; after the kill: status {after[0]}, lines "
          f"{after[1]}, stored {after[3]}")
    app.start_worker(SAFETYNET_TASK_MAX_ATTEMPTS="1")
    failed = wait_until(lambda: payroll()[2] != "", 60, 0.2)
    shown = payroll()
    print(f"  worker restarted with SAFETYNET_TASK_MAX_ATTEMPTS=1: after "
          f"{failed and round(failed, 1)} s the run shows {shown[2]!r}; lines stored "
          f"{shown[3]}; task {task_states(db, path)}")
    check(after[0] == "preparing" and after[3] == 0, "the killed preparation wrote no line")
    check(bool(shown[2]) and shown[3] == 0 and task_states(db, path)[-1] == "FAILED",
          "given up: the run says why (translated) and has no line")
    shell(app.env, start_payroll)  # staff open the payroll of the period again
    prepared = wait_until(lambda: payroll()[0] == "prepared", 300, 0.2)
    final = payroll()
    control = db.execute("SELECT control FROM payments_payrollrun WHERE id = %s",
                         [payroll_id]).fetchone()
    control_lines = sum(v["lines"] for v in control[0].values()) if control else -1
    print(f"  opened again: {final[0]} after {prepared and round(prepared, 1)} s; lines "
          f"{final[1]}, stored {final[3]}, control totals {control_lines}; message "
          f"{final[2]!r}; {time.perf_counter() - killed_at:.1f} s from the kill")
    check(final[0] == "prepared" and final[1] == final[3] == control_lines > 0
          and final[2] == "", "prepared again in full: lines = stored = control totals")
    db.close()


def kill_web_worker(app: App, base: str, url: str, clients: int, seconds: float) -> None:
    print("\nb. kill -9 a gunicorn worker mid-request")
    db = psycopg.connect(url, autocommit=True)
    views = "SELECT count(*) FROM core_auditevent WHERE action = 'view_household'"
    before = db.execute(views).fetchone()[0]
    load = Load(base, clients)
    load.start()
    wait_until(lambda: load.phase(0, time.time())[0] >= 20, 120, 0.2)  # logged in, working
    old = app.web_workers()
    kill_at = time.time()
    os.kill(old[0], signal.SIGKILL)
    replaced = wait_until(lambda: len(app.web_workers()) == len(old)
                          and app.web_workers() != old, 60, 0.1)
    time.sleep(seconds * 2 / 3)
    load.stop()
    end = time.time()
    written = db.execute(views).fetchone()[0] - before
    db.close()
    ok1, bad1 = load.phase(0, kill_at)
    ok2, bad2 = load.phase(kill_at, kill_at + 2)
    ok3, bad3 = load.phase(kill_at + 2, end)
    print(f"  workers {old} -> {app.web_workers()}; replaced in "
          f"{replaced and round(replaced, 1)} s")
    print(f"  before the kill: {ok1} ok, {bad1} failed; 2 s after it: {ok2} ok, {bad2} failed "
          f"(the killed worker's in-flight requests); later: {ok3} ok, {bad3} failed")
    print(f"  household views answered 200: {load.ok_views}; audit events written: {written}")
    verify = manage(app.env, "audit", "verify")
    print(f"  audit verify: exit {verify.returncode} "
          f"{(verify.stdout + verify.stderr).strip().splitlines()[-1:]}")
    check(replaced is not None, "gunicorn replaced the killed worker")
    check(bad3 == 0 and ok3 > 0, "requests after the kill succeed")
    check(written >= load.ok_views and verify.returncode == 0,
          "no lost write, the audit chain verifies (in-flight writes whole or absent)")


def restart_database(app: App, cluster: Cluster, base: str, clients: int, outage: float,
                     seconds: float) -> None:
    print(f"\nc. PostgreSQL restart under load ({outage:.0f} s down)")
    load = Load(base, clients)
    load.start()
    wait_until(lambda: load.phase(0, time.time())[0] >= 20, 120, 0.2)  # logged in, working
    down_at = time.time()
    cluster.stop()
    stopped_at = time.time()
    time.sleep(outage)
    cluster.start()
    up_at = time.time()
    pages = wait_until(lambda: Client(base, "clerk").request("GET", "/registry/")[0] == 200,
                       120, 0.1)
    health = wait_until(lambda: status_of(base, "/healthz") == 200, 120, 0.2)
    time.sleep(seconds / 3)
    load.stop()
    end = time.time()
    ok1, bad1 = load.phase(0, down_at)
    ok2, bad2 = load.phase(down_at, stopped_at)
    ok3, bad3 = load.phase(stopped_at, up_at)
    after_up = [t for t, k, s in load.records if t >= up_at and k != "healthz" and s != 200]
    last_error = max(after_up) - up_at if after_up else 0.0
    ok4, bad4 = load.phase(up_at, up_at + last_error + 0.001)
    ok5, bad5 = load.phase(up_at + last_error + 0.001, end)
    print(f"  before: {ok1} ok, {bad1} failed; while stopping ({stopped_at - down_at:.1f} s): "
          f"{ok2} ok, {bad2} failed; down and starting ({up_at - stopped_at:.1f} s): {ok3} ok, "
          f"{bad3} failed; back up: last error {last_error:.1f} s later ({ok4} ok, {bad4} "
          f"failed until then), then {ok5} ok, {bad5} failed")
    print(f"  a fresh login and page answered 200 {pages and round(pages, 1)} s after the "
          f"database was back; /healthz 200 after {health and round(health, 1)} s")
    app.log.flush()
    log = (app.var / "server.log").read_text(encoding="utf-8", errors="replace")
    print(f"  worker pid {app.worker and app.worker.pid} throughout; it logged "
          f"{log.count('worker lost the database')} loss(es) of the database and "
          f"reconnected; web master pid {app.web and app.web.pid} throughout")
    check(pages is not None and pages < 10, "pages answer again without restarting the app")
    check(health is not None, "/healthz recovers (database and worker heartbeat)")
    check(ok5 > 0 and bad5 == 0 and last_error < 10, "errors only in the outage window")
    check(app.web is not None and app.web.poll() is None and app.worker is not None
          and app.worker.poll() is None, "web and worker kept running")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.03, help="demo county scale")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15, help="load per phase")
    parser.add_argument("--outage", type=float, default=5)
    parser.add_argument("--port", type=int, default=18600)
    parser.add_argument("--pg-port", type=int, default=55432)
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("run as root: the throwaway cluster runs as the postgres user (runuser)")
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # clean up (finally) on kill
    folder = Path(tempfile.mkdtemp(prefix="safetynet-faults-"))
    os.chmod(folder, 0o755)
    cluster = Cluster(folder / "pg", args.pg_port)
    (folder / "pg").mkdir()
    var = folder / "var"
    var.mkdir()
    url = cluster.url("safetynet")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SAFETYNET_ENV": "demo",
           "DATABASE_URL": url, "SAFETYNET_VAR_DIR": str(var),
           "SAFETYNET_BIND": f"127.0.0.1:{args.port}", "SAFETYNET_WEB_WORKERS": "2",
           "SAFETYNET_WEB_THREADS": "4", "SAFETYNET_LOG_JSON": "1"}
    app: App | None = None
    try:
        t0 = time.perf_counter()
        cluster.init()
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as db:
            db.execute("CREATE DATABASE safetynet")
        for step in (("migrate", "--noinput", "-v0"), ("compile_catalogues",),
                     ("demo", "--scale", str(args.scale))):
            done = manage(env, *step)
            if done.returncode:
                print(done.stdout[-3000:], done.stderr[-3000:])
                return 1
        with psycopg.connect(url) as db:
            households = db.execute("SELECT count(*) FROM registry_household").fetchone()
        print(f"throwaway cluster on port {args.pg_port}, demo county (scale {args.scale}, "
              f"{households and households[0]} households) in {time.perf_counter() - t0:.0f} s")
        app = App(env, var)
        app.start_web()
        app.start_worker()
        base = f"http://127.0.0.1:{args.port}"
        if wait_until(lambda: status_of(base, "/healthz") == 200, 120, 0.5) is None:
            print("the server did not come up; see", var / "server.log")
            return 1
        kill_worker_mid_job(app, url)
        kill_web_worker(app, base, url, args.clients, args.seconds)
        restart_database(app, cluster, base, args.clients, args.outage, args.seconds)
    finally:
        if app is not None:
            app.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{len(failures)} check(s) failed" + (f": {failures}" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
