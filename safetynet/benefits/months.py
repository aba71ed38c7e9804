"""Months as the payroll and the enrolments count them: the first day of the month.

The arithmetic is core/dates.py's; this module only adds the payroll's period format."""

from __future__ import annotations

import re
from datetime import date

from safetynet.core import dates
from safetynet.core.dates import first_of_month, months_between  # noqa: F401  (re-exported)

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after (before, if negative) ``month``."""
    return dates.add_months(first_of_month(month), count)


month_after = dates.next_month


def parse_period(text: str) -> date:
    """``"2022-09"`` (or ``"2022-09-01"``) -> date(2022, 9, 1); ValueError when malformed."""
    cleaned = text.strip()[:7]
    match = PERIOD_RE.match(cleaned)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"
