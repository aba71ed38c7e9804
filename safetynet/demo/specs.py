"""Plain records of the synthetic county, before they become database rows.

The generator fills these in memory (no Django models), so the same data can be written
through the ORM (``safetynet demo``) or by COPY (the search benchmark).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# The demo county is a picture of Donghai on this day (DOMAIN.md §1: January–September 2022).
REFERENCE_DATE = date(2022, 9, 1)
# The dibao standard S on that day (yuan per month), urban and rural alike.
STANDARD = 650

# Groups a household is generated for (what the generator aimed at, not a decision: the
# policy engine decides eligibility from the facts).
DIBAO, TEKUN, LOW_INCOME, RIGID = "dibao", "tekun", "low_income", "rigid_expenditure"
LEFT_BEHIND, ORPHAN, ORDINARY = "left_behind", "orphan", "ordinary"
GROUPS = (DIBAO, TEKUN, LOW_INCOME, RIGID, LEFT_BEHIND, ORPHAN, ORDINARY)

Item = tuple[str, int, str]  # kind, whole yuan, note


@dataclass(slots=True)
class PersonSpec:
    relation: str
    sex: str
    birth_date: date
    name: str = ""
    id_number: str = ""
    phone: str = ""
    marital_status: str = ""
    education: str = ""
    employment: str = ""
    disability_category: str = ""
    disability_grade: int | None = None
    serious_illness: bool = False
    health_notes: str = ""
    self_care: str = "full"
    ability_grade: int | None = None
    full_time_student: bool = False
    no_able_supporter: bool = False
    orphan_status: str = ""
    in_institution: bool = False
    not_counted: str = ""
    incomes: list[Item] = field(default_factory=list)

    @property
    def age(self) -> int:
        """Full years on the reference date."""
        ref, birth = REFERENCE_DATE, self.birth_date
        return ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))

    @property
    def monthly_income(self) -> int:
        return sum(amount for _kind, amount, _note in self.incomes)


@dataclass(slots=True)
class HouseholdSpec:
    group: str
    hukou: str
    members: list[PersonSpec]
    assets: list[Item] = field(default_factory=list)
    expenses: list[Item] = field(default_factory=list)
    area_code: str = ""
    number: str = ""
    address: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""

    @property
    def income(self) -> int:
        return sum(p.monthly_income for p in self.members)

    @property
    def per_capita_income(self) -> float:
        return self.income / len(self.members)


@dataclass(frozen=True, slots=True)
class AreaSpec:
    code: str
    name: str
    parent: str | None
