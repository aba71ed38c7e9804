"""Input columns: Polars frames of persons and households -> household-indexed NumPy arrays."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

PERSON_FIELDS: dict[str, pl.DataType] = {
    "id": pl.String(),
    "household_id": pl.String(),
    "birth_date": pl.Date(),
    "relation": pl.String(),
    "monthly_income": pl.Float64(),
    "disability_category": pl.String(),
    "disability_grade": pl.Int8(),
    "ability_grade": pl.Int8(),
    "self_care": pl.String(),
    "serious_illness": pl.Boolean(),
    "no_able_supporter": pl.Boolean(),
    "orphan_status": pl.String(),
    "in_institution": pl.Boolean(),
    "full_time_student": pl.Boolean(),
}
HOUSEHOLD_FIELDS: dict[str, pl.DataType] = {
    "id": pl.String(),
    "area_code": pl.String(),
    "hukou": pl.String(),
    "financial_assets": pl.Float64(),
    "vehicles": pl.Int64(),
    "houses": pl.Int64(),
    "rigid_expenses": pl.Float64(),
}
DISABILITY_CATEGORIES = (
    "visual",
    "hearing",
    "speech",
    "physical",
    "intellectual",
    "mental",
    "multiple",
)
SELF_CARE_LEVELS = ("full", "partial", "none")
ORPHAN_STATUSES = ("orphan", "no_de_facto_carer")
HUKOU_TYPES = ("rural", "urban")
MAX_AGE = 150

BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]
SmallArray = NDArray[np.int8]


class ColumnError(ValueError):
    """The input frames lack a column, hold an unknown code, or do not line up."""


@dataclass(frozen=True)
class Persons:
    """One entry per person, in input order; ``hh`` is the household index."""

    hh: IntArray
    age: NDArray[np.int16]
    income: IntArray  # fen per month
    disability: SmallArray  # 0 none, 1.. index+1 into DISABILITY_CATEGORIES
    grade: SmallArray  # 0 none, 1-4
    ability: SmallArray  # -1 none, 0-4
    self_care: SmallArray  # 0 full, 1 partial, 2 none
    orphan: SmallArray  # 0 none, 1 orphan, 2 no de facto carer
    serious_illness: BoolArray
    no_able_supporter: BoolArray
    in_institution: BoolArray
    student: BoolArray

    def __len__(self) -> int:
        return len(self.hh)


@dataclass(frozen=True)
class Households:
    urban: BoolArray
    assets: IntArray  # fen
    vehicles: IntArray
    houses: IntArray
    rigid: IntArray  # fen per month

    def __len__(self) -> int:
        return len(self.urban)


def code_of(name: str, values: tuple[str, ...]) -> int:
    """The integer code used in the arrays for a categorical value (0 = none)."""
    return values.index(name) + 1


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ColumnError(f"{what} frame lacks column(s): {', '.join(missing)}")


def _codes(series: pl.Series, values: tuple[str, ...], what: str) -> SmallArray:
    """Categorical strings (String or Enum) -> int8 codes, 0 for null."""
    if isinstance(series.dtype, pl.Enum):
        categories = series.dtype.categories.to_list()
        unknown = [c for c in categories if c not in values]
        if unknown:
            raise ColumnError(f"{what}: unknown value {unknown[0]!r}")
        lookup = np.array([values.index(c) + 1 for c in categories] + [0], np.int8)
        physical = series.to_physical().fill_null(len(categories)).to_numpy()
        return lookup[physical]
    strings = series.cast(pl.String)
    bad = strings.drop_nulls().filter(~strings.drop_nulls().is_in(list(values)))
    if len(bad):
        raise ColumnError(f"{what}: unknown value {bad[0]!r}")
    mapping = {v: i + 1 for i, v in enumerate(values)}
    coded = strings.replace_strict(mapping, default=0, return_dtype=pl.Int8).fill_null(0)
    return coded.to_numpy()


def _fen(series: pl.Series) -> IntArray:
    """Yuan amounts (integer, decimal or float) -> int64 fen, nulls as 0."""
    if series.dtype.is_integer():
        return series.fill_null(0).cast(pl.Int64).to_numpy() * 100
    if isinstance(series.dtype, pl.Decimal):
        scaled = series.cast(pl.Decimal(38, 2)).fill_null(0) * 100
        return scaled.cast(pl.Int64).to_numpy()
    return np.rint(series.fill_null(0.0).cast(pl.Float64).to_numpy() * 100).astype(np.int64)


def _ints(series: pl.Series, dtype: type[np.integer], null: int) -> NDArray[np.integer]:
    return series.fill_null(null).cast(pl.Int64).to_numpy().astype(dtype, copy=False)


def _bools(frame: pl.DataFrame, name: str) -> BoolArray:
    if name not in frame.columns:
        return np.zeros(frame.height, np.bool_)
    return frame[name].fill_null(False).to_numpy().astype(np.bool_, copy=False)


@functools.lru_cache(maxsize=16)
def age_table(on: dt.date) -> tuple[int, NDArray[np.int16]]:
    """(first day number, age per day number) for birth days; age on the 1st of on's month.

    Cached per date (it is the same for every call of a month; ~0.4 ms to build); the
    array is read-only."""
    first = on.replace(day=1)
    cutoffs = np.array(
        [_days(dt.date(first.year - k, first.month, 1)) for k in range(MAX_AGE + 1)], np.int64
    )[::-1]
    start = int(cutoffs[0]) - 400
    days = np.arange(start, int(cutoffs[-1]) + 1, dtype=np.int64)
    ages = (MAX_AGE - np.searchsorted(cutoffs, days, side="left")).astype(np.int16)
    ages.setflags(write=False)
    return start, ages


def _days(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


def ages_on(birth: pl.Series, on: dt.date) -> NDArray[np.int16]:
    """Full years on the first day of the month of ``on`` (-1 for a birth after that day)."""
    start, table = age_table(on)
    days = birth.cast(pl.Date).to_physical().cast(pl.Int64).to_numpy()
    if birth.null_count():
        raise ColumnError("persons: birth_date may not be null")
    index = np.clip(days - start, 0, len(table))
    padded = np.append(table, np.int16(-1))
    return padded[index]


def household_index(persons: pl.DataFrame, households: pl.DataFrame) -> IntArray:
    """Index into ``households`` of each person's household."""
    pid = persons["household_id"]
    hid = households["id"]
    if hid.n_unique() != len(hid):
        raise ColumnError("households: id is not unique")
    if pid.dtype != hid.dtype:
        pid, hid = pid.cast(pl.String), hid.cast(pl.String)
    fast = _grouped_index(pid, hid)
    if fast is not None:
        return fast
    index = pid.to_frame("id").join(
        hid.to_frame("id").with_row_index("i"), on="id", how="left", maintain_order="left"
    )["i"]
    if index.null_count():
        unknown = pid.filter(index.is_null())[0]
        raise ColumnError(f"persons: household_id {unknown!r} is not in households")
    return index.cast(pl.Int64).to_numpy()


def _grouped_index(pid: pl.Series, hid: pl.Series) -> IntArray | None:
    """Fast path: persons already grouped by household in the households' order."""
    if len(pid) == 0:
        return np.zeros(0, np.int64)
    starts = (pid != pid.shift(1)).fill_null(True)
    runs = pid.filter(starts)
    if len(runs) > len(hid) or not runs.equals(hid.head(len(runs)), check_names=False):
        return None
    return (starts.cast(pl.Int64).cum_sum() - 1).to_numpy()


def person_arrays(persons: pl.DataFrame, hh: IntArray, on: dt.date) -> Persons:
    _require(persons, ("id", "household_id", "birth_date"), "persons")
    get = persons.get_column

    def optional(name: str) -> pl.Series:
        if name in persons.columns:
            return get(name)
        return pl.Series(name, [None] * persons.height, PERSON_FIELDS[name])

    return Persons(
        hh=hh,
        age=ages_on(get("birth_date"), on),
        income=_fen(optional("monthly_income")),
        disability=_codes(
            optional("disability_category"), DISABILITY_CATEGORIES, "persons.disability_category"
        ),
        grade=_ints(optional("disability_grade"), np.int8, 0).astype(np.int8),
        ability=_ints(optional("ability_grade"), np.int8, -1).astype(np.int8),
        self_care=(_codes(optional("self_care"), SELF_CARE_LEVELS, "persons.self_care") - 1)
        .clip(0, None)
        .astype(np.int8),
        orphan=_codes(optional("orphan_status"), ORPHAN_STATUSES, "persons.orphan_status"),
        serious_illness=_bools(persons, "serious_illness"),
        no_able_supporter=_bools(persons, "no_able_supporter"),
        in_institution=_bools(persons, "in_institution"),
        student=_bools(persons, "full_time_student"),
    )


def household_arrays(households: pl.DataFrame) -> Households:
    _require(households, ("id", "area_code", "hukou"), "households")
    if households["area_code"].null_count() or households["hukou"].null_count():
        raise ColumnError("households: area_code and hukou may not be null")
    frame = households

    def column(name: str) -> pl.Series:
        if name in frame.columns:
            return frame[name]
        return pl.Series(name, [None] * frame.height, HOUSEHOLD_FIELDS[name])

    hukou = _codes(frame["hukou"], HUKOU_TYPES, "households.hukou")
    return Households(
        urban=hukou == code_of("urban", HUKOU_TYPES),
        assets=_fen(column("financial_assets")),
        vehicles=_ints(column("vehicles"), np.int64, 0).astype(np.int64),
        houses=_ints(column("houses"), np.int64, 0).astype(np.int64),
        rigid=_fen(column("rigid_expenses")),
    )
