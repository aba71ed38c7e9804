"""Background tasks of the registry (django-tasks; `db_worker` runs them outside tests)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from safetynet.core import recovery
from safetynet.registry import imports
from safetynet.registry.models_imports import ImportJob, ImportStatus

UNFINISHED = (ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.WRITING)


@task()
def run_import(job_id: int) -> None:
    """Check an uploaded Excel file and write what may be written; progress on the job."""
    imports.run_job(job_id)


# The check writes nothing to the registry and the households are written in the same
# transaction that marks the job done (imports._run): a worker that dies leaves nothing
# written, so the job is checked again from the start; given up, its page says it failed.
def _reset_import(job_id: int) -> bool:
    return ImportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(
        status=ImportStatus.PENDING, processed_rows=0) > 0


def _fail_import(reason: str, job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id, status__in=UNFINISHED).update(
        status=ImportStatus.FAILED, message=reason, finished_at=timezone.now())


recovery.register(run_import, reset=_reset_import, fail=_fail_import)
