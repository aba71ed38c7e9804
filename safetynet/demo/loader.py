"""Writing the generated county: areas, then households in chunks.

Households, persons, incomes, assets and expenses each start with their "+" history row,
as if a clerk had entered them. ``write`` uses the fast path (fastload: COPY or
executemany); ``write_orm`` does the same through simple_history's
``bulk_create_with_history``, several times slower.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import Max, Model
from simple_history.utils import bulk_create_with_history

from safetynet.core import areas as area_codes
from safetynet.core.models import Area
from safetynet.demo.fastload import HISTORY_REASON as REASON
from safetynet.demo.fastload import Writer
from safetynet.demo.specs import AreaSpec, HouseholdSpec, PersonSpec
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense

CHUNK = 2000  # households per round trip of inserts
BATCH = 2000  # rows per INSERT where the database allows it
MODELS = (Household, Person, IncomeItem, Asset, RigidExpense)
M = TypeVar("M", bound=Model)

PERSON_ATTRS = (
    "name", "id_number", "sex", "birth_date", "relation", "phone", "marital_status",
    "education", "employment", "disability_category", "disability_grade", "serious_illness",
    "health_notes", "self_care", "ability_grade", "full_time_student", "no_able_supporter",
    "orphan_status", "in_institution", "not_counted",
)


def ensure_areas(tree: Sequence[AreaSpec]) -> int:
    """Create the areas that do not exist yet (parents first); return how many."""
    existing = set(Area.objects.filter(code__in=[a.code for a in tree])
                   .values_list("code", flat=True))
    missing = [Area(code=a.code, name=a.name, parent_id=a.parent,
                    level=area_codes.level_of(a.code)) for a in tree if a.code not in existing]
    Area.objects.bulk_create(missing, batch_size=BATCH)
    return len(missing)


def has_households(county_code: str) -> bool:
    return Household.objects.filter(area__code__startswith=county_code).exists()


def last_numbers(county_code: str) -> dict[str, int]:
    """The last household sequence used in each area (numbers are area code + 5 digits)."""
    rows = (Household.objects.filter(area__code__startswith=county_code).values("area_id")
            .annotate(last=Max("number")))
    return {r["area_id"]: int(r["last"][len(r["area_id"]):]) for r in rows
            if r["last"].startswith(r["area_id"])}


def taken_id_indexes() -> set[str]:
    """Blind indexes of the ID numbers already registered (no decryption needed)."""
    return set(Person.objects.exclude(id_number_index=None)
               .values_list("id_number_index", flat=True))


def write(households: Sequence[HouseholdSpec],
          progress: Callable[[int], None] | None = None, *, history: bool = True,
          details: bool = True) -> None:
    """Insert every household with its members, incomes, assets and expenses, each with
    its initial history row, by the fast path (COPY / executemany).

    ``details=False`` writes households and persons only, ``history=False`` no history
    rows (the search benchmark needs neither). Call inside a transaction: a failure
    leaves nothing half-written.
    """
    writer = Writer(MODELS if details else MODELS[:2], history=history)
    for start in range(0, len(households), CHUNK):
        chunk = households[start:start + CHUNK]
        _write_chunk(writer, chunk, details)
        if progress:
            progress(start + len(chunk))
    writer.finish()


def _write_chunk(writer: Writer, chunk: Sequence[HouseholdSpec], details: bool) -> None:
    homes = [household_row(hh) for hh in chunk]
    writer.assign_pks(Household, homes)
    members = [(p, home) for hh, home in zip(chunk, homes, strict=True) for p in hh.members]
    people = [person_row(p, home) for p, home in members]
    writer.assign_pks(Person, people)
    tables: list[tuple[type[Model], list[dict[str, Any]]]] = [
        (Household, homes), (Person, people)]
    if details:
        tables += [
            (IncomeItem, [{"person_id": row["id"], "kind": kind, "monthly_amount": amount,
                           "note": note}
                          for (spec, _home), row in zip(members, people, strict=True)
                          for kind, amount, note in spec.incomes]),
            (Asset, _items(chunk, homes, "assets", "value")),
            (RigidExpense, _items(chunk, homes, "expenses", "monthly_amount"))]
    for model, rows in tables[2:]:
        writer.assign_pks(model, rows)
    for model, rows in tables:
        writer.insert(model, rows)


def household_row(hh: HouseholdSpec) -> dict[str, Any]:
    return {"number": hh.number, "hukou": hh.hukou, "area_id": hh.area_code,
            "address": hh.address, "phone": hh.phone, "bank_name": hh.bank_name,
            "bank_account": hh.bank_account}


def person_row(p: PersonSpec, home: dict[str, Any]) -> dict[str, Any]:
    return {"household_id": home["id"], "area_id": home["area_id"],
            **{attr: getattr(p, attr) for attr in PERSON_ATTRS}}


def _items(chunk: Sequence[HouseholdSpec], homes: Sequence[dict[str, Any]], attr: str,
           amount_field: str) -> list[dict[str, Any]]:
    return [{"household_id": home["id"], "kind": kind, "note": note, amount_field: amount}
            for hh, home in zip(chunk, homes, strict=True)
            for kind, amount, note in getattr(hh, attr)]


def write_orm(households: Sequence[HouseholdSpec]) -> None:
    """The same rows through simple_history's ``bulk_create_with_history`` (slow: about
    0.2 ms per row; kept to measure against and to check the fast path)."""
    for start in range(0, len(households), CHUNK):
        chunk = households[start:start + CHUNK]
        saved = _orm_insert(Household, [Household(**household_row(hh)) for hh in chunk])
        members = [(p, {"id": row.pk, "area_id": hh.area_code})
                   for hh, row in zip(chunk, saved, strict=True) for p in hh.members]
        people = _orm_insert(Person, [Person(**person_row(p, home)) for p, home in members])
        _orm_insert(IncomeItem, [
            IncomeItem(person_id=row.pk, kind=kind, monthly_amount=amount, note=note)
            for (spec, _home), row in zip(members, people, strict=True)
            for kind, amount, note in spec.incomes])
        homes = [{"id": row.pk} for row in saved]
        _orm_insert(Asset, [Asset(**row) for row in _items(chunk, homes, "assets", "value")])
        _orm_insert(RigidExpense, [RigidExpense(**row) for row in
                                   _items(chunk, homes, "expenses", "monthly_amount")])


def _orm_insert(model: type[M], rows: list[M]) -> list[M]:
    if not rows:
        return rows
    return bulk_create_with_history(rows, model, batch_size=BATCH,
                                    default_change_reason=str(REASON))
