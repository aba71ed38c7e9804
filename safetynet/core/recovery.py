"""Background jobs left "running" by a worker that died (kill -9, power loss, OOM).

django-tasks-db marks a task result RUNNING when a worker claims it and only the same
worker ever finishes it, so a killed worker leaves it RUNNING for good and the job's page
keeps showing its progress. `recover_lost_tasks` (run by `safetynet worker` at start and
every few heartbeats) finds the RUNNING results whose worker is dead — its heartbeat is
older than ``SAFETYNET_WORKER_STALE_SECONDS`` or it was a process of this host that no
longer exists — and for each one:

* re-queues it when its app registered it as safe to run again (every job of the house
  writes in one transaction or skips what it has written, see each app's ``tasks.py``),
  after the app put its own job row back to "waiting";
* marks it failed when it was lost ``SAFETYNET_TASK_MAX_ATTEMPTS`` times (a job that kills
  its worker each time must not loop) or its app did not register it, and lets the app mark
  its job row failed with a translated reason users see, so staff can start it again.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safetynet.core.env import env_int
from safetynet.core.models import WorkerHeartbeat

log = logging.getLogger(__name__)

# Seconds without a heartbeat after which a worker counts as dead (also read by /healthz).
WORKER_STALE_SECONDS = env_int("SAFETYNET_WORKER_STALE_SECONDS", 60)
# How many workers may die running one job before it is marked failed instead of re-queued.
MAX_ATTEMPTS = env_int("SAFETYNET_TASK_MAX_ATTEMPTS", 3)
LOST_EXCEPTION = "safetynet.core.recovery.WorkerLost"

Reset = Callable[..., bool]
Fail = Callable[..., None]


class WorkerLost(Exception):
    """The worker running the task stopped without finishing it."""


@dataclass(frozen=True)
class Recovery:
    """How to recover one task. ``reset(*args, **kwargs)`` puts the job's row back to
    waiting and says whether the task should run again (False: the job had finished before
    the worker died); None: not safe to run again. ``fail(reason, *args, **kwargs)`` marks
    the job's row failed with the (translated) reason."""

    reset: Reset | None
    fail: Fail | None


_RECOVERIES: dict[str, Recovery] = {}


def register(task: Any, *, reset: Reset | None = None, fail: Fail | None = None) -> None:
    """Declare how a task (a django-tasks ``Task``) is recovered; its tasks.py calls this."""
    _RECOVERIES[task.module_path] = Recovery(reset=reset, fail=fail)


def recovery_for(task_path: str) -> Recovery | None:
    """The task's recovery, importing its module (where it registers) when needed."""
    if task_path not in _RECOVERIES:
        try:
            import_string(task_path)
        except ImportError:
            return None
    return _RECOVERIES.get(task_path)


def lost_reason(attempts: int) -> str:
    """What the job's page says when the job is given up (in the active language)."""
    return _("The background worker stopped %(n)d times while this job ran, so it was not "
             "restarted again; nothing was half-written. Start the job again; if it stops "
             "again, ask the administrator to check the server.") % {"n": attempts}


def unresumable_reason() -> str:
    return _("The background worker stopped while this job ran; nothing was half-written. "
             "Start the job again.")


@dataclass
class Recovered:
    requeued: list[str]
    failed: list[str]
    finished: list[str]


def dead_workers(worker_ids: set[str], now: Any = None) -> set[str]:
    """The ids among ``worker_ids`` whose worker is gone: stale or no heartbeat, or a
    process of this host that no longer runs."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=WORKER_STALE_SECONDS)
    rows = {b.worker_id: b for b in WorkerHeartbeat.objects.filter(worker_id__in=worker_ids)}
    host = socket.gethostname()[:255]
    return {worker_id for worker_id in worker_ids
            if (row := rows.get(worker_id)) is None or row.beat_at < stale
            or (row.hostname == host and row.pid != os.getpid() and not _alive(row.pid))}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process of that number
    return True


def recover_lost_tasks(now: Any = None, also_dead: str | None = None) -> Recovered:
    """Re-queue or fail the RUNNING task results of dead workers (see the module);
    ``also_dead``: a worker id to count as dead (the caller's own, when it lost a job)."""
    now = now or timezone.now()
    done = Recovered([], [], [])
    running = list(DBTaskResult.objects.running().values_list("pk", "worker_ids", "started_at"))
    owners = {ids[-1] for _pk, ids, _at in running if ids}
    dead = dead_workers(owners - {also_dead}, now) | ({also_dead} & owners)
    stale = now - timedelta(seconds=WORKER_STALE_SECONDS)
    for pk, ids, started_at in running:
        ownerless = not ids and (started_at is None or started_at < stale)
        if ownerless or (ids and ids[-1] in dead):
            outcome = _recover_one(pk, now)
            if outcome is not None:
                getattr(done, outcome).append(str(pk))
    return done


def _recover_one(pk: Any, now: Any) -> str | None:
    with transaction.atomic():
        result = (DBTaskResult.objects.select_for_update()
                  .filter(pk=pk, status=TaskResultStatus.RUNNING).first())
        if result is None:  # finished, or recovered by another worker meanwhile
            return None
        args = result.args_kwargs.get("args", [])
        kwargs = result.args_kwargs.get("kwargs", {})
        attempts = len(result.worker_ids)
        recovery = recovery_for(result.task_path)
        with translation.override(settings.LANGUAGE_CODE):
            if recovery is not None and recovery.reset is not None and attempts < MAX_ATTEMPTS:
                if recovery.reset(*args, **kwargs):
                    _requeue(result)
                    log.warning("task %s (%s) re-queued: its worker %s died", pk,
                                result.task_path, result.worker_ids[-1:])
                    return "requeued"
                _give_up(result, now, "the worker died after the job had finished")
                return "finished"
            reason = lost_reason(attempts) if attempts >= MAX_ATTEMPTS else unresumable_reason()
            if recovery is not None and recovery.fail is not None:
                recovery.fail(reason, *args, **kwargs)
        _give_up(result, now, f"worker lost {attempts} time(s): {result.worker_ids}")
        log.error("task %s (%s) marked failed: its worker died %d time(s)", pk,
                  result.task_path, attempts)
        return "failed"


def _requeue(result: DBTaskResult) -> None:
    result.status, result.started_at = TaskResultStatus.READY, None
    result.save(update_fields=["status", "started_at"])


def _give_up(result: DBTaskResult, now: Any, why: str) -> None:
    result.status, result.finished_at = TaskResultStatus.FAILED, now
    result.exception_class_path = LOST_EXCEPTION
    result.traceback = f"{LOST_EXCEPTION}: {why}"
    result.return_value = None
    result.save(update_fields=["status", "finished_at", "exception_class_path", "traceback",
                               "return_value"])
