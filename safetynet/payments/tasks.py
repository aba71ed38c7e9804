"""Background tasks of the payroll (django-tasks; `db_worker` runs them outside tests).
Only ``jobs.py`` queues them, once the change that asks for them has committed."""

from __future__ import annotations

from django_tasks import task

from safetynet.payments.services import prepare


@task()
def prepare_run(run_id: int) -> None:
    """Write the payment lines of a payroll run opened from the web."""
    prepare(run_id)
