"""Helpers shared by the single-window service modules: the date of today, record
numbers, who may register, the checks of a date and an amount, the decision and the
enrolment an approval makes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.benefits.services import enrol
from safetynet.core.actor import Actor
from safetynet.intake.models import Application, Kind

# Programmes an approved application enrols the beneficiary in (benefits app).
ENROLS: dict[str, tuple[str, ...]] = {
    Kind.DIBAO: ("dibao",),
    Kind.TEKUN: ("tekun_basic",),
    Kind.DISABILITY_LIVING: ("disability_living",),
    Kind.DISABILITY_NURSING: ("disability_nursing",),
    Kind.ORPHAN: ("orphan_allowance",),
    Kind.ELDERLY_ALLOWANCE: ("elderly_allowance",),
    Kind.TEMPORARY_EMERGENCY: ("temporary",),
    Kind.TEMPORARY_EXPENDITURE: ("temporary",),
}


def today() -> dt.date:
    return timezone.localdate()


def _new_number(prefix: str) -> str:
    return f"{prefix}{today():%Y%m%d}{uuid.uuid4().hex[:6].upper()}"


def _decide(app: Application, actor: Actor, reason: str) -> None:
    app.decided_by, app.decided_on, app.decision_reason = actor.user, today(), reason.strip()


def _enrol(actor: Actor, app: Application) -> int | None:
    """Enrol the beneficiary in the programme(s) the approval grants; the first enrolment's
    id is kept on the application."""
    first: int | None = None
    for program in ENROLS.get(app.kind, ()):
        person = None if program == "dibao" else (app.beneficiary or app.applicant)
        explicit = app.amount if program == "temporary" else None
        enrollment = enrol(actor, program=program, household=app.household, person=person,
                           approved_on=today(), application_id=app.pk, amount=explicit,
                           explanation=app.decision_reason)
        first = first or enrollment.pk
    return first


def _date(data: dict[str, Any], name: str) -> dt.date:
    value = data.get(name)
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({name: _("“%(v)s” is not a date (YYYY-MM-DD).")
                               % {"v": value}}) from None


def _amount(data: dict[str, Any], required: bool) -> Decimal | None:
    value = data.get("amount")
    if value in (None, ""):
        if required:
            raise ValidationError({"amount": _("Give the amount in yuan.")})
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"amount": _("“%(v)s” is not an amount in yuan.")
                               % {"v": value}}) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"amount": _("The amount must be positive, in yuan and fen.")})
    return amount
