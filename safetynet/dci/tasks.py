"""Background tasks of the DCI API (django-tasks; `db_worker` runs them outside tests).

Nothing imports this module but ``jobs.py``, which queues the tasks once the change that
asks for them has committed.
"""

from __future__ import annotations

from django_tasks import default_task_backend, task

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
