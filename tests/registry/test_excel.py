"""The Excel layout: the template, its round trip, and the export of one's own households."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine
from django.utils import translation

from safetynet.core.actor import Actor
from safetynet.registry import excel, imports, services
from safetynet.registry.models import DuplicateFlag, Household, IncomeItem, Person
from safetynet.registry.models_imports import ImportMode
from tests.conftest import VILLAGE_A, VILLAGE_A2, VILLAGE_B, make_household
from tests.registry.test_import import ID_MAN, ID_WOMAN

VILLAGES = [(VILLAGE_A, "牛山镇", "东村"), (VILLAGE_A2, "牛山镇", "城东社区")]


@pytest.fixture(autouse=True)
def chinese() -> Any:
    with translation.override("zh-hans"):
        yield


def title(key: str) -> str:
    return excel.title(excel.BY_KEY[key])


def sheets(path: Path) -> dict[str, list[list[Any]]]:
    workbook = python_calamine.CalamineWorkbook.from_path(path)
    return {name: workbook.get_sheet_by_name(name).to_python()
            for name in workbook.sheet_names}


def test_the_template_has_chinese_headers_and_a_codes_sheet(tmp_path) -> None:
    path = tmp_path / "template.xlsx"
    excel.write_template(path, VILLAGES)
    persons, codes, _lists = sheets(path).values()
    assert persons[0] == [excel.header(col) for col in excel.COLUMNS]
    assert all(not text.isascii() for text in persons[0])  # the catalogue's or our Chinese
    assert len(persons) == 1  # no data rows
    text = "\n".join(" ".join(map(str, row)) for row in codes)
    rural = excel.value_labels(excel.BY_KEY["hukou"])["rural"]
    assert f"{rural} (rural)" in text and VILLAGE_A2 in text


def test_the_template_headers_follow_the_language(tmp_path) -> None:
    path = tmp_path / "template.xlsx"
    with translation.override("en"):
        excel.write_template(path, VILLAGES)
    header = next(iter(sheets(path).values()))[0]
    assert header[0] == "Household key *" and "ID number" in header


def fill_template(template: Path, rows: list[dict[str, Any]], out: Path) -> Path:
    """Type rows into the downloaded template, as a clerk does in Excel."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    lookup = excel.header_lookup()
    keys = [lookup[excel.normalize(cell.value)].key for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(key) for key in keys])
    workbook.save(out)
    return out


def test_template_round_trip(tmp_path, clerk) -> None:
    template = tmp_path / "template.xlsx"
    excel.write_template(template, VILLAGES)
    filled = fill_template(template, [
        {"household_key": "1", "area_code": VILLAGE_A, "hukou": "农村", "address": "东村3组",
         "name": "赵大", "id_number": ID_MAN, "relation": "户主", "income_farming": 800,
         "disability_category": "肢体残疾", "disability_grade": "三级"},
        {"household_key": "1", "name": "赵小", "id_number": ID_WOMAN, "relation": "子女",
         "full_time_student": "是"},
    ], tmp_path / "filled.xlsx")
    plan = imports.check_file(filled, Actor.of(clerk))
    assert plan.errors == []
    imports.write(plan.importable(ImportMode.ALL_OR_NOTHING), Actor.of(clerk))
    head = Person.objects.get(name="赵大")
    assert (head.disability_category, head.disability_grade) == ("physical", 3)
    assert head.incomes.get().monthly_amount == Decimal("800.00")
    assert Person.objects.get(name="赵小").full_time_student is True


def registry_snapshot() -> list[tuple[Any, ...]]:
    persons = Person.objects.select_related("household").prefetch_related("incomes")
    return sorted(
        (p.name, p.id_number, p.sex, p.birth_date, p.relation, p.phone, p.disability_category,
         p.disability_grade, p.serious_illness, p.self_care, p.household.area_id,
         p.household.hukou, p.household.address, p.household.phone,
         p.household.bank_account, sorted((i.kind, i.monthly_amount) for i in p.incomes.all()),
         sorted(m.name for m in p.household.members.all()))
        for p in persons)


def test_an_unmasked_export_imports_again_into_an_empty_registry(tmp_path, clerk) -> None:
    household = make_household(clerk, name="钱一", members=2, phone="13912345678")
    services.update_household(Actor.of(clerk), household, {"bank_account": "6228480012345671",
                                                           "phone": "0518-87654321"})
    head = household.members.get(relation="head")
    services.update_person(Actor.of(clerk), head, {"disability_category": "visual",
                                                   "disability_grade": 1, "serious_illness": True})
    IncomeItem.objects.create(person=head, kind="wages", monthly_amount=Decimal("1500.50"))
    make_household(clerk, village=VILLAGE_A2, name="孙二", id_number=None, sex="F",
                   birth_date=date(1960, 6, 1))
    before = registry_snapshot()
    path = tmp_path / "export.xlsx"
    assert excel.export_persons(clerk, path, masked=False) == 4
    IncomeItem.objects.all().delete()
    DuplicateFlag.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()
    plan = imports.check_file(path, Actor.of(clerk))
    assert plan.errors == []
    imports.write(plan.importable(ImportMode.ALL_OR_NOTHING), Actor.of(clerk))
    assert registry_snapshot() == before


def test_the_export_masks_numbers_by_default(tmp_path, clerk) -> None:
    make_household(clerk, name="周三", id_number=ID_MAN, phone="13912345678")
    path = tmp_path / "export.xlsx"
    excel.export_persons(clerk, path)
    header, row = next(iter(sheets(path).values()))
    values = dict(zip(header, row, strict=True))
    assert values[title("id_number")] == "320722********0019"
    assert values[title("phone")] == "139****5678"
    plan = imports.check_file(path, Actor.of(clerk))
    assert any("*" in e.value and e.column == title("id_number") for e in plan.errors)


def test_the_export_contains_only_the_users_township(tmp_path, clerk, clerk_b) -> None:
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    make_household(clerk_b, village=VILLAGE_B, name="外镇人", id_number=ID_WOMAN)
    path = tmp_path / "export.xlsx"
    assert excel.export_persons(clerk, path) == 1
    rows = next(iter(sheets(path).values()))
    assert "本镇人" in rows[1] and not any("外镇人" in row for row in rows)


def test_the_export_can_be_limited_to_one_village(tmp_path, clerk) -> None:
    make_household(clerk, name="东村人", id_number=ID_MAN)
    make_household(clerk, village=VILLAGE_A2, name="社区人", id_number=ID_WOMAN)
    assert excel.export_persons(clerk, tmp_path / "one.xlsx", area_code=VILLAGE_A2) == 1


def test_the_export_leaves_out_the_dead_and_dissolved(tmp_path, clerk) -> None:
    household = make_household(clerk, name="吴四", members=1)
    services.mark_deceased(Actor.of(clerk), household.members.get(relation="child"), date(2020, 1,
                           1))
    assert excel.export_persons(clerk, tmp_path / "e.xlsx") == 1
