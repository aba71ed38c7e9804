"""`safetynet worker`: the background-job worker (django-tasks-db) with a heartbeat."""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.db import InterfaceError, OperationalError, connection
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from safetynet.core.recovery import recover_lost_tasks
from safetynet.core.worker import HEARTBEAT_SECONDS, Heartbeat

log = logging.getLogger(__name__)
# Seconds between attempts to reach the database again after it went away.
RECONNECT_SECONDS = 2.0


class Command(DbWorkerCommand):
    help = ("Run the background-job worker (db_worker) and write its heartbeat every few "
            "seconds, read by /healthz; re-queue (or mark failed) the jobs of dead workers.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--heartbeat", type=float, default=HEARTBEAT_SECONDS,
                            help="seconds between heartbeats (default: %(default)s)")

    def handle(self, *args: Any, **options: Any) -> None:
        options["worker_id"] = options.get("worker_id") or get_random_string(32)
        heartbeat = Heartbeat(options["worker_id"], options.pop("heartbeat"))
        heartbeat.beat_now()
        self._recover()
        heartbeat.start()
        try:
            self._serve(heartbeat, *args, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=HEARTBEAT_SECONDS)

    def _serve(self, heartbeat: Heartbeat, *args: Any, **options: Any) -> None:
        """db_worker's loop, started again when the database goes away (a PostgreSQL
        restart) instead of exiting; a job it was running then is re-queued like the job of
        a dead worker (it is no longer running: this worker is between jobs)."""
        while True:
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError):
                log.warning("worker lost the database; reconnecting", exc_info=True)
            while True:
                time.sleep(RECONNECT_SECONDS)
                connection.close()
                try:
                    heartbeat.beat_now()
                    self._recover(options["worker_id"])
                    break
                except (OperationalError, InterfaceError):
                    continue

    def _recover(self, own_id: str | None = None) -> None:
        recovered = recover_lost_tasks(also_dead=own_id)
        if recovered.requeued or recovered.failed:
            self.stderr.write(f"jobs of dead workers: {len(recovered.requeued)} re-queued, "
                              f"{len(recovered.failed)} marked failed")
