"""Background tasks of the payroll (django-tasks; `db_worker` runs them outside tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def prepare_run(run_id: int) -> None:
    """Write the payment lines of a payroll run opened from the web."""
    from safetynet.payments.services import prepare

    prepare(run_id)
