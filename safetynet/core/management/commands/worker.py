"""`safetynet worker`: the background-job worker (django-tasks-db) with a heartbeat."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from safetynet.core.recovery import recover_lost_tasks
from safetynet.core.worker import HEARTBEAT_SECONDS, Heartbeat


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
        recovered = recover_lost_tasks()
        if recovered.requeued or recovered.failed:
            self.stderr.write(f"jobs of dead workers: {len(recovered.requeued)} re-queued, "
                              f"{len(recovered.failed)} marked failed")
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
            heartbeat.join(timeout=HEARTBEAT_SECONDS)
