"""Background tasks of the rules app (django-tasks; `db_worker` runs them outside tests).

Whole-registry evaluations never run inside a web request: the screens record the job and
``jobs.py`` queues one of these once the record has committed; the page polls the job's
status.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from safetynet.core import recovery
from safetynet.rules.models import EvaluationRun, JobStatus, Simulation
from safetynet.rules.runs import execute_run
from safetynet.rules.whatif import execute_simulation


@task()
def run_evaluation(run_id: int) -> None:
    """Evaluate the registry for an EvaluationRun and store the amounts."""
    execute_run(run_id)


@task()
def run_simulation(simulation_id: int) -> None:
    """Evaluate a what-if Simulation against the baseline and store the outcome."""
    execute_simulation(simulation_id)


# A run stores its amounts in one transaction (runs.replace_results), a simulation writes its
# row once at the end: a worker that dies leaves the old amounts or the new, never half, so
# the job runs again from the start; given up, its page shows it failed with the reason.
def _resetter(model: type[EvaluationRun] | type[Simulation]) -> recovery.Reset:
    def reset(pk: int) -> bool:
        return model.objects.filter(pk=pk, status__in=(JobStatus.PENDING, JobStatus.RUNNING)
                                    ).update(status=JobStatus.PENDING, started_at=None) > 0
    return reset


def _failer(model: type[EvaluationRun] | type[Simulation]) -> recovery.Fail:
    def fail(reason: str, pk: int) -> None:
        model.objects.filter(pk=pk, status__in=(JobStatus.PENDING, JobStatus.RUNNING)).update(
            status=JobStatus.FAILED, message=reason, finished_at=timezone.now())
    return fail


recovery.register(run_evaluation, reset=_resetter(EvaluationRun), fail=_failer(EvaluationRun))
recovery.register(run_simulation, reset=_resetter(Simulation), fail=_failer(Simulation))
