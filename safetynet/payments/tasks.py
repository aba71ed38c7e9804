"""Background tasks of the payroll (django-tasks; `db_worker` runs them outside tests).
Only ``jobs.py`` queues them, once the change that asks for them has committed."""

from __future__ import annotations

from django_tasks import task

from safetynet.core import recovery
from safetynet.payments.models import PayrollRun, RunStatus
from safetynet.payments.services import prepare


@task()
def prepare_run(run_id: int) -> None:
    """Write the payment lines of a payroll run opened from the web."""
    prepare(run_id)


# A worker that dies while preparing leaves no line (one transaction): run it again while the
# run is still being prepared; given up, the run page says so and opening the payroll of the
# period again queues it anew (jobs.start_payroll).
def _reset_preparation(run_id: int) -> bool:
    return PayrollRun.objects.filter(pk=run_id, status=RunStatus.PREPARING).update(
        message="") > 0


def _fail_preparation(reason: str, run_id: int) -> None:
    PayrollRun.objects.filter(pk=run_id, status=RunStatus.PREPARING).update(message=reason)


recovery.register(prepare_run, reset=_reset_preparation, fail=_fail_preparation)
