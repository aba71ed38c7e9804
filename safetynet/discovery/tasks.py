"""Background tasks of active discovery (django-tasks; `db_worker` runs them outside tests)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_source_import(import_id: int) -> None:
    """Check, match and store a department's file; raise its warnings."""
    from safetynet.discovery import imports

    imports.run_import(import_id)


@task()
def recompute_monitoring(trigger: str = "") -> None:
    """Recompute the monitored low-income population with the policy engine."""
    from safetynet.discovery import monitoring

    monitoring.recompute(trigger=trigger)


@task()
def generate_campaign(campaign_id: int) -> None:
    """Build the visit list of every village of a screening campaign."""
    from safetynet.discovery import campaigns

    campaigns.generate(campaign_id)
