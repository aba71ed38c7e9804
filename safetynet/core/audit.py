"""The security audit log: append-only, hash-chained, written inside the action's transaction.

Each event's hash is SHA-256 over the previous hash and the event's canonical JSON, so any
change or removal inside the chain breaks ``verify``. The chain head row is locked while an
event is appended, which keeps the chain linear under concurrent writers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent, AuditHead

GENESIS = "0" * 64
RETENTION_DAYS = 180
ANONYMOUS = ""


def canonical(event: AuditEvent) -> str:
    fields = {
        "at": event.at.isoformat(timespec="microseconds"), "user_id": event.user_id,
        "username": event.username, "ip": event.ip, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id,
        "result": event.result, "detail": event.detail,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256((prev_hash + canonical(event)).encode()).hexdigest()


def client_ip(request: Any) -> str:
    if request is None:
        return ""
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def record(action: str, *, user: Any = None, request: Any = None, obj: Any = None,
           object_type: str = "", object_id: str = "", result: str = "ok", ip: str = "",
           **detail: Any) -> AuditEvent:
    """Append one event. Joins the caller's transaction when there is one.

    ``user`` is the service's :class:`Actor` (whose request context gives the client
    address) or, where no actor exists yet (logins, refusals), a user and the request.
    ``ip`` is the address of a caller that is no user (a DCI partner system)."""
    ip = ip[:45] or client_ip(request)
    if isinstance(user, Actor):
        ip, user = ip or user.ip, user.user
    if user is None and request is not None:
        user = getattr(request, "user", None)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    event = AuditEvent(
        at=timezone.now(), user_id=user.pk if authenticated else None,
        username=user.get_username() if authenticated else str(detail.pop("username", "")),
        ip=ip, action=action, object_type=object_type,
        object_id=str(object_id)[:64], result=result, detail=_jsonable(detail))
    with transaction.atomic():
        head = _locked_head()
        event.prev_hash = head.last_hash
        event.hash = chain_hash(head.last_hash, event)
        event.save()
        AuditHead.objects.filter(pk=head.pk).update(last_hash=event.hash)
    return event


def _jsonable(detail: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(detail, default=str, ensure_ascii=False))


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        AuditHead.objects.get_or_create(pk=1, defaults={"last_hash": last or GENESIS})
        head = AuditHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_id: int | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None


def verify(batch: int = 5000) -> VerifyResult:
    """Walk the chain from the oldest kept event; name the first broken one."""
    checked, expected_prev = 0, None
    for event in _events(batch):
        if expected_prev is not None and event.prev_hash != expected_prev:
            return VerifyResult(checked, event.id, "previous hash does not match")
        if chain_hash(event.prev_hash, event) != event.hash:
            return VerifyResult(checked, event.id, "content does not match its hash")
        expected_prev, checked = event.hash, checked + 1
    head = AuditHead.objects.filter(pk=1).values_list("last_hash", flat=True).first()
    if expected_prev is not None and head not in (None, expected_prev):
        return VerifyResult(checked, None if head is None else -1, "newest events were removed")
    return VerifyResult(checked, None)


def _events(batch: int) -> Iterator[AuditEvent]:
    last_id = 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def purge(older_than_days: int, now: datetime | None = None) -> int:
    """Remove events older than ``older_than_days`` (never fewer than the retention)."""
    if older_than_days < RETENTION_DAYS:
        raise ValueError(f"audit events are kept at least {RETENTION_DAYS} days")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
