"""One synthetic person: age, schooling, work, marriage, health and disability facts."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from safetynet.demo.specs import REFERENCE_DATE, PersonSpec

T = TypeVar("T")
WORKING = ("farming", "employed", "self_employed", "migrant")
CHRONIC = ("高血压", "糖尿病", "冠心病", "慢性支气管炎", "脑梗死后遗症", "类风湿关节炎",
           "腰椎间盘突出", "白内障")
SERIOUS = ("尿毒症（血液透析）", "恶性肿瘤", "白血病", "肝硬化失代偿期", "重症精神病",
           "系统性红斑狼疮", "慢性心力衰竭")
CATEGORIES = ("physical", "visual", "hearing", "speech", "intellectual", "mental", "multiple")
CATEGORY_WEIGHTS = (45, 14, 12, 2, 10, 12, 5)
# Elderly ability grade (0 intact … 4 complete loss) by age band, per cent.
ABILITY_60 = (62, 24, 9, 4, 1)
ABILITY_80 = (30, 34, 20, 11, 5)


class People:
    """Draws persons and their facts from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    # Ages and dates ------------------------------------------------------------------

    def birth(self, age: int) -> date:
        """A birth date giving ``age`` full years on the reference date."""
        anniversary = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - age)
        return anniversary - timedelta(days=self.rng.randrange(365))

    def old_age(self, share_80: float) -> int:
        """An age of 60+, 80+ with probability ``share_80`` (tail thinning past 80)."""
        if self.rng.random() < share_80:
            return 80 + min(int(self.rng.expovariate(0.25)), 24)
        return self.rng.randint(60, 79)

    def sex(self, male_share: float = 0.5) -> str:
        return "M" if self.rng.random() < male_share else "F"

    # Persons -------------------------------------------------------------------------

    def person(self, relation: str, age: int, sex: str, urban: bool,
               married: bool | None = None) -> PersonSpec:
        p = PersonSpec(relation=relation, sex=sex, birth_date=self.birth(age))
        p.education = self.education(age, p.birth_date.year, urban)
        p.marital_status = self.marital(age, married, relation)
        p.employment = self.employment(age, urban)
        p.full_time_student = p.employment == "student" and age >= 6
        if age >= 60:
            self.elderly_health(p, age)
        return p

    def education(self, age: int, birth_year: int, urban: bool) -> str:
        if age < 3:
            return ""
        by_age = ((6, "preschool"), (12, "primary"), (15, "junior"), (18, "senior"))
        for limit, level in by_age:
            if age <= limit:
                return level
        if birth_year < 1950:
            return self.pick(("none", "primary", "junior"), (45, 40, 15))
        if birth_year < 1970:
            return self.pick(("none", "primary", "junior", "senior"), (10, 35, 40, 15))
        college = 30 if urban else 15
        return self.pick(("primary", "junior", "senior", "college"),
                          (5, 45, 50 - college, college))

    def marital(self, age: int, married: bool | None, relation: str = "") -> str:
        """``married`` True/False when the household says so, None to draw by age."""
        if married:
            return "married"
        if age < 20:
            return ""
        if relation in ("child", "grandchild"):  # grown-up children at home: unmarried
            return "single" if age < 40 or self.rng.random() < 0.7 else "divorced"
        if married is False:
            if age >= 60:
                return self.pick(("widowed", "divorced", "single"), (80, 10, 10))
            return self.pick(("single", "divorced", "widowed"), (50, 35, 15))
        if age < 30:
            return self.pick(("single", "married", "divorced"), (60, 37, 3))
        return "married"

    def formerly_married(self, p: PersonSpec) -> None:
        """A parent without a spouse in the household: widowed or divorced."""
        p.marital_status = self.pick(("widowed", "divorced"), (75, 25) if p.age >= 50
                                     else (35, 65))

    def employment(self, age: int, urban: bool) -> str:
        if age < 6:
            return "child"
        if age < 16 or (age < 23 and self.rng.random() < 0.55):
            return "student"
        if age >= 60:
            return "retired" if urban else ("farming" if age < 70 and self.rng.random() < 0.5
                                            else "retired")
        if urban:
            return self.pick(("employed", "self_employed", "unemployed"), (68, 22, 10))
        return self.pick(("farming", "migrant", "employed", "self_employed", "unemployed"),
                          (30, 25, 25, 12, 8))

    def elderly_health(self, p: PersonSpec, age: int) -> None:
        grade = self.pick((0, 1, 2, 3, 4), ABILITY_80 if age >= 80 else ABILITY_60)
        p.ability_grade = grade
        p.self_care = "full" if grade <= 1 else "partial" if grade <= 3 else "none"
        if self.rng.random() < 0.45:
            p.health_notes = self.rng.choice(CHRONIC)

    # Health and disability -----------------------------------------------------------

    def disable(self, p: PersonSpec, category: str, grade: int) -> None:
        """Give ``p`` a disability certificate of ``category`` and ``grade``."""
        p.disability_category, p.disability_grade = category, grade
        if grade <= 2 and p.employment in (*WORKING, "unemployed"):
            p.employment = "unable"
        if grade == 1 and p.self_care == "full":
            p.self_care = "partial" if self.rng.random() < 0.6 else "none"

    def category(self) -> str:
        return self.pick(CATEGORIES, CATEGORY_WEIGHTS)

    def grade(self, weights: tuple[int, int, int, int] = (15, 30, 30, 25)) -> int:
        return self.pick((1, 2, 3, 4), weights)

    def disable_any(self, p: PersonSpec, weights: tuple[int, int, int, int] = (15, 30, 30, 25)
                    ) -> None:
        self.disable(p, self.category(), self.grade(weights))

    def disable_severely(self, p: PersonSpec) -> None:
        """A certificate that earns the nursing allowance: grade 1–2, or 3–4
        intellectual/mental."""
        category = self.category()
        mind = category in ("intellectual", "mental")
        self.disable(p, category, self.grade((20, 45, 25, 10) if mind else (35, 65, 0, 0)))

    def disable_mildly(self, p: PersonSpec) -> None:
        """Grade 3–4 of a physical kind, or grade 4 intellectual/mental (not severe)."""
        category = self.category()
        if category in ("intellectual", "mental"):
            self.disable(p, category, 4)
        else:
            self.disable(p, category, self.grade((0, 0, 45, 55)))

    def seriously_ill(self, p: PersonSpec) -> None:
        p.serious_illness = True
        p.health_notes = self.rng.choice(SERIOUS)
        if p.employment in (*WORKING, "unemployed"):
            p.employment = "unable"

    # Helpers ------------------------------------------------------------------------

    def pick(self, values: Sequence[T], weights: tuple[float, ...]) -> T:
        return weighted(self.rng, values, weights)


_CUMULATIVE: dict[tuple[float, ...], list[float]] = {}


def weighted(rng: random.Random, values: Sequence[T], weights: tuple[float, ...]) -> T:
    """One of ``values`` drawn with ``weights`` (a faster ``rng.choices(...)[0]``)."""
    cumulative = _CUMULATIVE.get(weights)
    if cumulative is None:
        cumulative = _CUMULATIVE[weights] = list(itertools.accumulate(weights))
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]
