"""The pieces of DCI messages the registry sends: headers, acknowledgements, records of
subscriptions."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.utils import timezone

from safetynet.core.masking import mask_id_numbers
from safetynet.dci import spec
from safetynet.dci.envelope import RECEIVER_ID, DciError
from safetynet.dci.models import Partner, Subscription

REG_TYPE = "ns:org:RegistryType:Social"


def now_iso() -> str:
    return timezone.now().isoformat(timespec="seconds")


def new_id() -> str:
    return uuid.uuid4().hex


def callback_header(action: str, partner: Partner, status: str, total: int,
                    completed: int, reason_code: str = "", message: str = "") -> dict[str, Any]:
    header: dict[str, Any] = {
        "version": spec.VERSION, "message_id": new_id(), "message_ts": now_iso(),
        "action": action, "status": status, "total_count": total,
        "completed_count": completed, "sender_id": RECEIVER_ID, "receiver_id": partner.code,
        "is_msg_encrypted": False}
    if reason_code:
        header["status_reason_code"] = reason_code
    if message:
        header["status_reason_message"] = message[:999]
    return header


def ack(correlation_id: str, error: DciError | None = None) -> dict[str, Any]:
    message: dict[str, Any] = {"ack_status": "ERR" if error else "ACK",
                               "timestamp": now_iso(), "correlation_id": correlation_id}
    if error is not None:
        message["error"] = {"code": error.code, "message": error.message[:999]}
    return {"message": message}


def subscription_info(subscription: Subscription) -> dict[str, Any]:
    info: dict[str, Any] = {
        "version": spec.VERSION, "code": subscription.code,
        "status": "subscribe" if subscription.active else "unsubscribe",
        "timestamp": subscription.created_at.isoformat(timespec="seconds"),
        "reg_type": REG_TYPE, "reg_event_type": subscription.reg_event_type,
        "filter_type": subscription.filter_type, "filter": masked(subscription.filter),
        "notify_record_type": subscription.notify_record_type}
    if subscription.frequency:
        info["frequency"] = subscription.frequency
    return info


def masked(value: Any) -> Any:
    """An echo of what the partner sent, with any ID number in it masked."""
    return json.loads(mask_id_numbers(json.dumps(value, ensure_ascii=False)))
