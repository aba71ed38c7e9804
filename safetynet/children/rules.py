"""Dated parameters of child protection, read for an area on a date, and date arithmetic
(visit intervals in months, hotline time limits in working days)."""

from __future__ import annotations

import datetime as dt

from safetynet.core.dates import add_months, latest_birth_for_age, month_end  # noqa: F401
from safetynet.core.workdays import add_working_days, working_days_between
from safetynet.rules.parameters import current_parameters, parameter_value

VISIT_MONTHS = "children.visit_months"
HOTLINE_LIMITS = "children.hotline_deadlines"
MINOR_AGE = "children.minor_age"
FIRST_VISIT_MONTHS = "children.first_visit_months"  # a new child is first visited within


def _keyed(name: str, area_code: str, on: dt.date) -> dict[str, int]:
    dated = current_parameters()[name].for_area(area_code, on)
    if dated is None or not isinstance(dated.value, dict):
        raise LookupError(f"{name} has no value for {area_code} on {on}")
    return dict(dated.value)


def first_visit_due(registered_on: dt.date, area_code: str) -> dt.date:
    """A newly registered child is first visited within ``children.first_visit_months``."""
    return add_months(registered_on,
                      parameter_value(FIRST_VISIT_MONTHS, area_code, registered_on))


def minor_age(area_code: str, on: dt.date) -> int:
    """The age below which a person is a minor (``children.minor_age``, 18)."""
    return parameter_value(MINOR_AGE, area_code, on)


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


birthday_threshold = latest_birth_for_age
