"""Excel import: check every row against the file and the database, then write.

Checking never writes. It reads the sheet (excel.read_sheet), parses each cell, runs the
registry's own person checks (validation.py), checks the file as a whole (households,
heads, duplicate ID numbers) and then the database in a few bulk queries (registered ID
numbers, existing households, the user's villages) — never one query per row.

Writing takes the households that passed (all of them, or none in all-or-nothing mode)
and creates them in one transaction with bulk inserts, history rows included
(django-simple-history's bulk_create_with_history), numbering households the way the
registry service does.
"""

from __future__ import annotations

import gc
import logging
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from safetynet.accounts.models import User
from safetynet.core import bankcards, crypto
from safetynet.core.actor import Actor
from safetynet.core.jurisdiction import covers, scope
from safetynet.core.models import Area
from safetynet.core.money import to_money
from safetynet.registry import choices as c
from safetynet.registry import excel, services
from safetynet.registry.excel import COLUMNS, Column
from safetynet.registry.models import DuplicateFlag, Household, IncomeItem, Person
from safetynet.registry.models_imports import ImportJob, ImportMode, ImportStatus
from safetynet.registry.validation import check_id_number, check_person_fields

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 2000
MAX_MONTHLY_AMOUNT = Decimal(100_000_000)
HOUSEHOLD_NUMBER = re.compile(r"^\d{13,20}$")
Progress = Callable[[int, int], None]


class CellError(ValueError):
    """A cell's value cannot be used; the message says why."""


@dataclass(frozen=True)
class RowError:
    row: int  # Excel row number
    column: str  # header text
    value: str
    message: str


@dataclass
class PersonRow:
    row: int
    key: str
    household: dict[str, Any]
    person: dict[str, Any]
    incomes: dict[str, Decimal]
    failed: set[str] = field(default_factory=set)  # columns whose cell had an error


@dataclass
class HouseholdPlan:
    key: str
    rows: list[PersonRow] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)
    area_code: str = ""
    existing: Household | None = None


@dataclass
class Plan:
    """What checking found: the households of the file and every error, by row."""

    total_rows: int = 0
    rows: list[PersonRow] = field(default_factory=list)  # in file order
    households: dict[str, HouseholdPlan] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def add(self, error: RowError) -> None:
        self.errors.append(error)
        self.bad_rows.add(error.row)

    def is_valid(self, household: HouseholdPlan) -> bool:
        return not any(row.row in self.bad_rows for row in household.rows)

    def importable(self, mode: str) -> list[HouseholdPlan]:
        """Households to write: valid ones, or none in all-or-nothing mode with errors."""
        if mode == ImportMode.ALL_OR_NOTHING and self.errors:
            return []
        return [h for h in self.households.values() if self.is_valid(h)]

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: e.row)


# --- the context of one import: who, which villages, which coded values -------------------

@dataclass
class Context:
    actor: Actor
    villages: set[str]  # village codes inside the actor's areas
    all_villages: set[str]
    codes: dict[str, dict[str, str]]  # column key → normalised text → code
    max_length: dict[str, int]
    headers: dict[str, str]  # column key → header as written in the file

    def header(self, key: str) -> str:
        return self.headers.get(key) or excel.title(excel.BY_KEY[key])


def make_context(actor: Actor, headers: dict[str, str] | None = None) -> Context:
    villages = Area.objects.filter(level="village")
    return Context(
        actor=actor,
        villages=set(scope(villages, actor, field="code").values_list("code", flat=True)),
        all_villages=set(villages.values_list("code", flat=True)),
        codes={col.key: code_lookup(col) for col in COLUMNS if col.choices is not None},
        max_length=_max_lengths(), headers=headers or {})


def code_lookup(column: Column) -> dict[str, str]:
    """Every accepted spelling of every code: code, English, Chinese, translation, alias."""
    assert column.choices is not None
    lookup: dict[str, str] = {}
    zh = excel.ZH_VALUES.get(column.key, {})
    for value, label in column.choices.choices:
        code = str(value)
        names = {code, excel.msgid(label), zh.get(code, code)}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                names.add(str(label))
        lookup.update({excel.normalize(name): code for name in names})
    lookup.update({excel.normalize(k): v for k, v in excel.ALIASES.get(column.key, {}).items()})
    return lookup


def _max_lengths() -> dict[str, int]:
    lengths = {}
    for column in COLUMNS:
        model = Household if column.part == excel.HOUSEHOLD else Person
        try:
            max_length = getattr(model._meta.get_field(column.field), "max_length", None)
        except FieldDoesNotExist:  # the household key and the income columns
            continue
        if max_length:
            lengths[column.key] = max_length
    return lengths


# --- cells -------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    if isinstance(value, float):
        if abs(value) >= 1e15:
            raise CellError(_("was saved as a number and lost digits: format the column as "
                              "text and type it again"))
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value).strip()


def _not_masked(text: str) -> str:
    if "*" in text:
        raise CellError(_("is masked (contains *): type the full number; a masked export "
                          "cannot be imported as it is"))
    return text


def parse_text(value: Any, column: Column, ctx: Context) -> str:
    text = _text(value)
    limit = ctx.max_length.get(column.key)
    if limit and len(text) > limit:
        raise CellError(_("at most %(n)d characters") % {"n": limit})
    return text


DIGIT_RULES = {
    "area_code": (re.compile(r"\d{12}"), gettext_lazy("a village or community code has 12 digits")),
    "household_phone": (re.compile(r"\+?[\d\-]{5,20}"),
                        gettext_lazy("a phone number has digits only (and + or -)")),
}
DIGIT_RULES["phone"] = DIGIT_RULES["household_phone"]


def parse_digits(value: Any, column: Column, ctx: Context) -> str:
    text = _not_masked(_text(value).replace(" ", ""))
    if column.key == "bank_account":  # the one card-number check (core.bankcards)
        try:
            return bankcards.check(text)
        except bankcards.BankCardError as exc:
            raise CellError(str(exc)) from exc
    pattern, message = DIGIT_RULES[column.key]
    if not pattern.fullmatch(text):
        raise CellError(str(message))
    return text


def parse_id(value: Any, column: Column, ctx: Context) -> str:
    return _not_masked(_text(value))


def parse_choice(value: Any, column: Column, ctx: Context) -> str:
    codes = ctx.codes[column.key]
    code = codes.get(value) if isinstance(value, str) else None
    if code is None:
        code = codes.get(excel.normalize(_text(value)))
        if code is not None and isinstance(value, str):
            codes[value] = code  # remember this spelling as written
    if code is None:
        allowed = "、".join(excel.value_labels(column).values())
        raise CellError(_("not an allowed value; use one of: %(v)s") % {"v": allowed})
    return code


def parse_grade(value: Any, column: Column, ctx: Context) -> int:
    return int(parse_choice(value, column, ctx))


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any, column: Column, ctx: Context) -> date:
    try:
        parsed = _to_date(value)
    except (ValueError, OverflowError) as exc:
        raise CellError(_("not a date: write it like 1990-01-31")) from exc
    if parsed.year < 1880:
        raise CellError(_("a date before 1880 is not possible"))
    return parsed


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if 18000101 <= number <= 99991231:
            return _to_date(str(number))
        return EXCEL_EPOCH + timedelta(days=number)  # an Excel serial day number
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    match = _DATE_TEXT.match(text)
    if match is None:
        raise ValueError(text)
    return date(*(int(part) for part in match.groups()))


_YES = {excel.normalize(v) for v in excel.YES}
_NO = {excel.normalize(v) for v in excel.NO}


def parse_bool(value: Any, column: Column, ctx: Context) -> bool:
    if isinstance(value, bool):
        return value
    text = excel.normalize(_text(value))
    if text in _YES or text == excel.normalize(excel.bool_label(True)):
        return True
    if text in _NO or text == excel.normalize(excel.bool_label(False)):
        return False
    raise CellError(_("enter yes (是) or no (否)"))


def parse_money(value: Any, column: Column, ctx: Context) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("not an amount of money in yuan"))
    text = str(value).strip().replace(",", "").replace("，", "").removesuffix("元")
    try:
        amount = to_money(text)
    except ValueError as exc:
        raise CellError(_("not an amount of money in yuan")) from exc
    if amount < 0:
        raise CellError(_("an amount cannot be negative"))
    if amount > MAX_MONTHLY_AMOUNT:
        raise CellError(_("the amount is too large"))
    return amount


def parse_int(value: Any, column: Column, ctx: Context) -> int:
    text = _text(value)
    if not re.fullmatch(r"[0-4]", text):
        raise CellError(_("enter a whole number from 0 to 4"))
    return int(text)


PARSERS: dict[str, Callable[[Any, Column, Context], Any]] = {
    excel.TEXT: parse_text, excel.DIGITS: parse_digits, excel.IDNUM: parse_id,
    excel.CHOICE: parse_choice, excel.GRADE: parse_grade, excel.DATE: parse_date,
    excel.BOOL: parse_bool, excel.MONEY: parse_money, excel.INT: parse_int,
}


def shown(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return "" if value is None else str(value)


# --- rows --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    """Where a column is in the file's rows and where its parsed value goes."""

    index: int
    column: Column
    parse: Callable[[Any, Column, Context], Any]
    slot: int  # 0 household, 1 person, 2 incomes, 3 the household key
    field: str

    @classmethod
    def at(cls, index: int, column: Column) -> Cell:
        slot = 3 if column.key == "household_key" else SLOTS[column.part]
        return cls(index, column, PARSERS[column.kind], slot, column.field)


SLOTS = {excel.HOUSEHOLD: 0, excel.PERSON: 1, excel.INCOME: 2}


def parse_row(number: int, raw: list[Any], cells: list[Cell], ctx: Context,
              plan: Plan) -> PersonRow | None:
    """Parse one row; record its errors on ``plan``. None for an empty row."""
    row = PersonRow(number, "", {}, {}, {})
    targets = (row.household, row.person, row.incomes)
    width, empty = len(raw), True
    for cell in cells:
        value = raw[cell.index] if cell.index < width else ""
        if value == "" or value is None:
            continue
        empty = False
        try:
            parsed = cell.parse(value, cell.column, ctx)
        except CellError as exc:
            row.failed.add(cell.column.key)
            plan.add(RowError(number, ctx.header(cell.column.key), shown(value), str(exc)))
            continue
        if cell.slot == 3:
            row.key = parsed
        else:
            targets[cell.slot][cell.field] = parsed
    if empty:
        return None
    if not row.key and "household_key" not in row.failed:
        _require(row, "household_key", _("the household key is required"), ctx, plan)
    check_person(row, ctx, plan)
    return row


def _require(row: PersonRow, key: str, message: str, ctx: Context, plan: Plan) -> None:
    plan.add(RowError(row.row, ctx.header(key), "", message))


def check_person(row: PersonRow, ctx: Context, plan: Plan) -> None:
    """The registry's own checks (validation.py) on the person's fields of one row."""
    data = row.person
    data.setdefault("name", "")
    try:
        check_id_number(data)
    except ValidationError as exc:
        _field_errors(row, exc, ctx, plan)
        if "id_number" in exc.message_dict:
            row.failed.add("id_number")
            data["id_number"] = None
    try:
        check_person_fields(data)
    except ValidationError as exc:
        _field_errors(row, exc, ctx, plan)
    data["name"] = data["name"].strip()


def _field_errors(row: PersonRow, exc: ValidationError, ctx: Context, plan: Plan) -> None:
    """Record the errors of a registry check, except those only echoing a bad cell."""
    skip = set(row.failed)
    if "id_number" in skip:  # "birth date / sex required" would repeat the ID number error
        skip |= {key for key in ("birth_date", "sex") if not row.person.get(key)}
    for key, messages in exc.message_dict.items():
        if key in skip:
            continue
        value = row.person.get(key)
        for message in messages:
            plan.add(RowError(row.row, ctx.header(key), shown(value), message))


# --- the file as a whole ------------------------------------------------------------------

def check_file(source: str | Path | IO[bytes], actor: Actor,
               progress: Progress | None = None) -> Plan:
    """Check every row of the file at ``source`` for ``actor``; writes nothing."""
    try:
        sheet = excel.read_sheet(source)
    except excel.FileError as exc:
        plan = Plan()
        plan.add(RowError(1, "", "", str(exc)))
        return plan
    ctx = make_context(actor, sheet.headers)
    return check_rows(sheet, ctx, progress)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small acyclic objects.

    Its full passes over a growing heap of row dicts cost ~10% of checking a large file.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_rows(sheet: excel.Sheet, ctx: Context, progress: Progress | None = None) -> Plan:
    with collector_paused():
        return _check_rows(sheet, ctx, progress)


def _check_rows(sheet: excel.Sheet, ctx: Context, progress: Progress | None = None) -> Plan:
    plan = Plan()
    cells = [Cell.at(i, col) for i, col in sorted(sheet.columns.items())]
    total = len(sheet.rows)
    for index, raw in enumerate(sheet.rows):
        row = parse_row(sheet.row_number(index), raw, cells, ctx, plan)
        if row is not None:
            plan.total_rows += 1
            plan.rows.append(row)
            _household(plan, row.key).rows.append(row)
        if progress and (index + 1) % PROGRESS_EVERY == 0:
            progress(index + 1, total)
    check_households(plan, ctx)
    check_duplicates(plan, ctx)
    if progress:
        progress(total, total)
    return plan


def _household(plan: Plan, key: str) -> HouseholdPlan:
    household = plan.households.get(key)
    if household is None:
        household = plan.households[key] = HouseholdPlan(key)
    return household


def check_households(plan: Plan, ctx: Context) -> None:
    plan.households.pop("", None)  # rows without a key were reported already
    existing = existing_households(list(plan.households))
    for key, household in plan.households.items():
        household.existing = existing.get(key)
        collect_fields(household, ctx, plan)
        if household.existing is not None:
            check_existing(household, ctx, plan)
        else:
            check_new(household, ctx, plan)


def collect_fields(household: HouseholdPlan, ctx: Context, plan: Plan) -> None:
    """Household columns come from the first row that fills them; others must agree."""
    first: dict[str, PersonRow] = {}
    for row in household.rows:
        for name, value in row.household.items():
            if name not in household.fields:
                household.fields[name], first[name] = value, row
            elif value != household.fields[name]:
                key = "household_phone" if name == "phone" else name
                plan.add(RowError(row.row, ctx.header(key), shown(value), _(
                    "differs from row %(r)d of the same household (%(v)s)"
                ) % {"r": first[name].row, "v": shown(household.fields[name])}))


def check_existing(household: HouseholdPlan, ctx: Context, plan: Plan) -> None:
    record = household.existing
    assert record is not None
    first = household.rows[0]
    if not covers(ctx.actor, record.area_id):
        plan.add(RowError(first.row, ctx.header("household_key"), household.key,
                          _("household %(n)s is not in your areas") % {"n": household.key}))
        return
    if not record.active:
        plan.add(RowError(first.row, ctx.header("household_key"), household.key,
                          _("household %(n)s is dissolved") % {"n": household.key}))
    household.area_code = record.area_id
    given = household.fields.get("area_code")
    if given and given != record.area_id:
        plan.add(RowError(first.row, ctx.header("area_code"), given, _(
            "household %(n)s is in village %(c)s") % {"n": household.key, "c": record.area_id}))
    for row in household.rows:
        relation = row.person.get("relation")
        if relation == c.Relation.HEAD:
            plan.add(RowError(row.row, ctx.header("relation"), relation, _(
                "household %(n)s already has a head") % {"n": household.key}))
        elif not relation and "relation" not in row.failed:
            _require(row, "relation", _("the relation to the head is required"), ctx, plan)


NEW_HOUSEHOLD_NEEDS = (("area_code", gettext_lazy("the village code is required")),
                       ("hukou", gettext_lazy("the hukou type is required")),
                       ("address", gettext_lazy("the address is required")))


def check_new(household: HouseholdPlan, ctx: Context, plan: Plan) -> None:
    first = household.rows[0]
    failed = {key for row in household.rows for key in row.failed}
    for key, message in NEW_HOUSEHOLD_NEEDS:
        if not household.fields.get(key) and key not in failed:
            _require(first, key, str(message), ctx, plan)
    code = household.fields.get("area_code") or ""
    household.area_code = code
    if code and code not in ctx.all_villages:
        plan.add(RowError(first.row, ctx.header("area_code"), code,
                          _("%(c)s is not a village or community code") % {"c": code}))
    elif code and code not in ctx.villages:
        plan.add(RowError(first.row, ctx.header("area_code"), code,
                          _("village %(c)s is outside your areas") % {"c": code}))
    check_heads(household, ctx, plan)


def check_heads(household: HouseholdPlan, ctx: Context, plan: Plan) -> None:
    """Exactly one head per new household; a lone person without a relation is the head."""
    rows = household.rows
    if len(rows) == 1 and not rows[0].person.get("relation") and "relation" not in rows[0].failed:
        rows[0].person["relation"] = c.Relation.HEAD
    heads = [row for row in rows if row.person.get("relation") == c.Relation.HEAD]
    for row in rows:
        if not row.person.get("relation") and "relation" not in row.failed:
            _require(row, "relation", _("the relation to the head is required"), ctx, plan)
    if not heads and not any("relation" in row.failed for row in rows):
        plan.add(RowError(rows[0].row, ctx.header("relation"), "", _(
            "household %(k)s has no head: one row needs the relation “head”"
        ) % {"k": household.key}))
    for row in heads[1:]:
        plan.add(RowError(row.row, ctx.header("relation"), excel.value_labels(
            excel.BY_KEY["relation"])[c.Relation.HEAD], _(
            "household %(k)s already has its head in row %(r)d"
        ) % {"k": household.key, "r": heads[0].row}))


def check_duplicates(plan: Plan, ctx: Context) -> None:
    """An ID number exists once: in the file, and in the registry."""
    seen: dict[str, int] = {}
    rows = [row for row in plan.rows if row.person.get("id_number")]
    for row in rows:
        number = row.person["id_number"]
        if number in seen:
            plan.add(RowError(row.row, ctx.header("id_number"), number, _(
                "ID number %(v)s also appears in row %(r)d") % {"v": number, "r": seen[number]}))
        else:
            seen[number] = row.row
    registered = registered_ids(list(seen))
    for row in rows:
        holder = registered.get(row.person["id_number"])
        if holder is not None:
            plan.add(RowError(row.row, ctx.header("id_number"), row.person["id_number"],
                              registered_message(row.person["id_number"], holder, ctx)))


def registered_message(number: str, holder: Holder, ctx: Context) -> str:
    """As validation.check_not_registered: the holder is named only inside one's areas."""
    if not covers(ctx.actor, holder.area_code):
        return _("ID number %(v)s is already registered in another area; ask the county "
                 "bureau") % {"v": number}
    return _("ID number %(v)s is already registered: %(name)s, household %(hh)s") % {
        "v": number, "name": holder.name, "hh": holder.household}


# --- bulk lookups ------------------------------------------------------------------------

def chunk_size() -> int:
    """As many parameters per query as the database allows, with room to spare."""
    limit = connection.features.max_query_params
    return min(limit - 99, 5000) if limit else 5000


@dataclass(frozen=True)
class Holder:
    """The person already registered with an ID number."""

    name: str
    household: str
    area_code: str


def registered_ids(numbers: list[str]) -> dict[str, Holder]:
    """ID number → the person already holding it, found by the blind index.

    Plain SQL: the ORM spends ~20 times longer preparing thousands of IN parameters
    than the database spends answering, which would dominate checking a large file.
    """
    index = {crypto.blind_index(number): number for number in numbers}
    quote = connection.ops.quote_name
    person, household = quote(Person._meta.db_table), quote(Household._meta.db_table)
    column = quote(Person._meta.get_field("id_number_index").column)
    found: dict[str, Holder] = {}
    with connection.cursor() as cursor:
        for chunk in excel.iter_chunks(list(index), chunk_size()):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT p.{column}, p.name, h.number, h.area_id FROM {person} p "
                f"JOIN {household} h ON h.id = p.household_id WHERE p.{column} IN ({marks})",
                list(chunk))
            found.update({index[key]: Holder(name, number, area)
                          for key, name, number, area in cursor.fetchall()})
    return found


def existing_households(keys: list[str]) -> dict[str, Household]:
    numbers = [key for key in keys if HOUSEHOLD_NUMBER.match(key)]
    found: dict[str, Household] = {}
    for chunk in excel.iter_chunks(numbers, chunk_size()):
        found.update({h.number: h for h in Household.objects.filter(number__in=chunk)})
    return found


# --- writing -----------------------------------------------------------------------------

@dataclass
class Written:
    households: int = 0
    persons: int = 0


def write(households: list[HouseholdPlan], actor: Actor,
          reason: str = "Excel import") -> Written:
    """Create the checked households and persons in one transaction, with history."""
    with transaction.atomic():
        for code in {h.area_code for h in households}:
            services.require_editor(actor, code)
        new = [h for h in households if h.existing is None]
        created = _create_households(new, actor.user, reason)
        persons = _create_persons(households, created, actor.user, reason)
        flag_duplicates(persons)
    return Written(households=len(new), persons=len(persons))


def _create_households(new: list[HouseholdPlan], user: User,
                       reason: str) -> dict[str, Household]:
    numbers = number_allocator({h.area_code for h in new})
    records = [Household(number=next(numbers[h.area_code]), area_id=h.area_code,
                         **{f: h.fields.get(f) or "" for f in services.HOUSEHOLD_FIELDS})
               for h in new]
    saved = bulk_create_with_history(records, Household, default_user=user,
                                     default_change_reason=reason)
    return {h.key: record for h, record in zip(new, saved, strict=True)}


def number_allocator(villages: Iterable[str]) -> dict[str, Iterator[str]]:
    """Next household numbers per village, continuing the registry's own numbering."""
    allocators: dict[str, Iterator[str]] = {}
    for area in Area.objects.filter(code__in=list(villages)):
        allocators[area.code] = _numbers(area)
    return allocators


def _numbers(area: Area) -> Iterator[str]:
    first = int(services.next_household_number(area)[len(area.code):])
    for sequence in range(first, 10**7):
        yield f"{area.code}{sequence:05d}"


def _create_persons(households: list[HouseholdPlan], created: dict[str, Household],
                    user: User, reason: str) -> list[Person]:
    persons, incomes = [], []
    for household in households:
        record = household.existing or created[household.key]
        for row in household.rows:
            person = Person(household=record, area_id=record.area_id,
                            **services._person_defaults(row.person))
            persons.append(person)
            incomes += [(person, kind, amount) for kind, amount in row.incomes.items()
                        if amount > 0]
    saved = bulk_create_with_history(persons, Person, default_user=user,
                                     default_change_reason=reason)
    items = [IncomeItem(person=person, kind=kind, monthly_amount=amount)  # type: ignore[misc]
             for person, kind, amount in incomes]
    bulk_create_with_history(items, IncomeItem, default_user=user,
                             default_change_reason=reason)
    return saved


def flag_duplicates(persons: list[Person]) -> int:
    """Bulk version of services.flag_likely_duplicates for the persons just created.

    Same name, birth date and village where either lacks an ID number; a person is
    compared with those created before it, as adding them one by one would.
    """
    groups: dict[tuple[str, date, str], list[tuple[int, bool]]] = defaultdict(list)
    for pk, name, birth, area, number in _twin_candidates(persons):
        groups[(name, birth, area)].append((pk, bool(number)))
    reason = _("same name, birth date and village")
    flags = [DuplicateFlag(person=p, candidate_id=pk, area_id=p.area_id, reason=reason)
             for p in persons for pk, has_id in groups.get((p.name, p.birth_date, p.area_id), [])
             if pk < p.pk and not (p.id_number and has_id)]
    DuplicateFlag.objects.bulk_create(flags)
    return len(flags)


def _twin_candidates(persons: list[Person]) -> Iterator[tuple[int, str, date, str, str]]:
    """Persons in the same villages without an ID number, or named like one without."""
    villages = sorted({p.area_id for p in persons})
    names = sorted({p.name for p in persons if not p.id_number})
    fields = ("pk", "name", "birth_date", "area_id", "id_number_index")  # no decrypting
    seen: set[int] = set()
    size = chunk_size() // 2
    for area_chunk in excel.iter_chunks(villages, size):
        queries = [Q(id_number__isnull=True)]
        queries += [Q(name__in=chunk) for chunk in excel.iter_chunks(names, size)]
        for query in queries:
            for values in (Person.objects.filter(query, area_id__in=area_chunk)
                           .values_list(*fields)):
                if values[0] not in seen:
                    seen.add(values[0])
                    yield values


# --- the error report ----------------------------------------------------------------------

def report_lines(plan: Plan, mode: str) -> list[RowError]:
    """Every error, and in valid-rows mode the rows skipped because a housemate has one."""
    lines = list(plan.errors)
    if mode == ImportMode.VALID_ROWS:
        for household in plan.households.values():
            bad = sorted({row.row for row in household.rows if row.row in plan.bad_rows})
            lines += [RowError(row.row, "", "", _(
                "not imported: row(s) %(rows)s of the same household have errors"
            ) % {"rows": ", ".join(map(str, bad))})
                for row in household.rows if bad and row.row not in plan.bad_rows]
    return sorted(lines, key=lambda e: e.row)


def write_report(path: str | Path, lines: Iterable[RowError]) -> None:
    workbook = excel.new_workbook(path)
    headers = [_("Row"), _("Column"), _("Value"), _("Problem")]
    writer = excel.RowWriter(workbook, _("Errors"), headers, [8, 22, 24, 80], [2])
    for line in lines:
        writer.write([line.row, line.column, line.value, line.message])
    workbook.close()


# --- the job -----------------------------------------------------------------------------

def run_job(job_id: int) -> None:
    """Check the job's file, save the error report, write what may be written."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _run(job)
        except Exception as exc:
            logger.exception("import job %s failed", job.pk)
            _update(job, status=ImportStatus.FAILED, message=str(exc),
                    finished_at=timezone.now())
            raise


def _run(job: ImportJob) -> None:
    _update(job, status=ImportStatus.CHECKING)
    actor = Actor.of(job.created_by)
    with job.file.open("rb") as source:
        plan = check_file(source, actor,
                          lambda done, total: _update(job, processed_rows=done,
                                                      total_rows=total))
    importable = plan.importable(job.mode)
    written_rows = sum(len(h.rows) for h in importable)
    if plan.errors:
        save_report(job, report_lines(plan, job.mode))
    _update(job, total_rows=plan.total_rows, processed_rows=plan.total_rows,
            error_count=len(plan.errors), failed_rows=plan.total_rows - written_rows)
    if job.mode == ImportMode.ALL_OR_NOTHING and plan.errors:
        _update(job, status=ImportStatus.REJECTED, finished_at=timezone.now())
        return
    _update(job, status=ImportStatus.WRITING)
    # The households and "done" commit together: a worker killed before the commit leaves
    # nothing written and the job unfinished, so it can run again (registry/tasks.py).
    with transaction.atomic():
        written = write(importable, actor, f"Excel import {job.pk}")
        _update(job, status=ImportStatus.DONE, created_households=written.households,
                created_persons=written.persons, finished_at=timezone.now())


def save_report(job: ImportJob, lines: list[RowError]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "errors.xlsx"
        write_report(path, lines)
        with path.open("rb") as handle:
            job.error_report.save("errors.xlsx", File(handle), save=False)
    ImportJob.objects.filter(pk=job.pk).update(error_report=job.error_report.name)


def _update(job: ImportJob, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**changes)
