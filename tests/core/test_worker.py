"""`safetynet worker` writes its heartbeat while it runs."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from safetynet.core.models import WorkerHeartbeat
from safetynet.core.worker import Heartbeat


def test_heartbeat_thread_writes_a_row(transactional_db: Any) -> None:
    heartbeat = Heartbeat("test-worker", interval=0.05)
    heartbeat.beat_now()
    first = WorkerHeartbeat.objects.get(worker_id="test-worker").beat_at
    heartbeat.start()
    heartbeat.stopped.wait(0.3)
    heartbeat.stop()
    heartbeat.join(timeout=5)
    row = WorkerHeartbeat.objects.get(worker_id="test-worker")
    assert row.beat_at > first


def test_worker_command_beats_then_exits_in_batch_mode(transactional_db: Any,
                                                       settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("worker", "--batch", "--worker-id", "batch-worker", "--no-startup-delay",
                 "--heartbeat", "3600", verbosity=0)
    assert WorkerHeartbeat.objects.filter(worker_id="batch-worker").exists()
