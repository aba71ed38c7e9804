"""core/dates.py: age on a date, month arithmetic and 29 February birthdays."""
from __future__ import annotations

import ast
import datetime as dt
import pathlib
import re

import pytest

from safetynet.core import dates

D = dt.date


@pytest.mark.parametrize(("birth", "day", "age"), [
    (D(2008, 5, 10), D(2026, 5, 9), 17),
    (D(2008, 5, 10), D(2026, 5, 10), 18),
    (D(2008, 2, 29), D(2026, 2, 28), 17),  # leap-day birthday, common year: not yet
    (D(2008, 2, 29), D(2026, 3, 1), 18),   # ... a year older from 1 March
    (D(2008, 2, 29), D(2028, 2, 29), 20),  # leap year: on the day itself
])
def test_age_on(birth: dt.date, day: dt.date, age: int) -> None:
    assert dates.age_on(birth, day) == age


def test_birthday_of_29_february_falls_on_1_march_in_a_common_year() -> None:
    assert dates.birthday(D(1944, 2, 29), 81) == D(2025, 3, 1)
    assert dates.birthday(D(1948, 2, 29), 80) == D(2028, 2, 29)
    assert dates.age_on(D(1944, 2, 29), dates.birthday(D(1944, 2, 29), 81)) == 81
    assert dates.age_on(D(1944, 2, 29), D(2025, 2, 28)) == 80


@pytest.mark.parametrize(("day", "months", "result"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
    (D(2026, 1, 15), -13, D(2024, 12, 15)),
    (D(2026, 12, 1), 1, D(2027, 1, 1)),
])
def test_add_months(day: dt.date, months: int, result: dt.date) -> None:
    assert dates.add_months(day, months) == result


def test_month_end_and_latest_birth() -> None:
    assert dates.month_end(D(2028, 2, 3)) == D(2028, 2, 29)
    assert dates.latest_birth_for_age(D(2028, 2, 29), 18) == D(2010, 2, 28)
    on = D(2026, 7, 1)
    latest = dates.latest_birth_for_age(on, 18)
    assert dates.age_on(latest, on) == 18
    assert dates.age_on(latest + dt.timedelta(days=1), on) == 17


def test_dates_module_imports_no_django() -> None:
    """policy/ may import it: it must stay pure Python."""
    tree = ast.parse(pathlib.Path(dates.__file__).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith(("django", "safetynet"))]


def test_apps_use_the_one_implementation() -> None:
    from safetynet.children import rules as children
    from safetynet.discovery import rules as discovery
    from safetynet.eldercare import allowance

    assert discovery.age_on is dates.age_on
    assert allowance.age_on is dates.age_on
    assert children.add_months is dates.add_months
    assert children.birthday_threshold is dates.latest_birth_for_age


def test_first_of_month_next_month_and_months_between() -> None:
    assert dates.first_of_month(D(2028, 2, 29)) == D(2028, 2, 1)
    assert dates.next_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert dates.next_month(D(2026, 1, 31)) == D(2026, 2, 1)
    assert dates.months_between(D(2025, 11, 1), D(2026, 2, 1)) == 3
    assert dates.months_between(D(2026, 2, 1), D(2026, 2, 28)) == 0


def test_the_other_month_helpers_are_the_core_ones(db: object) -> None:
    from safetynet.benefits import months
    from safetynet.intake import documents
    from safetynet.registry import excel

    assert months.month_after is dates.next_month
    assert months.months_between is dates.months_between
    assert months.add_months(D(2026, 1, 31), 1) == D(2026, 2, 1)  # a payroll month
    assert documents._next_month is dates.next_month
    assert excel.minor_cutoff(D(2028, 2, 29)) == D(2014, 2, 28)


MONTH_ARITHMETIC = re.compile(
    r"replace\(year=|timedelta\(days=3[12]\)|replace\(day=28\)|monthrange|\.year \* 12")


def test_no_month_or_age_arithmetic_outside_core_dates() -> None:
    """Age on a date, birthdays and month arithmetic live in core/dates.py only (the demo
    data generator and the vectorised policy columns aside)."""
    root = pathlib.Path(dates.__file__).resolve().parents[1]
    found = [f"{path.relative_to(root)}:{number}: {line.strip()}"
             for path in sorted(root.rglob("*.py"))
             if path.name != "dates.py" and not {"migrations", "demo"} & set(path.parts)
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if MONTH_ARITHMETIC.search(line)]
    assert not found, "\n".join(found)
