"""Support records of orphans and children without a de facto carer (education aid,
health checks).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from safetynet.children.models import ChildProfile, SupportKind, SupportRecord
from safetynet.children.services.access import _require_editor
from safetynet.children.services.common import _past_date
from safetynet.children.services.registry import ORPHAN_CATEGORIES
from safetynet.core import audit
from safetynet.core.actor import Actor


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({"amount": _("Give the amount in yuan.")}) from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be 0 or more yuan, with at most "
                                           "2 decimals.")})
    return amount


def record_support(actor: Actor, child: ChildProfile, data: dict[str, Any]) -> SupportRecord:
    """An education aid grant or a yearly health check of an orphan or a child without a
    de facto carer, with its amount."""
    _require_editor(actor, child.area_id)
    kind = str(data.get("kind") or "")
    if kind not in SupportKind.values:
        raise ValidationError({"kind": _("Choose education aid or health check.")})
    if not set(child.category_list) & ORPHAN_CATEGORIES:
        raise ValidationError({"kind": _("Education aid and health checks are recorded for "
                                         "orphans and children without a de facto carer.")})
    record = SupportRecord(child=child, kind=kind, on=_past_date(data, "on"),  # type: ignore[misc]
                           amount=_amount(data.get("amount")), recorded_by=actor.user,
                           note=str(data.get("note") or "").strip()[:200])
    with transaction.atomic():
        record.save()
        audit.record("children.support", user=actor, obj=record,
                     kind=kind, amount=str(record.amount))
    return record
