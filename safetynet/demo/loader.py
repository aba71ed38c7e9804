"""Writing the generated county through the ORM: areas, then households in chunks.

Households and persons (and their incomes, assets and expenses) are inserted with
simple_history's ``bulk_create_with_history``, so every record starts with its "+"
history row, as if a clerk had entered it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db.models import Max, Model
from simple_history.utils import bulk_create_with_history

from safetynet.core import areas as area_codes
from safetynet.core.models import Area
from safetynet.demo.specs import AreaSpec, HouseholdSpec, PersonSpec
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense

CHUNK = 2000  # households per round trip of inserts
BATCH = 2000  # rows per INSERT where the database allows it
REASON = "demo county generator"
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


def taken_id_numbers() -> set[str]:
    return set(Person.objects.exclude(id_number=None).values_list("id_number", flat=True))


def write(households: Sequence[HouseholdSpec],
          progress: Callable[[int], None] | None = None) -> None:
    """Insert every household with its members, incomes, assets and expenses.

    Call inside a transaction: a failure leaves nothing half-written.
    """
    for start in range(0, len(households), CHUNK):
        chunk = households[start:start + CHUNK]
        saved = _insert(Household, [_household(hh) for hh in chunk])
        members = [(p, row.pk, hh.area_code) for hh, row in zip(chunk, saved, strict=True)
                   for p in hh.members]
        people = _insert(Person, [_person(*member) for member in members])
        _insert(IncomeItem, _incomes([spec for spec, _pk, _area in members], people))
        _insert(Asset, _items(Asset, chunk, saved, "assets", "value"))
        _insert(RigidExpense, _items(RigidExpense, chunk, saved, "expenses", "monthly_amount"))
        if progress:
            progress(start + len(chunk))


def _insert(model: type[M], rows: list[M]) -> list[M]:
    if not rows:
        return rows
    return bulk_create_with_history(rows, model, batch_size=BATCH,
                                    default_change_reason=REASON)


def _household(hh: HouseholdSpec) -> Household:
    return Household(number=hh.number, hukou=hh.hukou, area_id=hh.area_code,
                     address=hh.address, phone=hh.phone, bank_name=hh.bank_name,
                     bank_account=hh.bank_account)


def _person(p: PersonSpec, household_id: int, area_code: str) -> Person:
    return Person(household_id=household_id, area_id=area_code,
                  **{attr: getattr(p, attr) for attr in PERSON_ATTRS})


def _incomes(specs: Sequence[PersonSpec], saved: Sequence[Person]) -> list[IncomeItem]:
    return [IncomeItem(person_id=row.pk, kind=kind, monthly_amount=amount, note=note)
            for spec, row in zip(specs, saved, strict=True)
            for kind, amount, note in spec.incomes]


def _items(model: type[M], chunk: Sequence[HouseholdSpec], saved: Sequence[Household],
           attr: str, amount_field: str) -> list[M]:
    return [model(household_id=row.pk, kind=kind, note=note, **{amount_field: amount})
            for hh, row in zip(chunk, saved, strict=True)
            for kind, amount, note in getattr(hh, attr)]
