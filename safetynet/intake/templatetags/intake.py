"""Template helpers of the single window: due-date badges, action labels, step records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from safetynet.intake import deadlines
from safetynet.intake.models import CheckSource, Step
from safetynet.intake.selectors import shown_name
from safetynet.intake.services.common import today
from safetynet.intake.workflow import ACTION_LABELS
from safetynet.registry import access
from safetynet.registry.models import Person

register = template.Library()


@register.simple_tag(takes_context=True)
def due_badge(context: template.Context, due: dt.date | None, area_code: str) -> SafeString:
    """The due date, marked when it is close (warning) or past (overdue). The warning
    period is looked up once per page and county (a list shows many dates)."""
    render_context: Any = context.render_context
    memo: dict[str, int] = render_context.setdefault("intake_warning_days", {})
    county = area_code[:6]
    if county not in memo:
        memo[county] = deadlines.limit("warning", county, today())
    urgency = deadlines.urgency(due, area_code, today(), memo[county])
    return render_to_string("intake/_due.html", {
        "due": due, "level": urgency.level if urgency else ""})


@register.filter
def action_label(action: str) -> Any:
    if action == "create":
        return _("Registered")
    return ACTION_LABELS.get(action, action)


@register.simple_tag
def step_details(step: Step) -> SafeString:
    """What the step recorded, in words (sources checked, investigators, opinion…)."""
    data = dict(step.data or {})
    if "sources" in data:
        data["sources"] = [str(CheckSource(s).label) if s in CheckSource.values else s
                           for s in data["sources"]]
    return render_to_string("intake/_step_details.html", {"step": step, "data": data})


@register.simple_tag(takes_context=True)
def person_name(context: template.Context, person: Person | None) -> str:
    """The person's name, masked for a child under 14 as on the household page."""
    return shown_name(context.get("user"), person, today())


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, person: Person | None) -> bool:
    return person is not None and access.can_open(context.get("user"), person, today())
