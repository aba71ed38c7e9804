"""Run the policy engine over the generated facts: does the county reproduce §1?

Used by ``safetynet demo --check`` and the tests; the generator itself never decides
eligibility.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import polars as pl

from safetynet.demo.specs import REFERENCE_DATE, HouseholdSpec

# DOMAIN.md §1, January–September 2022 (persons; households where published).
PUBLISHED = {"dibao_households": 8084 + 114, "dibao_persons": 13326 + 167,
             "tekun_persons": 1452, "disability_persons": 9434}
DISABILITY_PROGRAMS = ("disability_living", "disability_nursing")
TEKUN_PROGRAMS = ("tekun_basic",)
# Person-level dibao rows are the single-person enrolments (单人保).
SHOWN = {"dibao": "dibao_single"}


@dataclass(frozen=True)
class Outcome:
    """Persons (and dibao households) that the rules pay in the month of ``on``."""

    on: date
    dibao_households: int
    dibao_persons: int
    tekun_persons: int
    disability_persons: int
    persons_by_program: Counter[str]
    low_income_persons: int
    rigid_expenditure_persons: int

    def lines(self) -> list[str]:
        out = [f"policy engine on {self.on}:"]
        for key, published in PUBLISHED.items():
            value = getattr(self, key)
            out.append(f"  {key:<20} {value:>7,}  (published {published:,}, "
                       f"{100 * (value - published) / published:+.1f} %)")
        out.append(f"  low_income persons {self.low_income_persons:,}, rigid_expenditure "
                   f"persons {self.rigid_expenditure_persons:,}")
        out += [f"  {SHOWN.get(name, name):<20} {count:>7,} persons"
                for name, count in sorted(self.persons_by_program.items())]
        return out


def frames(households: list[HouseholdSpec]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The engine's input columns (policy.columns) built from the generated records."""
    persons: dict[str, list[object]] = {k: [] for k in PERSON_COLUMNS}
    homes: dict[str, list[object]] = {k: [] for k in HOUSEHOLD_COLUMNS}
    for h, hh in enumerate(households):
        _household_row(homes, str(h), hh)
        for i, p in enumerate(hh.members):
            row = (f"{h}.{i}", str(h), p.birth_date, p.relation, p.monthly_income,
                   p.disability_category or None, p.disability_grade, p.ability_grade,
                   p.self_care, p.serious_illness, p.no_able_supporter, p.orphan_status or None,
                   p.in_institution, p.full_time_student)
            for key, value in zip(PERSON_COLUMNS, row, strict=True):
                persons[key].append(value)
    return (pl.DataFrame(persons, schema=PERSON_COLUMNS),
            pl.DataFrame(homes, schema=HOUSEHOLD_COLUMNS))


def _household_row(homes: dict[str, list[object]], key: str, hh: HouseholdSpec) -> None:
    kinds = Counter(kind for kind, _v, _n in hh.assets)
    row = (key, hh.area_code, hh.hukou,
           sum(v for kind, v, _n in hh.assets if kind in ("deposit", "securities")),
           kinds["car"], kinds["house"], sum(v for _k, v, _n in hh.expenses))
    for column, value in zip(HOUSEHOLD_COLUMNS, row, strict=True):
        homes[column].append(value)


PERSON_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.String(), "household_id": pl.String(), "birth_date": pl.Date(),
    "relation": pl.String(), "monthly_income": pl.Int64(), "disability_category": pl.String(),
    "disability_grade": pl.Int8(), "ability_grade": pl.Int8(), "self_care": pl.String(),
    "serious_illness": pl.Boolean(), "no_able_supporter": pl.Boolean(),
    "orphan_status": pl.String(), "in_institution": pl.Boolean(),
    "full_time_student": pl.Boolean(),
}
HOUSEHOLD_COLUMNS: dict[str, pl.DataType] = {
    "id": pl.String(), "area_code": pl.String(), "hukou": pl.String(),
    "financial_assets": pl.Int64(), "vehicles": pl.Int64(), "houses": pl.Int64(),
    "rigid_expenses": pl.Int64(),
}


def evaluate(households: list[HouseholdSpec], on: date = REFERENCE_DATE) -> Outcome:
    from safetynet.policy import engine  # the policy layer is only needed for the check

    persons, homes = frames(households)
    rows = engine.evaluate(persons, homes, on)
    categories = engine.household_categories(persons, homes, on)
    return _outcome(on, rows, categories, persons)


def _outcome(on: date, rows: pl.DataFrame, categories: pl.DataFrame,
             persons: pl.DataFrame) -> Outcome:
    size = persons.group_by("household_id").len().rename({"len": "n"})
    dibao = rows.filter(pl.col("program") == "dibao")
    singles = dibao.filter(pl.col("person_id").is_not_null())
    counted = categories.join(size, left_on="household_id", right_on="household_id")
    by_program = Counter(dict(rows.filter(pl.col("person_id").is_not_null())
                              .group_by("program").len().iter_rows()))
    return Outcome(
        on=on,
        dibao_households=dibao["household_id"].n_unique(),
        dibao_persons=int(counted.filter(pl.col("dibao_eligible"))["counted_members"].sum())
        + singles.height,
        tekun_persons=sum(by_program[p] for p in TEKUN_PROGRAMS),
        disability_persons=rows.filter(pl.col("program").is_in(DISABILITY_PROGRAMS))
        ["person_id"].n_unique(),
        persons_by_program=by_program,
        low_income_persons=int(counted.filter(pl.col("low_income"))["n"].sum()),
        rigid_expenditure_persons=int(counted.filter(pl.col("rigid_expenditure"))["n"].sum()),
    )
