"""Job starters of the DCI API: the request's change, then its background work queued
once that change has committed (views -> jobs -> services, tasks)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from safetynet.dci import services_exchange, tasks
from safetynet.dci.models import Partner
from safetynet.dci.services_exchange import Operation, Outcome


def receive(operation: Operation, partner: Partner, body: dict[str, Any],
            ip: str = "") -> Outcome:
    """Answer a partner's message (``ip``: the partner's client address, for the audit);
    queue the asynchronous search and the callbacks."""
    with transaction.atomic():
        outcome = services_exchange.receive(operation, partner, body, ip)
        if outcome.search_to_run is not None:
            pk = outcome.search_to_run
            transaction.on_commit(lambda: tasks.run_search.enqueue(pk))
        for partner_id in outcome.partners_to_call:
            deliver_soon(partner_id)
    return outcome


def deliver_soon(partner_id: int) -> None:
    """Send the partner's callbacks once the current transaction has committed."""
    transaction.on_commit(lambda: tasks.deliver_callbacks.enqueue(partner_id))

