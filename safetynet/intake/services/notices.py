"""The public notice of an application: posting (never with a minor named), objections,
closing, and the democratic appraisal of objections.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from safetynet.core import audit
from safetynet.core.actor import Actor
from safetynet.core.dates import age_on
from safetynet.intake import deadlines
from safetynet.intake.models import Application, Objection
from safetynet.intake.services.common import _date, today
from safetynet.rules.parameters import parameter_value

MINOR_AGE = "children.minor_age"  # nobody under it (18) is ever named on a public notice


def has_minor(app: Application, on: dt.date) -> bool:
    people = [p for p in (app.applicant, app.beneficiary) if p is not None]
    adult = parameter_value(MINOR_AGE, app.area_id, on)
    return any(_age(p.birth_date, on) < adult for p in people)


_age = age_on


def _post_notice(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    if has_minor(app, today()):
        raise ValidationError(_("Minors are never put on a public notice: send this case "
                                "to the county directly."), code="minor")
    start = _date(data, "notice_start")
    if start > today():
        raise ValidationError({"notice_start": _("The notice cannot be posted in the future.")})
    backdated = _backdate_reason(start, data)
    app.notice_start, app.notice_end = start, deadlines.notice_end(app.area.code, start)
    recorded = {"notice_start": start.isoformat(), "notice_end": app.notice_end.isoformat()}
    if backdated:
        recorded["backdate_reason"] = backdated
        audit.record("intake.notice.backdated", user=actor, obj=app,
                     notice_start=start.isoformat(), recorded_on=today().isoformat(),
                     reason=backdated[:200])
    return recorded


def _backdate_reason(start: dt.date, data: dict[str, Any]) -> str:
    """A posting date before today needs the reason it is recorded late."""
    reason = str(data.get("backdate_reason") or "").strip()
    if start < today() and not reason:
        raise ValidationError({"backdate_reason": _(
            "The notice is recorded as posted on %(d)s, before today: say why it is "
            "recorded late.") % {"d": start.isoformat()}})
    return reason if start < today() else ""


def _object(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    received = _date(data, "received_on")
    Objection.objects.create(application=app, received_on=received, recorded_by=actor.user,
                             objector=str(data.get("objector", "")), content=data["content"])
    return {"received_on": received.isoformat()}


def notice_over(app: Application, on: dt.date) -> bool:
    return app.notice_end is not None and on > app.notice_end


def _require_notice_over(app: Application) -> None:
    if not notice_over(app, today()):
        end = app.notice_end.isoformat() if app.notice_end else "?"
        raise ValidationError(_("The public notice runs until %(end)s; it can only be closed "
                                "after that day.") % {"end": end}, code="notice")


def _close_notice(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    _require_notice_over(app)
    if app.objections.exists():
        raise ValidationError(_("The notice drew objections: close it for democratic "
                                "appraisal."), code="objections")
    return {}


def _to_appraisal(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    _require_notice_over(app)
    if not app.objections.exists():
        raise ValidationError(_("No objection was recorded: close the notice and send the "
                                "case to the county."), code="objections")
    return {}


def _appraise(app: Application, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    app.objections.filter(handled=False).update(handled=True, outcome=str(data["outcome"]))
    return {"appraisal": str(data["appraisal"]), "outcome": str(data["outcome"])}
