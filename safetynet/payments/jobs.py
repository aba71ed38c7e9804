"""Job starters of the payroll: the service's change, then its background task queued once
that change has committed. Services never import tasks, so the layers import one way:
views -> jobs -> services, tasks -> services."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from safetynet.core.actor import Actor
from safetynet.payments import tasks
from safetynet.payments.models import PayrollRun, RunStatus
from safetynet.payments.services import open_run


def start_payroll(actor: Actor, program: str,
                  period_text: str | date) -> tuple[PayrollRun, bool]:
    """From the web and the API: open the run and queue its preparation
    (tasks.prepare_run, which audits it as the run's preparer)."""
    with transaction.atomic():
        run, created = open_run(actor, program, period_text)
        if run.status == RunStatus.PREPARING:
            if run.message:  # given up after its worker died (tasks.py): start it again
                run.message = ""
                PayrollRun.objects.filter(pk=run.pk).update(message="")
            transaction.on_commit(lambda: tasks.prepare_run.enqueue(run.pk))
    return run, created
