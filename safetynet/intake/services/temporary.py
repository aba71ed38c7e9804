"""Temporary assistance: the estimate under today's rules, the township's help-first
limit and grant, and the once-per-cause-per-year rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safetynet.core.actor import Actor
from safetynet.core.dates import add_months
from safetynet.intake.models import Application, Kind
from safetynet.intake.services.common import _amount, _decide, _enrol, today
from safetynet.intake.workflow import TEMPORARY_KINDS
from safetynet.policy.programs.temporary import TemporaryAssistance, temporary_assistance
from safetynet.rules.parameters import current_parameters, parameter_value

REPEAT_MONTHS = "temporary.repeat_months"  # once per cause per household per year


def temporary_estimate(app: Application) -> TemporaryAssistance:
    """Temporary assistance under the rules for this request today: the months asked for
    (one when none) × the dibao standard × the household's counted members, and the
    township's help-first limit."""
    size = app.household.members.filter(deceased_on__isnull=True, not_counted="").count()
    kind: Literal["emergency", "expenditure"] = (
        "emergency" if app.kind == Kind.TEMPORARY_EMERGENCY else "expenditure")
    months = _months_asked(app)
    return temporary_assistance(kind, months, max(size, 1), area_code=app.area.code,
                                hukou=app.household.hukou, on=today(),
                                params=current_parameters())


def _months_asked(app: Application) -> int:
    try:
        months = int((app.details or {}).get("months") or 1)
    except (TypeError, ValueError):
        return 1
    return max(months, 1)


def township_limit(app: Application) -> Decimal:
    """The most the township may grant a household at once (help first)."""
    return Decimal(temporary_estimate(app).township_limit)


def _township_grant(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    amount = _amount(data, required=True)
    assert amount is not None
    limit = township_limit(app)
    if amount > limit:
        raise ValidationError({"amount": _("%(amount)s yuan is above the township's limit of "
                                           "%(limit)s yuan: send the case to the county.")
                               % {"amount": amount, "limit": limit}})
    app.amount = amount
    _require_no_recent_grant(app)
    _decide(app, actor, data["reason"])
    app.enrollment_id = _enrol(actor, app)
    return {"amount": str(amount), "township_limit": str(limit)}


def recent_grant(app: Application, on: dt.date) -> Application | None:
    """The household's latest temporary-assistance grant for the same cause (the same kind:
    emergency or expenditure) decided within ``temporary.repeat_months`` before ``on``."""
    if app.kind not in TEMPORARY_KINDS:
        return None
    months = parameter_value(REPEAT_MONTHS, app.area_id, on)
    return (Application.objects.filter(household_id=app.household_id, kind=app.kind,
                                       enrollment_id__isnull=False,
                                       decided_on__gt=add_months(on, -months))
            .exclude(pk=app.pk).order_by("-decided_on", "-pk").first())


def _require_no_recent_grant(app: Application) -> None:
    """DOMAIN.md §4: temporary assistance at most once per cause per household per year."""
    earlier = recent_grant(app, today())
    if earlier is None or earlier.decided_on is None:
        return
    months = parameter_value(REPEAT_MONTHS, app.area_id, today())
    raise ValidationError(_(
        "This household was already granted temporary assistance for the same cause "
        "(%(cause)s) on %(date)s: %(amount)s yuan (application %(number)s). Temporary "
        "assistance is granted at most once per cause in %(months)d months: the next grant "
        "for this cause is possible from %(next)s.") % {
            "cause": earlier.get_kind_display(), "date": earlier.decided_on.isoformat(),
            "amount": earlier.amount if earlier.amount is not None else "?",
            "number": earlier.number, "months": months,
            "next": add_months(earlier.decided_on, months).isoformat()}, code="repeat_grant")
