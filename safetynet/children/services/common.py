"""Helpers shared by the child-protection service modules: the date of today, record
numbers, and the checks of a text, a past date and a scan.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.core import uploads

MIN_REASON = 4


def today() -> dt.date:
    return timezone.localdate()


def _new_number(prefix: str) -> str:
    return f"{prefix}{today():%Y%m%d}{uuid.uuid4().hex[:6].upper()}"


def _text(data: dict[str, Any], name: str, message: str) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        raise ValidationError({name: message})
    return value


def _past_date(data: dict[str, Any], name: str) -> dt.date:
    value = data.get(name)
    if not isinstance(value, dt.date):
        raise ValidationError({name: _("Give the date.")})
    if value > today():
        raise ValidationError({name: _("The date cannot be in the future.")})
    return value


def _check_scan(scan: Any) -> str:
    if scan is None:
        return ""
    try:
        return uploads.check(scan)
    except ValidationError as exc:
        raise ValidationError({"scan": exc.messages}) from exc
