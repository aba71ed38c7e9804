"""Background tasks of the DCI API (django-tasks; `db_worker` runs them outside tests).

Nothing imports this module but ``jobs.py``, which queues the tasks once the change that
asks for them has committed.
"""

from __future__ import annotations

from django_tasks import default_task_backend, task

from safetynet.core import recovery
from safetynet.dci import delivery, services_exchange


@task()
def run_search(transaction_pk: int) -> None:
    """Answer an asynchronous search, then send its on-search callback."""
    txn = services_exchange.complete_search(transaction_pk)
    deliver_callbacks.enqueue(txn.partner_id)


@task()
def deliver_callbacks(partner_id: int) -> None:
    """Send the partner's due callbacks; come back when the next retry is due (a backend
    that cannot wait leaves retries to `safetynet dci deliver`, run by cron)."""
    run = delivery.deliver_due(partner_id)
    if run.next_attempt_at is not None and default_task_backend.supports_defer:
        deliver_callbacks.using(run_after=run.next_attempt_at).enqueue(partner_id)


# A search is answered in one transaction that skips an answered one, and each callback is
# marked sent in its own: both run again after a worker died (a callback posted just before
# the death may be posted twice; a partner drops the repeat by its header.message_id).
def _again(*args: object, **kwargs: object) -> bool:
    return True


recovery.register(run_search, reset=_again)
recovery.register(deliver_callbacks, reset=_again)
