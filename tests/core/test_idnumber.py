from datetime import date

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from safetynet.core import idnumber


@pytest.mark.parametrize("value,birth,sex", [
    ("11010519491231002X", date(1949, 12, 31), "F"),
    ("320722199001010019", date(1990, 1, 1), "M"),
    ("320722201003150023", date(2010, 3, 15), "F"),
])
def test_published_examples_are_valid(value: str, birth: date, sex: str) -> None:
    parsed = idnumber.parse(value)
    assert (parsed.birth_date, parsed.sex) == (birth, sex)


def test_lower_case_x_is_accepted_and_stored_upper() -> None:
    assert idnumber.parse("11010519491231002x").value == "11010519491231002X"


def test_wrong_check_character_names_the_right_one() -> None:
    with pytest.raises(idnumber.IdNumberError, match="X"):
        idnumber.parse("110105194912310021")


def test_error_is_in_chinese_by_default() -> None:
    with translation.override("zh-hans"), pytest.raises(idnumber.IdNumberError,
                                                        match="第18位校验码应为 X"):
        idnumber.parse("110105194912310021")


def test_abolished_region_code_is_not_rejected() -> None:
    assert idnumber.is_valid(idnumber.make("320721", date(1980, 5, 6), 123))


@pytest.mark.parametrize("value", [
    "32072219900101001", "3207221990010100199", "32072219901301001X", "A20722199001010019",
])
def test_malformed_numbers_are_rejected(value: str) -> None:
    assert not idnumber.is_valid(value)


@translation.override("en")
def test_future_and_pre_1880_birth_dates_are_rejected() -> None:
    with pytest.raises(idnumber.IdNumberError, match="future"):
        idnumber.parse(idnumber.make("320722", date(2030, 1, 1), 1), today=date(2026, 1, 1))
    with pytest.raises(idnumber.IdNumberError, match="1880"):
        idnumber.parse(idnumber.make("320722", date(1879, 12, 31), 1))


@given(st.dates(date(1880, 1, 1), date(2025, 12, 31)), st.integers(0, 999))
def test_made_numbers_round_trip(birth: date, sequence: int) -> None:
    parsed = idnumber.parse(idnumber.make("320722", birth, sequence))
    assert parsed.birth_date == birth
    assert parsed.sex == ("M" if sequence % 2 else "F")


@given(st.dates(date(1880, 1, 1), date(2025, 12, 31)), st.integers(0, 999),
       st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_is_detected(birth: date, seq: int, pos: int, delta: int) -> None:
    value = idnumber.make("320722", birth, seq)
    changed = value[:pos] + str((int(value[pos]) + delta) % 10) + value[pos + 1:]
    assert not idnumber.is_valid(changed) or changed[:17] == value[:17]
