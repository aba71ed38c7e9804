"""Background tasks of the registry (django-tasks; `db_worker` runs them outside tests)."""

from __future__ import annotations

from django_tasks import task

from safetynet.registry import imports


@task()
def run_import(job_id: int) -> None:
    """Check an uploaded Excel file and write what may be written; progress on the job."""
    imports.run_job(job_id)
