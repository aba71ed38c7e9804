"""The working-day calendar: weekends and public holidays off, adjusted weekend days on.

Legal time limits (受理、审核、审批、转办) count working days. The holiday table is data in
``holidays.yaml``; a year not in the table counts weekends only.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import yaml

HOLIDAYS_FILE = Path(__file__).with_name("holidays.yaml")
ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=1)
def _calendar() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    data = yaml.safe_load(HOLIDAYS_FILE.read_text(encoding="utf-8")) or {}
    off: set[dt.date] = set()
    work: set[dt.date] = set()
    for year in data.values():
        for first, last in year.get("holidays", []):
            off.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
        work.update(year.get("workdays", []))
    return frozenset(off), frozenset(work)


def is_working_day(day: dt.date) -> bool:
    off, work = _calendar()
    if day in work:
        return True
    return day.weekday() < 5 and day not in off


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted).

    With ``days`` = 0 the result is ``start`` if it is a working day, else the next one.
    """
    day = start
    if days <= 0:
        while not is_working_day(day):
            day += ONE_DAY
        return day
    remaining = days
    while remaining:
        day += ONE_DAY
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if end < start)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += is_working_day(day)
    return count
