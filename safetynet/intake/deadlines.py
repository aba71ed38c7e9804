"""Due dates of the single window, from the dated time-limit parameters and the
working-day calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safetynet.core.workdays import add_working_days, working_days_between
from safetynet.intake.models import Application, State
from safetynet.rules.parameters import current_parameters

LIMITS = "intake.deadlines"
NOTICE_DAYS = "intake.notice_days"


def limit(name: str, area_code: str, on: dt.date) -> int:
    """One time limit in working days (a key of ``intake.deadlines``)."""
    dated = current_parameters()[LIMITS].for_area(area_code, on)
    if dated is None or not isinstance(dated.value, dict):
        raise LookupError(f"{LIMITS} has no value for {area_code} on {on}")
    return int(dated.value[name])


def notice_days(area_code: str, on: dt.date) -> int:
    dated = current_parameters()[NOTICE_DAYS].for_area(area_code, on)
    if dated is None:
        raise LookupError(f"{NOTICE_DAYS} has no value for {area_code} on {on}")
    return int(dated.value)  # type: ignore[arg-type]


def notice_end(area_code: str, start: dt.date) -> dt.date:
    """The last day of a notice posted on ``start`` (the posting day counts as day one
    when it is a working day)."""
    first = add_working_days(start, 0)
    return add_working_days(first, notice_days(area_code, start) - 1)


# State → (time-limit key, counted from): the due date of the step the state waits for.
_STEP_LIMITS = {
    State.RECEIVED: ("acceptance", "created"),
    State.ACCEPTED: ("township_review", "accepted"),
    State.CHECKED: ("township_review", "accepted"),
    State.VISITED: ("township_review", "accepted"),
    State.REVIEWED: ("notice_start", "today"),
    State.APPRAISAL: ("appraisal", "today"),
    State.COUNTY: ("county_approval", "today"),
    State.GRANTED: ("temporary_paperwork", "today"),
}
_DECIDED = frozenset({State.APPROVED, State.REFUSED, State.REFERRED})


def due_dates(app: Application, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """(current step due, whole procedure due) for the application as it now stands."""
    code = app.area.code
    overall = None
    if app.accepted_on:
        key = "extended_path" if app.extended else "whole_path"
        overall = add_working_days(app.accepted_on, limit(key, code, app.accepted_on))
    if app.state == State.NOTICE:
        return app.notice_end, overall
    if app.state in _DECIDED:
        if app.resident_informed_on:
            return None, None
        decided = app.decided_on or today
        return add_working_days(decided, limit("decision_letter", code, decided)), None
    if app.state not in _STEP_LIMITS:
        return None, None
    key, origin = _STEP_LIMITS[app.state]  # type: ignore[index]
    start = {"created": app.created_at.date() if app.created_at else today,
             "accepted": app.accepted_on or today, "today": today}[origin]
    step = add_working_days(start, limit(key, code, start))
    if overall and app.state != State.GRANTED:
        step = min(step, overall)
    return step, overall


@dataclass(frozen=True)
class Urgency:
    level: str  # "overdue", "soon" or "ok"
    working_days_left: int


def urgency(due_on: dt.date | None, area_code: str, today: dt.date,
            warning: int | None = None) -> Urgency | None:
    """How close a due date is; ``warning`` (working days) saves a parameter lookup when a
    list shows many dates of one county."""
    if due_on is None:
        return None
    left = working_days_between(today, due_on)
    if due_on < today:
        return Urgency("overdue", left)
    if left <= (limit("warning", area_code, today) if warning is None else warning):
        return Urgency("soon", left)
    return Urgency("ok", left)
