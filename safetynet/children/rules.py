"""Dated parameters of child protection, read for an area on a date, and date arithmetic
(visit intervals in months, hotline time limits in working days)."""

from __future__ import annotations

import calendar
import datetime as dt

from safetynet.core.workdays import add_working_days, working_days_between
from safetynet.rules.parameters import current_parameters

VISIT_MONTHS = "children.visit_months"
HOTLINE_LIMITS = "children.hotline_deadlines"
FIRST_VISIT_MONTHS = 1  # a newly registered child is first visited within a month


def _keyed(name: str, area_code: str, on: dt.date) -> dict[str, int]:
    dated = current_parameters()[name].for_area(area_code, on)
    if dated is None or not isinstance(dated.value, dict):
        raise LookupError(f"{name} has no value for {area_code} on {on}")
    return dict(dated.value)


def visit_intervals(area_code: str, on: dt.date) -> dict[str, int]:
    """Months between visits by category."""
    return _keyed(VISIT_MONTHS, area_code, on)


def hotline_limit(key: str, area_code: str, on: dt.date) -> int:
    return _keyed(HOTLINE_LIMITS, area_code, on)[key]


def hotline_due(key: str, area_code: str, start: dt.date) -> dt.date:
    return add_working_days(start, hotline_limit(key, area_code, start))


def working_days_late(due: dt.date, on: dt.date) -> int:
    """Working days from ``due`` to ``on`` (0 when not late)."""
    return working_days_between(due, on) if on > due else 0


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it has fewer days."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def birthday_threshold(on: dt.date, age: int) -> dt.date:
    """The latest birth date of a person who is at least ``age`` on ``on``."""
    year = on.year - age
    if on.month == 2 and on.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return on.replace(year=year)
