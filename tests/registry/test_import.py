"""Checking and writing an Excel file of households: every row, the file, the database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from django.utils import translation

from safetynet.core import idnumber
from safetynet.core.actor import Actor
from safetynet.registry import excel, imports
from safetynet.registry.models import DuplicateFlag, Household, IncomeItem, Person
from safetynet.registry.models_imports import ImportMode
from tests.conftest import VILLAGE_A, VILLAGE_A2, VILLAGE_B, make_household

ID_MAN = "320722199001010019"
ID_WOMAN = "320722201003150023"
ID_OLD = "11010519491231002X"
ID_4 = idnumber.make("320722", date(1980, 1, 1), 11)
ID_5 = idnumber.make("320722", date(1950, 1, 1), 13)


@pytest.fixture(autouse=True)
def english() -> Any:
    """Messages are asserted in English; the file's Chinese headers are read regardless."""
    with translation.override("en"):
        yield


def member(key: str = "1", **values: Any) -> dict[str, Any]:
    """One person row of a new household in village A, as a clerk would fill it in."""
    return {"household_key": key, "area_code": VILLAGE_A, "hukou": "农村",
            "address": "东村1组", "relation": "户主", **values}


def xlsx(path: Path, rows: list[dict[str, Any]], headers: list[str] | None = None) -> Path:
    """A workbook with the template's header (or ``headers``) and ``rows`` (column key → value)."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    columns = list(excel.COLUMNS)
    sheet.write_row(0, 0, headers or [col.zh for col in columns])
    for r, row in enumerate(rows, start=1):
        for c, col in enumerate(columns):
            value = row.get(col.key)
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return path


def check(tmp_path: Path, user: Any, rows: list[dict[str, Any]]) -> imports.Plan:
    return imports.check_file(xlsx(tmp_path / "in.xlsx", rows), Actor.of(user))


def messages(plan: imports.Plan, row: int | None = None) -> list[str]:
    return [e.message for e in plan.errors if row is None or e.row == row]


def test_a_valid_file_checks_clean_and_writes_households_with_history(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [
        member("A", name="张三", id_number=ID_MAN, bank_account="6228480012345671",
               income_wages=1200),
        member("A", name="李梅", id_number=ID_WOMAN, relation="子女"),
        member("B", name="王婆", id_number=ID_OLD, area_code=VILLAGE_A2, hukou="urban"),
    ])
    assert plan.errors == [] and plan.total_rows == 3
    written = imports.write(plan.importable(ImportMode.ALL_OR_NOTHING), Actor.of(clerk))
    assert (written.households, written.persons) == (2, 3)
    head = Person.objects.get(id_number=ID_MAN)
    assert head.relation == "head" and head.household.bank_account == "6228480012345671"
    assert head.household.number == f"{VILLAGE_A}00001"
    assert head.household.members.count() == 2
    assert Person.objects.get(id_number=ID_WOMAN).birth_date == date(2010, 3, 15)
    assert IncomeItem.objects.get(person=head).monthly_amount == Decimal("1200.00")
    history = head.history.get()
    assert history.history_user == clerk and history.history_change_reason == "Excel import"
    assert Household.history.count() == 2 and IncomeItem.history.count() == 1


def test_wrong_check_character_names_the_expected_one(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [member(name="错号", id_number="110105194912310021")])
    (error,) = plan.errors
    assert error.row == 2 and error.value == "110105194912310021"
    assert "X" in error.message and error.column == "公民身份号码"


def test_good_and_bad_rows_all_or_nothing_writes_nothing(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [
        member("1", name="好人", id_number=ID_MAN),
        member("2", name="坏日期", birth_date="1990-13-01", sex="男"),
    ])
    assert [e.row for e in plan.errors] == [3]
    assert plan.importable(ImportMode.ALL_OR_NOTHING) == []


def test_valid_rows_mode_skips_whole_households_with_an_error(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [
        member("1", name="好人", id_number=ID_MAN),
        member("2", name="好户主", id_number=ID_OLD),
        member("2", name="坏成员", id_number="320722201003150024", relation="子女"),
    ])
    assert {e.row for e in plan.errors} == {4}
    households = plan.importable(ImportMode.VALID_ROWS)
    assert [h.key for h in households] == ["1"]
    imports.write(households, Actor.of(clerk))
    assert list(Person.objects.values_list("name", flat=True)) == ["好人"]
    skipped = [line for line in imports.report_lines(plan, ImportMode.VALID_ROWS)
               if line.row == 3]
    assert skipped and "4" in skipped[0].message


def test_an_id_number_already_registered_names_person_and_household(tmp_path, clerk) -> None:
    existing = make_household(clerk, name="原户主", id_number=ID_MAN)
    plan = check(tmp_path, clerk, [member(name="新人", id_number=ID_MAN.lower())])
    (message,) = messages(plan)
    assert "原户主" in message and existing.number in message


def test_an_id_number_registered_in_another_township_is_a_duplicate_without_names(
        tmp_path, clerk, clerk_b) -> None:
    make_household(clerk_b, village=VILLAGE_B, name="外乡人", id_number=ID_MAN)
    plan = check(tmp_path, clerk, [member(name="新人", id_number=ID_MAN)])
    (message,) = messages(plan)
    assert "another area" in message and "外乡人" not in message


def test_an_id_number_twice_in_the_file_names_the_first_row(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [member("1", name="甲", id_number=ID_MAN),
                                   member("2", name="乙", id_number=ID_MAN)])
    assert messages(plan, 3) == [f"ID number {ID_MAN} also appears in row 2"]


def test_another_townships_village_is_a_row_error(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [member(name="越界", id_number=ID_MAN, area_code=VILLAGE_B),
                                   member("2", name="无村", id_number=ID_WOMAN,
                                          area_code="320722100399")])
    assert VILLAGE_B in messages(plan, 2)[0]
    assert "320722100399" in messages(plan, 3)[0]
    assert plan.importable(ImportMode.VALID_ROWS) == []


def test_each_new_household_needs_exactly_one_head(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [
        member("1", name="甲", id_number=ID_MAN, relation="配偶"),
        member("1", name="乙", id_number=ID_WOMAN, relation="子女"),
        member("2", name="丙", id_number=ID_OLD),
        member("2", name="丁", id_number=ID_4),
        member("3", name="独居", id_number=ID_5, relation=None),
    ])
    assert len(messages(plan, 2)) == 1 and messages(plan, 3) == []
    assert messages(plan, 4) == [] and len(messages(plan, 5)) == 1
    assert messages(plan, 6) == []  # a lone person is the head


def test_rows_can_join_an_existing_household(tmp_path, clerk) -> None:
    household = make_household(clerk, name="老户主")
    plan = check(tmp_path, clerk, [{"household_key": household.number, "name": "新成员",
                                    "id_number": ID_WOMAN, "relation": "子女"}])
    assert plan.errors == []
    written = imports.write(plan.importable(ImportMode.ALL_OR_NOTHING), Actor.of(clerk))
    assert (written.households, written.persons) == (0, 1)
    assert household.members.count() == 2


def test_a_household_outside_the_users_areas_cannot_be_joined(tmp_path, clerk, clerk_b) -> None:
    other = make_household(clerk_b, village=VILLAGE_B)
    plan = check(tmp_path, clerk, [{"household_key": other.number, "name": "混入",
                                    "id_number": ID_WOMAN, "relation": "子女"}])
    assert "not in your areas" in messages(plan)[0]


def test_household_columns_must_agree_within_a_household(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [member("1", name="甲", id_number=ID_MAN),
                                   member("1", name="乙", id_number=ID_WOMAN, relation="子女",
                                          address="别处")])
    (error,) = plan.errors
    assert error.row == 3 and error.value == "别处" and "2" in error.message


def test_codes_are_read_in_chinese_english_or_as_codes(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [
        member("1", name="甲", sex="男", birth_date="1990年1月1日", relation="户主",
               disability_category="肢体", disability_grade="二级", serious_illness="是"),
        member("2", name="乙", sex="Female", birth_date=date(1985, 5, 6),
               relation="Head of household", hukou="Urban", self_care="partial",
               full_time_student="no"),
        member("3", name="丙", sex="F", birth_date="19800101", relation="head", hukou="rural",
               marital_status="丧偶", education="小学", employment="务农"),
    ])
    assert plan.errors == []
    first, second, third = (h.rows[0].person for h in plan.households.values())
    assert (first["sex"], first["disability_category"], first["disability_grade"],
            first["serious_illness"]) == ("M", "physical", 2, True)
    assert (second["sex"], second["self_care"], second["full_time_student"]) == (
        "F", "partial", False)
    assert third["birth_date"] == date(1980, 1, 1) and third["education"] == "primary"


def test_bad_cells_are_reported_with_their_column(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [member(
        name="甲", id_number=ID_MAN, sex="不知", disability_category="肢体",
        income_wages="很多", phone="abc", bank_account="6228**********78")])
    columns = {e.column for e in plan.errors}
    assert {"性别", "工资性收入（元/月）", "联系电话", "银行账号", "残疾等级"} <= columns
    assert any("masked" in m for m in messages(plan))


def test_an_id_number_saved_as_a_number_is_reported(tmp_path, clerk) -> None:
    plan = check(tmp_path, clerk, [member(name="数字", id_number=320722199001010019)])
    assert "lost digits" in messages(plan)[0]


def test_a_missing_required_column_rejects_the_file(tmp_path, clerk) -> None:
    path = tmp_path / "bad.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    workbook.add_worksheet().write_row(0, 0, ["姓名", "性别"])
    workbook.close()
    plan = imports.check_file(path, Actor.of(clerk))
    assert plan.errors[0].row == 1
    assert plan.errors[0].message == "Required columns are missing: Household key"


def test_english_headers_are_read_whatever_the_language(tmp_path, clerk) -> None:
    headers = [excel.msgid(col.label) for col in excel.COLUMNS]
    path = xlsx(tmp_path / "en.xlsx", [member(name="甲", id_number=ID_MAN)], headers)
    with translation.override("zh-hans"):
        plan = imports.check_file(path, Actor.of(clerk))
    assert plan.errors == [] and plan.total_rows == 1


def test_household_numbers_continue_the_villages_numbering(tmp_path, clerk) -> None:
    make_household(clerk, name="先来")
    plan = check(tmp_path, clerk, [member(name="后到", id_number=ID_WOMAN)])
    imports.write(plan.importable(ImportMode.ALL_OR_NOTHING), Actor.of(clerk))
    assert Person.objects.get(name="后到").household.number == f"{VILLAGE_A}00002"


def test_persons_without_id_like_existing_ones_are_flagged(tmp_path, clerk) -> None:
    make_household(clerk, name="王五", id_number=ID_MAN)
    plan = check(tmp_path, clerk, [member(name="王五", sex="男", birth_date="1990-01-01")])
    imports.write(plan.importable(ImportMode.ALL_OR_NOTHING), Actor.of(clerk))
    assert DuplicateFlag.objects.filter(status="open").count() == 1


def test_checking_does_not_query_per_row(tmp_path, clerk, django_assert_max_num_queries) -> None:
    rows = [member(str(i // 2), name=f"人{i}", relation="户主" if i % 2 == 0 else "子女",
                   id_number=idnumber.make("320722", date(1950 + i % 50, 1, 1), i))
            for i in range(300)]
    path = xlsx(tmp_path / "many.xlsx", rows)
    with django_assert_max_num_queries(8):
        plan = imports.check_file(path, Actor.of(clerk))
    assert plan.errors == [] and plan.total_rows == 300


@pytest.mark.parametrize(("text", "expected"), [
    ("1990-01-31", date(1990, 1, 31)), ("1990/1/31", date(1990, 1, 31)),
    ("1990.01.31", date(1990, 1, 31)), ("19900131", date(1990, 1, 31)),
    ("1990年1月31日", date(1990, 1, 31)), (32904.0, date(1990, 1, 31)),
    (19900131.0, date(1990, 1, 31)),
])
def test_dates_in_the_spellings_clerks_use(text, expected) -> None:
    assert imports._to_date(text) == expected


def test_a_zip_bomb_is_refused_before_reading(tmp_path, clerk, monkeypatch) -> None:
    monkeypatch.setattr(excel, "MAX_UNPACKED_BYTES", 1000)
    plan = check(tmp_path, clerk, [member(name="甲", id_number=ID_MAN)])
    assert plan.errors[0].row == 1 and "500 MB" in plan.errors[0].message


def test_a_file_that_is_no_workbook_is_one_error(tmp_path, clerk) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    plan = imports.check_file(path, Actor.of(clerk))
    assert len(plan.errors) == 1 and "readable" in plan.errors[0].message
