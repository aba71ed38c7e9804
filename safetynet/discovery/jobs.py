"""Job starters of active discovery: the service's change, then its background task queued
once that change has committed. Services never import tasks (tasks import the modules that
do the work), so the layers import one way: views -> jobs -> services, tasks."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from safetynet.core.actor import Actor
from safetynet.discovery import services, tasks
from safetynet.discovery.models import Campaign, SourceImport


def start_import(actor: Actor, source: str, upload: Any) -> SourceImport:
    """Keep a department's file and queue its matching (then the monitored list)."""
    with transaction.atomic():
        job = services.receive_import(actor, source, upload)
        transaction.on_commit(lambda: tasks.run_source_import.enqueue(job.pk))
    return job


def start_campaign(actor: Actor, data: dict[str, Any]) -> Campaign:
    """Create a screening campaign and queue the build of its visit lists."""
    with transaction.atomic():
        campaign = services.create_campaign(actor, data)
        transaction.on_commit(lambda: tasks.generate_campaign.enqueue(campaign.pk))
    return campaign


def start_monitoring(trigger: str) -> None:
    """Queue a recomputation of the monitored list (after the current transaction)."""
    transaction.on_commit(lambda: tasks.recompute_monitoring.enqueue(trigger))
