"""Callbacks to partner systems: queued in the change's transaction, sent by the worker.

Each delivery is sent until the partner answers 2xx, at most ``MAX_ATTEMPTS`` times with
growing pauses; then it stays on the dead-letter list until an administrator retries it.
Deliveries with the same ``order_key`` (one person's events, one transaction's answer) go
out in the order they were made: a later one waits while an earlier one is pending. The
row is locked while it is sent, so two workers never send the same callback, and its
``header.message_id`` stays the same across attempts so a partner can drop a repeat.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.dci.models import Delivery, DeliveryStatus, Partner, RegistryEvent, Subscription

MAX_ATTEMPTS = 6
# Seconds to wait after the 1st, 2nd, ... failed attempt.
BACKOFF_SECONDS = (30, 120, 600, 1800, 7200)
TIMEOUT_SECONDS = 10
USER_AGENT = "SafetyNet-DCI/1.0"


class DeliveryFailed(Exception):
    """The partner's endpoint did not take the callback."""


def post(url: str, payload: dict[str, Any]) -> None:
    """POST the callback as JSON; anything but a 2xx answer is a failure."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            if not 200 <= answer.status < 300:
                raise DeliveryFailed(f"HTTP {answer.status}")
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise DeliveryFailed(str(getattr(exc, "reason", exc))[:200]) from exc


def queue(partner: Partner, action: str, url: str, payload: dict[str, Any], order_key: str,
          subscription: Subscription | None = None,
          event: RegistryEvent | None = None) -> Delivery:
    return Delivery.objects.create(partner=partner, action=action, url=url, payload=payload,
                                   order_key=order_key, subscription=subscription,
                                   event=event, next_attempt_at=timezone.now())


@dataclass
class Run:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0
    next_attempt_at: datetime | None = None


def deliver_due(partner_id: int | None = None, now: datetime | None = None) -> Run:
    """Send every due callback (of one partner, or all), oldest first."""
    run = Run()
    due = Delivery.objects.filter(status=DeliveryStatus.PENDING)
    if partner_id is not None:
        due = due.filter(partner_id=partner_id)
    for pk in list(due.order_by("pk").values_list("pk", flat=True)):
        _deliver_one(pk, now or timezone.now(), run)
    return run


def _deliver_one(pk: int, now: datetime, run: Run) -> None:
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, status=DeliveryStatus.PENDING).first())
        if delivery is None:
            return
        if delivery.next_attempt_at > now or _blocked(delivery):
            run.waiting += 1
            _note_next(run, delivery.next_attempt_at)
            return
        try:
            post(delivery.url, delivery.payload)
        except DeliveryFailed as exc:
            _failed(delivery, str(exc), now, run)
        else:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, now
            delivery.attempts += 1
            run.delivered += 1
        delivery.save(update_fields=["status", "delivered_at", "attempts", "last_error",
                                     "next_attempt_at"])


def _blocked(delivery: Delivery) -> bool:
    """An earlier callback with the same key is still waiting: keep the order."""
    return Delivery.objects.filter(partner_id=delivery.partner_id, order_key=delivery.order_key,
                                   status=DeliveryStatus.PENDING, pk__lt=delivery.pk).exists()


def _failed(delivery: Delivery, error: str, now: datetime, run: Run) -> None:
    delivery.attempts += 1
    delivery.last_error = error[:300]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.DEAD
        run.dead += 1
        return
    pause = BACKOFF_SECONDS[min(delivery.attempts, len(BACKOFF_SECONDS)) - 1]
    delivery.next_attempt_at = now + timedelta(seconds=pause)
    run.failed += 1
    _note_next(run, delivery.next_attempt_at)


def _note_next(run: Run, when: datetime) -> None:
    if run.next_attempt_at is None or when < run.next_attempt_at:
        run.next_attempt_at = when
