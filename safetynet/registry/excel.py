"""The Excel layout of households and persons: the template, reading a file, writing rows.

One row per person. Household columns repeat on every member's row; the household key
groups rows into one household (a key local to the file, or an existing household
number). The same layout serves the downloadable template, the export and the import,
so an export can be filled in and imported again.

Headers are written in the user's language (gettext, with the Chinese text below as the
fallback while the zh-Hans catalogue lacks them) and read in any language: a header
matches its column key, its English text, its Chinese text or its current translation.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import python_calamine
import xlsxwriter
from django.conf import settings
from django.db.models import Case, Choices, IntegerField, QuerySet, Value, When
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from safetynet.core import masking
from safetynet.core.dates import latest_birth_for_age
from safetynet.core.jurisdiction import scope
from safetynet.registry import choices as c
from safetynet.registry.access import CHILD_AGE
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import highest_in_force

TEXT, DIGITS, IDNUM, CHOICE, GRADE, DATE, BOOL, MONEY, INT = (
    "text", "digits", "id", "choice", "grade", "date", "bool", "money", "int")
HOUSEHOLD, PERSON, INCOME = "household", "person", "income"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise  # English msgid, translated when written
    zh: str  # Chinese header, used when the catalogue has no translation yet
    kind: str
    part: str  # HOUSEHOLD, PERSON or INCOME
    help: Promise
    choices: type[Choices] | None = None
    required: bool = False
    width: int = 12

    @property
    def field(self) -> str:
        """The model field (or income kind) the column fills."""
        return {"household_phone": "phone"}.get(self.key, self.key.removeprefix("income_"))


def _col(key: str, label: Promise, zh: str, kind: str, part: str, help_: Promise,
         **extra: Any) -> Column:
    return Column(key, label, zh, kind, part, help_, **extra)


H, P, IN = HOUSEHOLD, PERSON, INCOME
COLUMNS: tuple[Column, ...] = (
    _col("household_key", _("Household key"), "家庭编号", TEXT, H, _(
        "The same key on the row of every member; any text (1, 2, A…) for a new household, "
        "or the number of an existing household to add members to it"), required=True, width=18),
    _col("area_code", _("Village code"), "村（社区）代码", DIGITS, H, _(
        "12-digit division code of a village or community in your areas (sheet Codes); "
        "required for a new household"), width=15),
    _col("hukou", _("Hukou type"), "户口性质", CHOICE, H, _("required for a new household"),
         choices=c.Hukou),
    _col("address", _("Address"), "家庭住址", TEXT, H, _("required for a new household"),
         width=24),
    _col("household_phone", _("Household phone"), "家庭电话", DIGITS, H, _("optional")),
    _col("bank_name", _("Paying bank"), "开户银行", TEXT, H, _("optional"), width=16),
    _col("bank_account", _("Benefit card account"), "银行账号", DIGITS, H, _(
        "digits only; format the column as text so Excel keeps every digit"), width=22),
    _col("name", _("Name"), "姓名", TEXT, P, _("required"), required=True),
    _col("id_number", _("ID number"), "公民身份号码", IDNUM, P, _(
        "18 characters, checked with the check character; birth date and sex are read from "
        "it; leave empty only for a person without one"), width=21),
    _col("sex", _("Sex"), "性别", CHOICE, P, _("required if there is no ID number"),
         choices=c.Sex, width=8),
    _col("birth_date", _("Birth date"), "出生日期", DATE, P, _(
        "required if there is no ID number; e.g. 1990-01-31"), width=12),
    _col("relation", _("Relation to head"), "与户主关系", CHOICE, P, _(
        "exactly one head in each new household; may be left empty for a one-person household"),
         choices=c.Relation),
    _col("phone", _("Phone"), "联系电话", DIGITS, P, _("optional"), width=14),
    _col("marital_status", _("Marital status"), "婚姻状况", CHOICE, P, _("optional"),
         choices=c.MaritalStatus),
    _col("education", _("Education"), "文化程度", CHOICE, P, _("optional"),
         choices=c.Education),
    _col("employment", _("Employment"), "就业状况", CHOICE, P, _("optional"),
         choices=c.Employment),
    _col("disability_category", _("Disability category"), "残疾类别", CHOICE, P, _(
        "with a grade, from the disability certificate"), choices=c.DisabilityCategory),
    _col("disability_grade", _("Disability grade"), "残疾等级", GRADE, P, _(
        "1–4, with a category"), choices=c.DisabilityGrade),
    _col("serious_illness", _("Recognised serious illness"), "重特大疾病", BOOL, P, _("yes / no")),
    _col("health_notes", _("Health conditions"), "健康状况", TEXT, P, _("optional"), width=18),
    _col("self_care", _("Self-care ability"), "生活自理能力", CHOICE, P, _(
        "empty means manages all six daily activities"), choices=c.SelfCare, width=18),
    _col("ability_grade", _("Elderly ability grade (0–4)"), "老年人能力等级（0–4）", INT, P,
         _("optional, 0–4")),
    _col("full_time_student", _("Full-time student"), "全日制在校生", BOOL, P, _("yes / no")),
    _col("no_able_supporter", _("No legal supporter able to support"),
         "无法定义务人或义务人无能力", BOOL, P, _("yes / no")),
    _col("orphan_status", _("Orphan status"), "孤儿或事实无人抚养儿童", CHOICE, P,
         _("optional"), choices=c.OrphanStatus),
    _col("in_institution", _("In centralised support"), "集中供养", BOOL, P, _("yes / no")),
    _col("not_counted", _("Not counted in household because"), "不计入家庭成员原因", CHOICE, P,
         _("optional"), choices=c.NotCounted, width=16),
    _col("income_wages", _("Monthly wages (yuan)"), "工资性收入（元/月）", MONEY, IN,
         _("amount in yuan per month")),
    _col("income_business", _("Monthly business income (yuan)"), "经营净收入（元/月）", MONEY, IN,
         _("amount in yuan per month")),
    _col("income_farming", _("Monthly farming income (yuan)"), "农业生产收入（元/月）", MONEY,
         IN, _("amount in yuan per month")),
    _col("income_property", _("Monthly property income (yuan)"), "财产净收入（元/月）", MONEY, IN,
         _("amount in yuan per month")),
    _col("income_pension", _("Monthly pension (yuan)"), "养老金（元/月）", MONEY, IN,
         _("amount in yuan per month")),
    _col("income_transfer", _("Monthly transfers and support (yuan)"), "转移性收入（元/月）",
         MONEY, IN, _("amount in yuan per month")),
    _col("income_other", _("Other monthly income (yuan)"), "其他收入（元/月）", MONEY, IN,
         _("amount in yuan per month")),
)
BY_KEY = {column.key: column for column in COLUMNS}
REQUIRED_HEADERS = ("household_key", "name")
# Columns whose text must stay text in Excel (long digit strings lose digits as numbers).
TEXT_FORMATTED = (DIGITS, IDNUM)

# Chinese labels of coded values (the catalogue may translate them too; both are read).
ZH_VALUES: dict[str, dict[str, str]] = {
    "hukou": {"urban": "城镇", "rural": "农村"},
    "sex": {"M": "男", "F": "女"},
    "relation": {"head": "户主", "spouse": "配偶", "child": "子女", "parent": "父母",
                 "grandchild": "孙子女", "grandparent": "祖父母", "sibling": "兄弟姐妹",
                 "child_in_law": "儿媳或女婿", "other": "其他"},
    "marital_status": {"single": "未婚", "married": "已婚", "divorced": "离婚",
                       "widowed": "丧偶"},
    "education": {"none": "未上学", "preschool": "学龄前", "primary": "小学",
                  "junior": "初中", "senior": "高中或中专", "college": "大专及以上"},
    "employment": {"farming": "务农", "employed": "受雇就业", "self_employed": "个体经营",
                   "migrant": "外出务工", "unemployed": "失业或无业", "student": "在校学生",
                   "retired": "离退休", "unable": "丧失劳动能力", "child": "学龄前儿童"},
    "disability_category": {"visual": "视力残疾", "hearing": "听力残疾", "speech": "言语残疾",
                            "physical": "肢体残疾", "intellectual": "智力残疾",
                            "mental": "精神残疾", "multiple": "多重残疾"},
    "disability_grade": {"1": "一级", "2": "二级", "3": "三级", "4": "四级"},
    "self_care": {"full": "完全自理", "partial": "部分自理", "none": "不能自理"},
    "orphan_status": {"orphan": "孤儿", "no_de_facto_carer": "事实无人抚养儿童"},
    "not_counted": {"clergy": "宗教教职人员", "prison": "服刑或强制隔离戒毒",
                    "missing": "宣告失踪"},
}
# Other spellings clerks use, read but never written.
ALIASES: dict[str, dict[str, str]] = {
    "hukou": {"城市": "urban", "非农业": "urban", "农业": "rural"},
    "sex": {"男性": "M", "女性": "F", "1": "M", "2": "F"},
    "relation": {"本人": "head", "妻子": "spouse", "丈夫": "spouse", "妻": "spouse",
                 "夫": "spouse", "儿子": "child", "女儿": "child", "子": "child", "女": "child",
                 "长子": "child", "次子": "child", "长女": "child", "次女": "child",
                 "父亲": "parent", "母亲": "parent", "孙子": "grandchild",
                 "孙女": "grandchild", "外孙子": "grandchild", "外孙女": "grandchild",
                 "祖父": "grandparent", "祖母": "grandparent", "外祖父": "grandparent",
                 "外祖母": "grandparent", "兄": "sibling", "弟": "sibling", "姐": "sibling",
                 "妹": "sibling", "儿媳": "child_in_law", "女婿": "child_in_law"},
    "marital_status": {"有配偶": "married", "初婚": "married", "再婚": "married"},
    "disability_category": {"视力": "visual", "听力": "hearing", "言语": "speech",
                            "肢体": "physical", "智力": "intellectual", "精神": "mental",
                            "多重": "multiple"},
    "disability_grade": {"1级": "1", "2级": "2", "3级": "3", "4级": "4"},
    "self_care": {"部分失能": "partial", "完全失能": "none", "失能": "none"},
}
YES, NO = ("是", "yes", "y", "true", "1", "√", "有"), ("否", "no", "n", "false", "0", "无")


class FileError(ValueError):
    """The file cannot be read as a household sheet; the message says why."""


def normalize(text: Any) -> str:
    """Compare headers and coded values ignoring case, spaces, * and full-width brackets."""
    return (re.sub(r"[\s*＊]", "", str(text)).replace("（", "(").replace("）", ")").lower())


def msgid(text: Promise | str) -> str:
    with override(None):
        return str(text)


def localized(text: Promise | str, zh: str) -> str:
    """The translation of ``text``, or the Chinese fallback while the catalogue lacks it."""
    translated = str(text)
    if translated == msgid(text) and (get_language() or "").startswith("zh"):
        return zh
    return translated


def title(column: Column) -> str:
    """The column's name in the user's language."""
    return localized(column.label, column.zh)


def header(column: Column) -> str:
    """The header written to a file: the title, starred when the column is required."""
    return title(column) + (" *" if column.required else "")


def value_labels(column: Column) -> dict[str, str]:
    """Code → label in the user's language, for every allowed value of a coded column."""
    assert column.choices is not None
    zh = ZH_VALUES.get(column.key, {})
    return {str(code): localized(label, zh.get(str(code), str(label)))
            for code, label in column.choices.choices}


def bool_label(value: bool) -> str:
    return localized(_("Yes"), "是") if value else localized(_("No"), "否")


# --- reading -----------------------------------------------------------------------------

@dataclass
class Sheet:
    """The data of the first worksheet, with its header mapped to columns."""

    header_row: int  # Excel row number (1-based) of the header
    columns: dict[int, Column]  # index in a row → column
    headers: dict[str, str]  # column key → header text as written in the file
    rows: list[list[Any]] = field(default_factory=list)

    def row_number(self, index: int) -> int:
        return self.header_row + 1 + index


def header_lookup() -> dict[str, Column]:
    """Normalised header text → column: key, English, our Chinese, then translations.

    A translation never displaces another column's own names, should two coincide.
    """
    lookup: dict[str, Column] = {}
    for column in COLUMNS:
        lookup.update({normalize(name): column
                       for name in (column.key, column.zh, msgid(column.label))})
    for code, _name in settings.LANGUAGES:
        with override(code):
            for column in COLUMNS:
                lookup.setdefault(normalize(column.label), column)
    return lookup


MAX_UNPACKED_BYTES = 500 * 1024 * 1024


def check_unpacked_size(source: str | Path | IO[bytes]) -> None:
    """Refuse a zip bomb: an .xlsx whose parts unpack to more than MAX_UNPACKED_BYTES."""
    try:
        with zipfile.ZipFile(source) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # .xls, or no workbook at all: python-calamine says which
    finally:
        if not isinstance(source, str | Path):
            source.seek(0)
    if size > MAX_UNPACKED_BYTES:
        raise FileError(gettext("The workbook unpacks to more than 500 MB; split it."))


def read_rows(source: str | Path | IO[bytes]) -> list[list[Any]]:
    """Every row of the first worksheet, row 1 first, as python-calamine gives them."""
    check_unpacked_size(source)
    try:
        workbook = python_calamine.CalamineWorkbook.from_object(source)
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several unrelated types for bad files
        raise FileError(gettext("The file is not a readable Excel workbook (%(e)s).")
                        % {"e": exc}) from exc


def read_sheet(source: str | Path | IO[bytes]) -> Sheet:
    rows = read_rows(source)
    lookup = header_lookup()
    for index, row in enumerate(rows[:10]):
        columns = {i: lookup[normalize(cell)] for i, cell in enumerate(row)
                   if isinstance(cell, str) and normalize(cell) in lookup}
        if len(columns) >= 2:
            return _sheet(index, row, columns, rows[index + 1:])
    raise FileError(gettext("No header row found: use the import template, whose first row "
                            "names the columns."))


def _sheet(index: int, row: list[Any], columns: dict[int, Column],
           data: list[list[Any]]) -> Sheet:
    keys = [column.key for column in columns.values()]
    twice = sorted({title(BY_KEY[k]) for k in keys if keys.count(k) > 1})
    if twice:
        raise FileError(gettext("These columns appear twice: %(c)s") % {"c": ", ".join(twice)})
    missing = [title(BY_KEY[k]) for k in REQUIRED_HEADERS if k not in keys]
    if missing:
        raise FileError(gettext("Required columns are missing: %(c)s")
                        % {"c": ", ".join(missing)})
    headers = {column.key: str(row[i]).strip() for i, column in columns.items()}
    return Sheet(header_row=index + 1, columns=columns, headers=headers, rows=data)


# --- writing -----------------------------------------------------------------------------

WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False,
                    "strings_to_numbers": False, "strings_to_urls": False}


def new_workbook(path: str | Path) -> Workbook:
    """A workbook written row by row in constant memory (rows must come in order)."""
    return xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)


class RowWriter:
    """Writes rows of cell values (str, int, Decimal, date, bool, None) to one sheet."""

    def __init__(self, workbook: Workbook, name: str, headers: Sequence[str],
                 widths: Sequence[int], text_columns: Iterable[int] = ()) -> None:
        self.sheet: Worksheet = workbook.add_worksheet(name)
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        text = workbook.add_format({"num_format": "@"})
        bold = workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1,
                                    "text_wrap": True, "valign": "top"})
        text_columns = set(text_columns)
        for i, width in enumerate(widths):
            self.sheet.set_column(i, i, width, text if i in text_columns else None)
        self.sheet.freeze_panes(1, 0)
        self.sheet.write_row(0, 0, list(headers), bold)
        self.row = 1
        self.yes, self.no = bool_label(True), bool_label(False)

    def write(self, values: Sequence[Any]) -> None:
        for col, value in enumerate(values):
            self._cell(col, value)
        self.row += 1

    def _cell(self, col: int, value: Any) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            self.sheet.write_string(self.row, col, self.yes if value else self.no)
        elif isinstance(value, int | float | Decimal):
            self.sheet.write_number(self.row, col, value)
        elif isinstance(value, date | datetime):
            self.sheet.write_datetime(self.row, col, value, self.date_format)
        else:
            self.sheet.write_string(self.row, col, str(value))


def persons_writer(workbook: Workbook) -> RowWriter:
    text_columns = [i for i, col in enumerate(COLUMNS) if col.kind in TEXT_FORMATTED]
    return RowWriter(workbook, localized(_("Persons"), "人员"), [header(c) for c in COLUMNS],
                     [c.width for c in COLUMNS], text_columns)


def write_rows(path: str | Path, rows: Iterable[Sequence[Any]]) -> int:
    """Write person rows (values in COLUMNS order) in the template layout; return the count."""
    workbook = new_workbook(path)
    writer = persons_writer(workbook)
    for values in rows:
        writer.write(values)
    _codes_sheet(workbook, villages=[])
    workbook.close()
    return writer.row - 1


def write_template(path: str | Path, villages: Sequence[tuple[str, str, str]],
                   dropdown_rows: int = 5000) -> None:
    """The empty template: headers, drop-down lists for coded columns, and the codes sheet.

    ``villages`` are (code, township name, village name) of the user's villages.
    """
    workbook = new_workbook(path)
    writer = persons_writer(workbook)
    _codes_sheet(workbook, villages)
    ranges = _lists_sheet(workbook, villages)
    for i, column in enumerate(COLUMNS):
        if column.key in ranges:
            writer.sheet.data_validation(1, i, dropdown_rows, i, {
                "validate": "list", "source": ranges[column.key], "error_type": "warning"})
    workbook.close()


def allowed_values(column: Column) -> str:
    if column.choices is not None:
        return "、".join(f"{label} ({code})" if label != code else code
                        for code, label in value_labels(column).items())
    if column.kind == BOOL:
        return f"{bool_label(True)} / {bool_label(False)}"
    return ""


def _codes_sheet(workbook: Workbook, villages: Sequence[tuple[str, str, str]]) -> None:
    headers = [localized(_("Column"), "列"), localized(_("Required"), "必填"),
               localized(_("What to enter"), "填写说明"),
               localized(_("Allowed values (code)"), "可填写的值（代码）")]
    writer = RowWriter(workbook, localized(_("Codes"), "代码说明"), headers, [26, 8, 60, 80])
    for column in COLUMNS:
        writer.write([header(column), bool_label(column.required),
                      str(column.help), allowed_values(column)])
    if villages:
        writer.write([])
        writer.write([localized(_("Village code"), "村（社区）代码"),
                      "", localized(_("Township and village"), "乡镇和村（社区）")])
        for code, township, village in villages:
            writer.write([code, "", f"{township} {village}"])


def _lists_sheet(workbook: Workbook,
                 villages: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    """A hidden sheet with one column of labels per coded column, for drop-down lists."""
    sheet = workbook.add_worksheet("lists")
    sheet.hide()
    lists = [(col.key, list(value_labels(col).values())) for col in COLUMNS if col.choices]
    lists += [(col.key, [bool_label(True), bool_label(False)]) for col in COLUMNS
              if col.kind == BOOL]
    lists.append(("area_code", [code for code, _t, _v in villages]))
    ranges = {}
    longest = max(len(values) for _key, values in lists)
    for row in range(longest):  # constant memory: write row by row
        for col, (_key, values) in enumerate(lists):
            if row < len(values):
                sheet.write_string(row, col, values[row])
    for col, (key, values) in enumerate(lists):
        if values:
            letter = xl_col_to_name(col)
            ranges[key] = f"=lists!${letter}$1:${letter}${len(values)}"
    return ranges


# --- export ------------------------------------------------------------------------------

def export_queryset(user: Any, area_code: str = "", today: date | None = None,
                    ) -> QuerySet[Person]:
    """Living members of active households inside the user's areas, household by household.

    Children under 14 are left out for users who do not work with children, as their
    records are closed to them everywhere else (registry.access).
    """
    households = scope(Household.objects.filter(active=True), user)
    if area_code:
        households = households.filter(area__code__startswith=area_code)
    head_first = Case(When(relation=c.Relation.HEAD, then=Value(0)), default=Value(1),
                      output_field=IntegerField())
    persons = Person.objects.filter(household__in=households, deceased_on__isnull=True)
    if not getattr(user, "works_with_children", False):
        persons = persons.exclude(birth_date__gt=minor_cutoff(today or date.today()))
    return (persons.select_related("household").prefetch_related("incomes")
            .order_by("household__number", head_first, "birth_date", "pk"))


def minor_cutoff(today: date) -> date:
    """Persons born after this day are under ``registry.pipl_child_age`` today (in any area:
    the highest age in force, so that no child's record is exported by mistake)."""
    return latest_birth_for_age(today, highest_in_force(CHILD_AGE, today))


def export_persons(user: Any, path: str | Path, area_code: str = "",
                   masked: bool = True) -> int:
    """Write the user's households to ``path``; ID, phone and card numbers are masked
    unless asked for and the user's role may see full numbers."""
    masked = masked or not getattr(user, "can_reveal", False)
    persons = export_queryset(user, area_code).iterator(chunk_size=2000)
    return write_rows(path, person_rows(persons, masked))


def person_rows(persons: Iterable[Person], masked: bool = True) -> Iterator[list[Any]]:
    labels = {col.key: value_labels(col) for col in COLUMNS if col.choices is not None}
    for person in persons:
        yield person_row(person, labels, masked)


def person_row(person: Person, labels: dict[str, dict[str, str]],
               masked: bool) -> list[Any]:
    household = person.household
    incomes: dict[str, Decimal] = {}
    for item in person.incomes.all():
        incomes[item.kind] = incomes.get(item.kind, Decimal(0)) + item.monthly_amount
    phone, card, idn = ((masking.mask_phone, masking.mask_card, masking.mask_id) if masked
                        else (str, str, str))
    values: dict[str, Any] = {
        "household_key": household.number, "area_code": household.area_id,
        "hukou": household.hukou, "address": household.address,
        "household_phone": phone(household.phone), "bank_name": household.bank_name,
        "bank_account": card(household.bank_account),
        **{col.key: getattr(person, col.key) for col in COLUMNS if col.part == PERSON},
        "id_number": idn(person.id_number or ""), "phone": phone(person.phone),
        **{f"income_{kind}": amount for kind, amount in incomes.items()},
    }
    return [_export_value(col, values.get(col.key), labels) for col in COLUMNS]


def _export_value(column: Column, value: Any, labels: dict[str, dict[str, str]]) -> Any:
    if column.choices is not None and value not in (None, ""):
        return labels[column.key].get(str(value), str(value))
    if column.kind == BOOL:
        return bool(value) or None  # "no" is left empty, as in the template
    return value


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
