"""Age on a date, month arithmetic and leap days: the one implementation every app uses.

Pure Python, no Django import, so that ``policy/`` may import it too without breaking
"policy imports no Django". A person born on 29 February is a year older on 1 March in a
common year (the civil-affairs reading of 周岁), and adding months keeps the day of the
month, or the month's last day when the month is shorter.
"""
from __future__ import annotations

import calendar
import datetime as dt


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years (周岁) on ``day`` of someone born on ``birth``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (earlier if negative), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after ``day``'s."""
    return add_months(first_of_month(day), 1)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start``'s month to ``end``'s: 0 in the same month."""
    return (end.year - start.year) * 12 + end.month - start.month


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def birthday(birth: dt.date, age: int) -> dt.date:
    """The day someone born on ``birth`` reaches ``age`` (1 March for 29 February, common year)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return dt.date(birth.year + age, 3, 1)


def latest_birth_for_age(on: dt.date, age: int) -> dt.date:
    """The latest birth date of a person who is at least ``age`` on ``on``."""
    year = on.year - age
    if on.month == 2 and on.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return on.replace(year=year)
