"""Jobs left running by a dead worker are re-queued, or marked failed where users see it."""

from __future__ import annotations

import os
import socket
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult, get_date_max

from safetynet.core import recovery
from safetynet.core.management.commands import worker as worker_command
from safetynet.core.models import WorkerHeartbeat
from safetynet.core.recovery import dead_workers, lost_reason, recover_lost_tasks
from safetynet.discovery.models import ImportStatus as SourceStatus
from safetynet.discovery.models import SourceImport
from safetynet.discovery.sources import SourceKind
from safetynet.payments.models import PaymentLine, PayrollRun, RunStatus
from safetynet.registry.models_imports import ImportJob
from safetynet.registry.models_imports import ImportStatus as RegistryImport
from safetynet.rules.models import EvaluationRun, JobStatus

pytestmark = pytest.mark.django_db

RUN_TASK = "safetynet.rules.tasks.run_evaluation"
PAYROLL_TASK = "safetynet.payments.tasks.prepare_run"


def heartbeat(worker_id: str, age: float, host: str = "elsewhere", pid: int = 1) -> None:
    at = timezone.now() - timedelta(seconds=age)
    WorkerHeartbeat.objects.create(worker_id=worker_id, hostname=host, pid=pid,
                                   started_at=at, beat_at=at)


def running(task_path: str, pk: int, workers: list[str]) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING, task_path=task_path, backend_name="default",
        args_kwargs={"args": [pk], "kwargs": {}}, worker_ids=workers,
        run_after=get_date_max(), started_at=timezone.now() - timedelta(minutes=5))


def evaluation(status: str = JobStatus.RUNNING) -> EvaluationRun:
    return EvaluationRun.objects.create(on=date(2026, 1, 1), status=status,
                                        started_at=timezone.now())


def test_a_job_of_a_dead_worker_is_queued_again_and_its_row_waits() -> None:
    heartbeat("dead", age=3600)
    run = evaluation()
    task = running(RUN_TASK, run.pk, ["dead"])
    done = recover_lost_tasks()
    task.refresh_from_db()
    run.refresh_from_db()
    assert done.requeued == [str(task.pk)]
    assert task.status == TaskResultStatus.READY and task.started_at is None
    assert run.status == JobStatus.PENDING and run.started_at is None


def test_a_job_of_a_live_worker_is_left_alone() -> None:
    heartbeat("alive", age=1)
    run = evaluation()
    task = running(RUN_TASK, run.pk, ["alive"])
    assert recover_lost_tasks().requeued == []
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert EvaluationRun.objects.get(pk=run.pk).status == JobStatus.RUNNING


def test_a_fresh_heartbeat_of_a_gone_process_of_this_host_is_dead() -> None:
    heartbeat("gone", age=1, host=socket.gethostname(), pid=2**22 + 7)  # above pid_max
    heartbeat("me", age=1, host=socket.gethostname(), pid=os.getpid())
    assert dead_workers({"gone", "me", "never-beat"}) == {"gone", "never-beat"}


def test_a_job_lost_too_often_fails_with_the_reason_on_its_page(settings: Any) -> None:
    heartbeat("w3", age=3600)
    run = evaluation()
    task = running(RUN_TASK, run.pk, ["w1", "w2", "w3"][:recovery.MAX_ATTEMPTS])
    done = recover_lost_tasks()
    task.refresh_from_db()
    run.refresh_from_db()
    assert done.failed == [str(task.pk)]
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == recovery.LOST_EXCEPTION
    assert run.status == JobStatus.FAILED and run.finished_at is not None
    with translation.override(settings.LANGUAGE_CODE):
        assert run.message == lost_reason(recovery.MAX_ATTEMPTS)
    with translation.override("en"):
        assert run.message != lost_reason(recovery.MAX_ATTEMPTS)  # stored in Chinese


def test_a_job_that_had_finished_is_not_run_again() -> None:
    heartbeat("dead", age=3600)
    run = evaluation(JobStatus.DONE)
    task = running(RUN_TASK, run.pk, ["dead"])
    assert recover_lost_tasks().finished == [str(task.pk)]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert EvaluationRun.objects.get(pk=run.pk).status == JobStatus.DONE


def test_an_unknown_task_is_marked_failed_not_rerun() -> None:
    heartbeat("dead", age=3600)
    task = running("safetynet.nowhere.tasks.gone", 1, ["dead"])
    assert recover_lost_tasks().failed == [str(task.pk)]
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.FAILED


def test_a_payroll_given_up_says_so_on_its_page(settings: Any) -> None:
    heartbeat("w3", age=3600)
    run = PayrollRun.objects.create(program="dibao", period=date(2026, 1, 1))
    running(PAYROLL_TASK, run.pk, ["w1", "w2", "w3"][:recovery.MAX_ATTEMPTS])
    recover_lost_tasks()
    run.refresh_from_db()
    assert run.status == RunStatus.PREPARING and run.lines == 0
    assert run.message and not PaymentLine.objects.filter(run=run).exists()
    html = render_to_string("payments/_run_status.html", {"run": run})
    assert 'id="preparation-stopped"' in html and "<progress" not in html


def test_a_payroll_being_prepared_is_queued_again() -> None:
    heartbeat("dead", age=3600)
    run = PayrollRun.objects.create(program="dibao", period=date(2026, 1, 1),
                                    message="old reason")
    task = running(PAYROLL_TASK, run.pk, ["dead"])
    recover_lost_tasks()
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.READY
    assert PayrollRun.objects.get(pk=run.pk).message == ""


def test_a_worker_that_lost_the_database_requeues_its_own_job() -> None:
    heartbeat("me-too", age=1)
    run = evaluation()
    task = running(RUN_TASK, run.pk, ["me-too"])
    assert recover_lost_tasks().requeued == []
    assert recover_lost_tasks(also_dead="me-too").requeued == [str(task.pk)]
    assert EvaluationRun.objects.get(pk=run.pk).status == JobStatus.PENDING


def test_an_import_caught_writing_goes_back_to_waiting(django_user_model: Any) -> None:
    heartbeat("dead", age=3600)
    user = django_user_model.objects.create(username="uploader")
    job = ImportJob.objects.create(created_by=user, file="imports/x.xlsx",
                                   status=RegistryImport.WRITING, processed_rows=40)
    task = running("safetynet.registry.tasks.run_import", job.pk, ["dead"])
    assert recover_lost_tasks().requeued == [str(task.pk)]
    job.refresh_from_db()
    assert job.status == RegistryImport.PENDING and job.processed_rows == 0


def test_a_department_file_given_up_shows_failed_with_the_reason(
        django_user_model: Any, settings: Any) -> None:
    heartbeat("w3", age=3600)
    user = django_user_model.objects.create(username="uploader")
    job = SourceImport.objects.create(source=SourceKind.choices[0][0], file="d/x.csv",
                                      created_by=user, status=SourceStatus.RUNNING)
    running("safetynet.discovery.tasks.run_source_import", job.pk,
            ["w1", "w2", "w3"][:recovery.MAX_ATTEMPTS])
    recover_lost_tasks()
    job.refresh_from_db()
    assert job.status == SourceStatus.FAILED and job.finished_at is not None
    with translation.override(settings.LANGUAGE_CODE):
        assert job.message == lost_reason(recovery.MAX_ATTEMPTS)


@pytest.mark.django_db(transaction=True)  # the command reconnects: its rows must be committed
def test_the_worker_goes_on_after_losing_the_database(monkeypatch: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    heartbeat("keeps-going", age=1)
    run = evaluation()
    task = running(RUN_TASK, run.pk, ["keeps-going"])
    calls: list[int] = []

    def db_worker(self: Any, *args: Any, **options: Any) -> None:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(DbWorkerCommand, "handle", db_worker)
    monkeypatch.setattr(worker_command, "RECONNECT_SECONDS", 0)
    call_command("worker", "--worker-id", "keeps-going", "--heartbeat", "3600")
    assert len(calls) == 2  # db_worker's loop started again, the command did not exit
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.READY
    assert EvaluationRun.objects.get(pk=run.pk).status == JobStatus.PENDING
