"""The background-job worker's heartbeat: a row per worker, refreshed every few seconds.

`/healthz` reads the age of the newest heartbeat, so a dead or stuck worker shows; the
same thread looks for the jobs of dead workers every ``RECOVER_SECONDS`` (core/recovery.py).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import datetime

from django.db import close_old_connections, connection
from django.utils import timezone

from safetynet.core.models import WorkerHeartbeat
from safetynet.core.recovery import recover_lost_tasks

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
RECOVER_SECONDS = 30.0


def beat(worker_id: str, started_at: datetime) -> None:
    """Write (or refresh) this worker's heartbeat row."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(),
                  "started_at": started_at, "beat_at": timezone.now()})


def newest_heartbeat_age() -> float | None:
    """Seconds since the newest heartbeat of any worker, or None when none ever beat."""
    newest = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)
    at = newest.first()
    return None if at is None else (timezone.now() - at).total_seconds()


class Heartbeat(threading.Thread):
    """A daemon thread beating every ``interval`` seconds, also while a long job runs."""

    def __init__(self, worker_id: str, interval: float = HEARTBEAT_SECONDS,
                 recover_every: float = RECOVER_SECONDS) -> None:
        super().__init__(name="safetynet-heartbeat", daemon=True)
        self.worker_id, self.interval = worker_id, interval
        self.recover_beats = max(1, round(recover_every / interval)) if interval else 1
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat_now(self) -> None:
        beat(self.worker_id, self.started_at)

    def run(self) -> None:
        """Beat every interval (the first beat is the caller's ``beat_now``); every few
        beats, recover the jobs of workers that died."""
        beats = 0
        while not self.stopped.wait(self.interval):
            try:
                close_old_connections()
                self.beat_now()
                beats += 1
                if beats % self.recover_beats == 0:
                    recover_lost_tasks()
            except Exception:  # a database restart must not kill the thread
                log.warning("worker heartbeat failed; retrying", exc_info=True)
                connection.close()
        connection.close()

    def stop(self) -> None:
        self.stopped.set()
