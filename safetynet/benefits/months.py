"""Months as the payroll and the enrolments count them: the first day of the month."""

from __future__ import annotations

import re
from datetime import date

PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})$")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after (before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_after(day: date) -> date:
    return add_months(first_of_month(day), 1)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (both first days): 0 when equal."""
    return (end.year - start.year) * 12 + end.month - start.month


def parse_period(text: str) -> date:
    """``"2022-09"`` (or ``"2022-09-01"``) -> date(2022, 9, 1); ValueError when malformed."""
    cleaned = text.strip()[:7]
    match = PERIOD_RE.match(cleaned)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month as YYYY-MM, got {text!r}")
    return date(int(match.group(1)), int(match.group(2)), 1)


def label(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"
