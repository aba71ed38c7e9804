"""Job starters of the rules app: record the run or simulation, then queue its task once
the record has committed (a worker never looks for a row that is not there yet). Services
never import tasks, so the layers import one way: views -> jobs -> services, tasks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.db import transaction

from safetynet.core.actor import Actor
from safetynet.rules import services, tasks
from safetynet.rules.models import EvaluationRun, Simulation


def start_run(actor: Actor, on: date) -> EvaluationRun:
    """From the web: record a registry evaluation of the actor's areas and queue it
    (runs.execute_run; the run row holds the areas, so the task needs only its id)."""
    with transaction.atomic():
        run = services.request_run(actor, on)
        transaction.on_commit(lambda: _queue_run(run.pk))
    return run


def start_simulation(actor: Actor, on: date, overrides: Mapping[str, object]) -> Simulation:
    """From the web: record a what-if simulation and queue it (whatif.execute_simulation)."""
    with transaction.atomic():
        simulation = services.create_simulation(on, overrides, actor)
        transaction.on_commit(lambda: _queue_simulation(simulation.pk))
    return simulation


def _queue_run(pk: int) -> None:
    result = tasks.run_evaluation.enqueue(pk)
    EvaluationRun.objects.filter(pk=pk).update(task_id=str(result.id))


def _queue_simulation(pk: int) -> None:
    result = tasks.run_simulation.enqueue(pk)
    Simulation.objects.filter(pk=pk).update(task_id=str(result.id))
