"""Background tasks of active discovery (django-tasks; `db_worker` runs them outside tests).

Tasks call the modules that do the work; nothing imports this module but ``jobs.py``,
which queues the tasks once the change that asks for them has committed.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from safetynet.core import recovery
from safetynet.discovery import campaigns, imports, monitoring
from safetynet.discovery.models import ImportStatus, SourceImport


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


# A file's records, warnings and "done" commit in one transaction (imports._run): a worker that
# dies leaves nothing stored and the import "matching", which goes back to waiting so the
# task claims it again; given up, the import page shows it failed with the reason. The
# monitored list is one transaction too, and a campaign adds only the visits it lacks.
def _reset_import(import_id: int) -> bool:
    return SourceImport.objects.filter(
        pk=import_id, status__in=(ImportStatus.PENDING, ImportStatus.RUNNING)).update(
        status=ImportStatus.PENDING) > 0


def _fail_import(reason: str, import_id: int) -> None:
    SourceImport.objects.filter(
        pk=import_id, status__in=(ImportStatus.PENDING, ImportStatus.RUNNING)).update(
        status=ImportStatus.FAILED, message=reason, finished_at=timezone.now())


def _again(*args: object, **kwargs: object) -> bool:
    return True


recovery.register(run_source_import, reset=_reset_import, fail=_fail_import)
recovery.register(recompute_monitoring, reset=_again)
recovery.register(generate_campaign, reset=_again)
