"""No double payment under concurrent runs, and a killed run leaves nothing (PostgreSQL:
separate connections and processes see each other's commits; SQLite runs in memory)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from safetynet.core.actor import Actor
from safetynet.payments import services
from safetynet.payments.models import PaymentLine, PayrollRun, RunKind, RunStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres") is False,
                       reason="needs PostgreSQL (separate connections, processes)"),
]
ROOT = Path(__file__).resolve().parents[2]


def at_once(work: Callable[[], Any], count: int = 2) -> list[Any]:
    """Run ``work`` in ``count`` threads (each its own connection) released together."""
    barrier = threading.Barrier(count)
    results: list[Any] = []

    def target() -> None:
        from django.db import connections

        barrier.wait()
        try:
            results.append(work())
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_concurrent_runs_of_the_same_period_pay_once(finance, enrolled):
    results = at_once(lambda: services.run_payroll(Actor.of(finance), "dibao", "2022-09"))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(created for _run, created in results) == [False, True]
    assert PayrollRun.objects.count() == 1
    assert PaymentLine.objects.count() == 3


def test_the_database_stops_a_double_payment_the_code_would_allow(finance, enrolled):
    """Two runs of the same period forced past the one-run rule: the partial unique index
    still lets only one line per beneficiary and period exist."""
    first, _ = services.open_run(Actor.of(finance), "dibao", "2022-09")
    second = PayrollRun.objects.create(program="dibao", period=first.period,
                                       kind=RunKind.REISSUE)
    lock = threading.Lock()
    ids = iter([first.pk, second.pk])

    def prepare_one() -> Any:
        with lock:
            pk = next(ids)
        return services.prepare(pk)

    at_once(prepare_one)  # one of them may fail on the index: that is the point
    lines = PaymentLine.objects.filter(status__in=("pending", "paid"))
    assert lines.count() == 3
    assert lines.values("beneficiary").distinct().count() == 3
    statuses = {PayrollRun.objects.get(pk=pk).status for pk in (first.pk, second.pk)}
    assert RunStatus.PREPARED in statuses


KILLER = """
import os, signal, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetynet.settings")
django.setup()
from safetynet.payments import payroll, services
real = payroll.insert_lines
def insert_then_die(rows):
    real(rows)
    os.kill(os.getpid(), signal.SIGKILL)  # killed mid-way, before the commit
payroll.insert_lines = insert_then_die
services.run_payroll(None, "dibao", "2022-09")
"""


def test_a_killed_run_leaves_nothing_and_the_rerun_gives_the_same_lines(finance, enrolled):
    name = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}",
           "SAFETYNET_ENV": "test"}
    process = subprocess.run([sys.executable, "-c", KILLER], env=env, cwd=ROOT,
                             capture_output=True, timeout=120)
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()[-2000:]
    run = PayrollRun.objects.get()
    assert run.status == RunStatus.PREPARING and PaymentLine.objects.count() == 0
    again, created = services.run_payroll(Actor.of(finance), "dibao", "2022-09")
    assert not created and again.pk == run.pk and again.lines == 3
    expected = sorted((e.beneficiary, e.monthly_amount) for e in enrolled.values())
    assert sorted(PaymentLine.objects.values_list("beneficiary", "amount")) == expected
