"""Background tasks of active discovery (django-tasks; `db_worker` runs them outside tests).

Tasks call the modules that do the work; nothing imports this module but ``jobs.py``,
which queues the tasks once the change that asks for them has committed.
"""

from __future__ import annotations

from django_tasks import task

from safetynet.discovery import campaigns, imports, monitoring
from safetynet.discovery.models import ImportStatus


@task()
def run_source_import(import_id: int) -> None:
    """Check, match and store a department's file; raise its warnings; then recompute the
    monitored list (every stored file may change it)."""
    job = imports.run_import(import_id)
    if job.status == ImportStatus.DONE:
        recompute_monitoring.enqueue(f"import {job.pk}")


@task()
def recompute_monitoring(trigger: str = "") -> None:
    """Recompute the monitored low-income population with the policy engine."""
    monitoring.recompute(trigger=trigger)


@task()
def generate_campaign(campaign_id: int) -> None:
    """Build the visit list of every village of a screening campaign."""
    campaigns.generate(campaign_id)
