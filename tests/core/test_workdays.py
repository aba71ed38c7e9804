"""The working-day calendar counts weekends and public holidays off and adjusted weekend
working days on."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from safetynet.core.workdays import add_working_days, is_working_day, working_days_between


def test_weekend_and_holidays_are_off() -> None:
    assert not is_working_day(date(2022, 9, 10))  # Saturday, Mid-Autumn
    assert not is_working_day(date(2022, 9, 12))  # Monday, Mid-Autumn holiday
    assert not is_working_day(date(2022, 10, 3))  # National Day week
    assert is_working_day(date(2022, 9, 13))


def test_adjusted_weekend_days_are_working_days() -> None:
    assert date(2022, 10, 8).weekday() == 5
    assert is_working_day(date(2022, 10, 8))
    assert is_working_day(date(2022, 10, 9))


def test_five_working_days_across_national_day() -> None:
    # Posted Thursday 29 September 2022: 30 Sep, 8 Oct, 9 Oct, 10 Oct, 11 Oct.
    assert add_working_days(date(2022, 9, 29), 5) == date(2022, 10, 11)


def test_zero_days_moves_to_the_next_working_day() -> None:
    assert add_working_days(date(2022, 10, 1), 0) == date(2022, 10, 8)
    assert add_working_days(date(2022, 9, 13), 0) == date(2022, 9, 13)


@given(st.dates(date(2021, 1, 1), date(2027, 12, 31)), st.integers(0, 60))
def test_between_is_the_inverse_of_add(start: date, days: int) -> None:
    end = add_working_days(start, days)
    assert is_working_day(end)
    expected = days if days else (0 if is_working_day(start) else 1)
    assert working_days_between(start, end) == expected
    assert working_days_between(end, start) == -expected
