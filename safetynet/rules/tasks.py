"""Background tasks of the rules app (django-tasks; `db_worker` runs them outside tests).

Whole-registry evaluations never run inside a web request: the screens record the job and
``jobs.py`` queues one of these once the record has committed; the page polls the job's
status.
"""

from __future__ import annotations

from django_tasks import task

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
