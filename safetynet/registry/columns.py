"""The registry's households as the rules engine's input columns: the one place that does it.

``registry_frames(households)`` takes a queryset of households that is already limited to
what the caller may see (``core.jurisdiction.scope``) and returns the two Polars frames of
``safetynet.policy.evaluate``: persons and households with exactly the fields of the JSON
format of docs/rules.md, ids being the database primary keys (Int64).

* only active households, and only their living members who are counted in the household
  (``deceased_on`` and ``not_counted`` empty);
* ``financial_assets`` = deposits + securities, ``vehicles`` = cars only (motorcycles and
  disability mobility vehicles do not count), ``houses`` = houses, ``rigid_expenses`` = the
  household's rigid monthly costs, ``monthly_income`` = the sum of the person's income items.

Five queries whatever the number of households: households, their assets and rigid costs
aggregated by the database, persons, and their incomes aggregated; the driver's rows go
in chunks straight into Polars, never through model instances or per-row conversion.
Encrypted fields are never read.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import connections
from django.db.models import BigIntegerField, Count, Q, QuerySet, Sum

from safetynet.policy.columns import HOUSEHOLD_FIELDS, PERSON_FIELDS
from safetynet.registry.choices import COUNTED_VEHICLES, FINANCIAL_ASSETS, AssetKind
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense

CHUNK = 50_000
FEN_PER_YUAN = 100
ID = pl.Int64()
# The person fields read as they are stored (income comes from IncomeItem).
PERSON_COLUMNS = (
    "id", "household_id", "birth_date", "relation", "disability_category", "disability_grade",
    "ability_grade", "self_care", "serious_illness", "no_able_supporter", "orphan_status",
    "in_institution", "full_time_student",
)
# Blank strings in the registry mean "none" (null) to the engine.
BLANK_IS_NULL = ("relation", "disability_category", "orphan_status", "self_care")


def person_schema() -> dict[str, pl.DataType]:
    return {**PERSON_FIELDS, "id": ID, "household_id": ID}


def household_schema() -> dict[str, pl.DataType]:
    return {**HOUSEHOLD_FIELDS, "id": ID}


def registry_frames(households: QuerySet[Household]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(persons, households) of the active households in ``households``, in primary-key
    order with each household's persons together (the engine's fast path)."""
    active = households.filter(active=True)
    ids = active.values("pk")
    homes = _households_frame(active, ids)
    persons = _persons_frame(ids)
    return persons, homes


def _households_frame(active: QuerySet[Household], ids: QuerySet[Any]) -> pl.DataFrame:
    rows = active.order_by("pk").values_list("pk", "area_id", "hukou")
    base = _frame(rows, {"id": ID, "area_code": pl.String(), "hukou": pl.String()})
    assets = _frame(_asset_totals(ids), {"id": ID, "financial_assets": pl.Int64(),
                                         "vehicles": pl.Int64(), "houses": pl.Int64()})
    rigid = _frame(_rigid_totals(ids), {"id": ID, "rigid_expenses": pl.Int64()})
    joined = (base.join(assets, on="id", how="left", maintain_order="left")
              .join(rigid, on="id", how="left", maintain_order="left"))
    return joined.select(
        "id", "area_code", "hukou",
        _yuan("financial_assets"),
        pl.col("vehicles").fill_null(0), pl.col("houses").fill_null(0),
        _yuan("rigid_expenses"),
    ).cast(household_schema())  # type: ignore[arg-type]


def _asset_totals(ids: QuerySet[Any]) -> QuerySet[Any]:
    return (Asset.objects.filter(household__in=ids).order_by().values("household_id")
            .annotate(financial=Sum("value", filter=Q(kind__in=FINANCIAL_ASSETS),
                                    output_field=BigIntegerField()),
                      vehicles=Count("pk", filter=Q(kind__in=COUNTED_VEHICLES)),
                      houses=Count("pk", filter=Q(kind=AssetKind.HOUSE)))
            .values_list("household_id", "financial", "vehicles", "houses"))


def _rigid_totals(ids: QuerySet[Any]) -> QuerySet[Any]:
    return (RigidExpense.objects.filter(household__in=ids).order_by().values("household_id")
            .annotate(total=Sum("monthly_amount", output_field=BigIntegerField()))
            .values_list("household_id", "total"))


def _persons_frame(ids: QuerySet[Any]) -> pl.DataFrame:
    counted = Person.objects.filter(household__in=ids, deceased_on__isnull=True, not_counted="")
    rows = counted.order_by("household_id", "pk").values_list(*PERSON_COLUMNS)
    schema = {name: person_schema()[name] for name in PERSON_COLUMNS}
    persons = _frame(rows, schema)
    incomes = _frame(_income_totals(counted), {"id": ID, "income": pl.Int64()})
    joined = persons.join(incomes, on="id", how="left", maintain_order="left")
    return joined.select(
        *(pl.col(name).replace("", None) if name in BLANK_IS_NULL else pl.col(name)
          for name in PERSON_COLUMNS[:4]),
        _yuan("income").alias("monthly_income"),
        *(pl.col(name).replace("", None) if name in BLANK_IS_NULL else pl.col(name)
          for name in PERSON_COLUMNS[4:]),
    ).cast(person_schema())  # type: ignore[arg-type]


def _income_totals(counted: QuerySet[Person]) -> QuerySet[Any]:
    return (IncomeItem.objects.filter(person__in=counted.values("pk")).order_by()
            .values("person_id")
            .annotate(total=Sum("monthly_amount", output_field=BigIntegerField()))
            .values_list("person_id", "total"))


def _yuan(column: str) -> pl.Expr:
    """Integer fen (null: none) -> Float64 yuan, exact to the fen for the engine."""
    return (pl.col(column).fill_null(0).cast(pl.Float64) / FEN_PER_YUAN).alias(column)


def _frame(rows: QuerySet[Any], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``rows`` (a values_list queryset) and read the driver's tuples into a frame,
    chunk by chunk, without the ORM's per-row conversion (the drivers already hand back
    dates and booleans: Django registers SQLite's converters by declared type)."""
    sql, params = rows.query.sql_with_params()
    chunks = []
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(CHUNK):
            chunks.append(pl.DataFrame(batch, schema=schema, orient="row"))
    if not chunks:
        return pl.DataFrame(schema=schema)
    return pl.concat(chunks, how="vertical", rechunk=True)
