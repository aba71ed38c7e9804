"""Household templates: who lives together, what they earn and own, per target group.

Each template returns a HouseholdSpec whose *facts* (ages, incomes, assets, disabilities)
put it where the group needs it; the policy engine later decides eligibility from them.
Income bands are per capita per month in whole yuan, relative to the standard S = 650.
"""

from __future__ import annotations

import math
import random

from safetynet.demo.people import WORKING, People
from safetynet.demo.specs import LEFT_BEHIND, STANDARD, HouseholdSpec, Item, PersonSpec

DIBAO_BAND = (110, 600)  # well below S
URBAN_DIBAO_BAND = (50, 430)  # town households in dibao have less to live on
LOW_INCOME_BAND = (STANDARD, 2 * STANDARD - 1)  # S ≤ per capita < 2S
ORDINARY_FLOOR = 2 * STANDARD + 50  # clearly above the low-income line
# Most one person earns in a month, by kind of work (yuan).
EARNINGS_CAP = {"farming": 5000, "employed": 9000, "self_employed": 15000, "migrant": 9000}


class Households:
    """Builds households of every group from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people = People(rng)

    # Shared pieces ------------------------------------------------------------------

    def couple(self, age: int, urban: bool, head_male: float = 0.85) -> list[PersonSpec]:
        """A married head and spouse of about ``age``."""
        p = self.people
        head_sex = p.sex(head_male)
        spouse_age = max(18, age + self.rng.randint(-4, 4) * (1 if head_sex == "F" else -1))
        head = p.person("head", age, head_sex, urban, married=True)
        spouse = p.person("spouse", spouse_age, "F" if head_sex == "M" else "M", urban,
                          married=True)
        return [head, spouse]

    def children(self, parent_age: int, count: int, urban: bool, relation: str = "child",
                 max_age: int = 30) -> list[PersonSpec]:
        """``count`` children of a parent of ``parent_age``, born when they were 20 or more,
        at most ``max_age`` years old, eldest first."""
        oldest = max(0, min(max_age, parent_age - 20))
        ages = sorted((self.rng.randint(0, oldest) for _ in range(count)), reverse=True)
        return [self.people.person(relation, a, self.people.sex(0.52), urban) for a in ages]

    def parents(self, head_age: int, urban: bool, count: int) -> list[PersonSpec]:
        """The head's elderly parents (one or two; one alone is mostly widowed)."""
        age = min(104, head_age + self.rng.randint(22, 34))
        sexes = ["M", "F"] if count == 2 else [self.people.sex(0.35)]
        elders = [self.people.person("parent", age + (0 if s == "M" else -2), s, urban,
                                     married=count == 2) for s in sexes]
        if count == 1:
            self.people.formerly_married(elders[0])
        return elders

    # Incomes ------------------------------------------------------------------------

    def pension(self, p: PersonSpec, urban: bool, poor: bool) -> None:
        """Basic pension for the elderly: rural basic or (not poor) urban retirement."""
        if p.age < 60:
            return
        if urban and not poor:
            p.incomes.append(("pension", self.rng.randint(1800, 4200), "城镇职工养老金"))
        elif urban:
            p.incomes.append(("pension", self.rng.randint(150, 400), "城乡居民养老金"))
        else:
            p.incomes.append(("pension", self.rng.randint(160, 230), "城乡居民基础养老金"))

    def earn(self, hh: HouseholdSpec, band: tuple[int, int], poor: bool,
             aim: int | None = None) -> None:
        """Give the household a per-capita income in ``band`` (``aim`` if given, else
        drawn from the band).

        Pensions first; the working members earn the rest, each up to a plausible monthly
        maximum (idle working-age adults of households that need more find work). What
        is still missing is land rent (poor village households), help from relatives
        (poor town households) or the children's support (everybody else).
        """
        urban = hh.hukou == "urban"
        avoid_left_behind(hh)
        for p in hh.members:
            self.pension(p, urban, poor)
        n = len(hh.members)
        workers = [p for p in hh.members if p.employment in WORKING]
        if not poor and band[0] * n - hh.income > capacity(workers):
            workers += self._find_work(hh, urban)
        # Aim inside the band, but not beyond what the workers can earn (unless that
        # would leave the household below the band).
        target = aim * n if aim else self.rng.randint(band[0] * n, band[1] * n)
        rest = target - hh.income
        rest = max(min(rest, capacity(workers)), band[0] * n - hh.income)
        if rest > 0 and workers:
            rest -= self._share(workers, rest)
        if rest > 0:
            head = hh.members[0]
            kind, note = fallback_income(band[0] < 2 * STANDARD, urban, head.age)
            head.incomes.append((kind, rest, note))

    def _find_work(self, hh: HouseholdSpec, urban: bool) -> list[PersonSpec]:
        idle = [p for p in hh.members if p.employment == "unemployed" and not p.not_counted]
        for p in idle:
            p.employment = "employed" if urban or self.rng.random() < 0.5 else "farming"
        return idle

    def _share(self, workers: list[PersonSpec], total: int) -> int:
        """Split ``total`` over the workers, each within their cap; return what was paid."""
        weights = {id(p): self.rng.uniform(0.5, 1.5) for p in workers}
        pay = {id(p): 0 for p in workers}
        open_, left = list(workers), total
        while left > 0 and open_:  # fill up to the caps, spreading what a cap cuts off
            scale = left / sum(weights[id(p)] for p in open_)
            for p in list(open_):
                room = EARNINGS_CAP[p.employment] - pay[id(p)]
                amount = min(max(1, int(weights[id(p)] * scale)), room, left)
                pay[id(p)] += amount
                left -= amount
                if amount == room:
                    open_.remove(p)
        for p in workers:
            if pay[id(p)] > 0:
                p.incomes.append(work_income(p.employment, pay[id(p)]))
        return total - left

    def ordinary_income(self, hh: HouseholdSpec) -> None:
        median = 3300 if hh.hukou == "urban" else 1900
        per_capita = int(self.rng.lognormvariate(math.log(median), 0.45))
        floor = ORDINARY_FLOOR + self.rng.randint(0, 500)
        aim = max(per_capita, floor)
        self.earn(hh, (floor, aim), poor=False, aim=aim)

    # Assets and expenses ----------------------------------------------------------------

    def poor_assets(self, hh: HouseholdSpec, deposit_cap: int) -> None:
        """Assets within the dibao limits: small deposits, no car, at most one house."""
        if self.rng.random() < 0.6:
            hh.assets.append(("deposit", self.rng.randint(1, deposit_cap // 100) * 100, ""))
        if hh.hukou == "rural" and self.rng.random() < 0.88:
            hh.assets.append(("house", self.rng.randint(3, 12) * 10000, "农村自建房"))
        elif hh.hukou == "urban" and self.rng.random() < 0.4:
            hh.assets.append(("house", self.rng.randint(15, 40) * 10000, "商品房"))
        if self.rng.random() < 0.25:
            hh.assets.append(("motorcycle", self.rng.randint(2, 6) * 500, "电动三轮车"))
        if any(p.disability_category == "physical" for p in hh.members) and \
                self.rng.random() < 0.3:
            hh.assets.append(("mobility_vehicle", 3000, "残疾人代步车"))

    def ordinary_assets(self, hh: HouseholdSpec) -> None:
        deposit = int(self.rng.lognormvariate(math.log(40000), 1.0)) // 100 * 100
        hh.assets.append(("deposit", max(deposit, 1000), ""))
        urban = hh.hukou == "urban"
        value = self.rng.randint(25, 90) if urban else self.rng.randint(5, 20)
        hh.assets.append(("house", value * 10000, "商品房" if urban else "农村自建房"))
        if self.rng.random() < 0.2:
            hh.assets.append(("house", self.rng.randint(30, 80) * 10000, "县城商品房"))
        if any(p.employment in WORKING for p in hh.members) and self.rng.random() < 0.35:
            hh.assets.append(("car", self.rng.randint(5, 20) * 10000, "小型轿车"))
        if self.rng.random() < 0.05:
            hh.assets.append(("securities", self.rng.randint(1, 30) * 10000, "理财产品"))

    def needy_expenses(self, hh: HouseholdSpec) -> None:
        """Medical costs of the seriously ill, school costs of students."""
        for p in hh.members:
            if p.serious_illness:
                hh.expenses.append(("medical", self.rng.randint(3, 15) * 100, p.health_notes))
            elif p.full_time_student and p.age >= 16:
                hh.expenses.append(("education", self.rng.randint(2, 8) * 100, "学费住宿费"))
            elif p.disability_grade and p.age < 16:
                hh.expenses.append(("rehabilitation", self.rng.randint(3, 10) * 100,
                                    "康复训练"))


def work_income(employment: str, amount: int) -> Item:
    kind, note = {
        "farming": ("farming", "种植养殖收入"),
        "employed": ("wages", "工资收入"),
        "self_employed": ("business", "个体经营收入"),
        "migrant": ("wages", "外出务工收入"),
    }[employment]
    return kind, amount, note


def capacity(workers: list[PersonSpec]) -> int:
    return sum(EARNINGS_CAP[p.employment] for p in workers)


def fallback_income(poor: bool, urban: bool, head_age: int) -> tuple[str, str]:
    """Income kind and note of what the household's work does not bring in."""
    if poor and not urban:
        return "property", "土地流转租金"
    return "transfer", "子女赡养费" if head_age >= 60 else "亲友资助"


def avoid_left_behind(hh: HouseholdSpec) -> None:
    """Outside the left-behind group, a school child keeps a parent at home: at most one
    parent works away, and only when the other is there and able."""
    if hh.group == LEFT_BEHIND or not any(m.relation == "child" and m.age < 16
                                          for m in hh.members):
        return
    parents = [m for m in hh.members if m.relation in ("head", "spouse")]
    migrants = [m for m in parents if m.employment == "migrant"]
    able_pair = len(parents) == 2 and all(m.employment != "unable" for m in parents)
    if len(migrants) > 1 or (migrants and not able_pair):
        for m in migrants:
            m.employment = "farming"
