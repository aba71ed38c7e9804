"""One function per kind of household: composition, then incomes, assets and expenses.

Every template takes the Households builder and returns a HouseholdSpec; which group a
household is built for is only a label (the policy engine decides eligibility).
"""

from __future__ import annotations

from collections.abc import Callable

from safetynet.demo import specs as g
from safetynet.demo.households import (
    DIBAO_BAND,
    LOW_INCOME_BAND,
    ORDINARY_FLOOR,
    URBAN_DIBAO_BAND,
    Households,
)
from safetynet.demo.specs import STANDARD, HouseholdSpec, PersonSpec

Template = Callable[[Households], HouseholdSpec]
TEKUN_DISABILITIES = (("intellectual", 3), ("mental", 3), ("physical", 2), ("visual", 1))


def _hukou(urban: bool) -> str:
    return "urban" if urban else "rural"


# Dibao: income far below S, small assets; old, sick and disabled members ----------------

def dibao(h: Households, urban: bool) -> HouseholdSpec:
    size = h.people.pick((1, 2, 3, 4, 5), (55, 30, 10, 4, 1) if not urban else (62, 27, 9, 2, 0))
    members = _dibao_members(h, size, urban)
    for member in members:
        _mostly_disabled(h, member)
    hh = HouseholdSpec(g.DIBAO, _hukou(urban), members)
    h.earn(hh, URBAN_DIBAO_BAND if urban else DIBAO_BAND, poor=True)
    h.poor_assets(hh, deposit_cap=min(6000 * size, 14000))
    h.needy_expenses(hh)
    return hh


def _dibao_members(h: Households, size: int, urban: bool) -> list[PersonSpec]:
    p, roll = h.people, h.rng.random()
    if size == 1:
        if roll < 0.55:
            return [_maybe_disabled(h, p.person("head", p.old_age(0.4), p.sex(0.45), urban,
                                                married=False), 0.2)]
        head = p.person("head", h.rng.randint(35, 59), p.sex(0.6), urban, married=False)
        _sick_or_disabled(h, head, 0.7)
        return [head]
    if size == 2 and roll < 0.4:
        couple = h.couple(p.old_age(0.35), urban)
        return [_maybe_disabled(h, m, 0.2) for m in couple]
    if size == 2 and roll < 0.7:
        head = p.person("head", h.rng.randint(45, 72), p.sex(0.5), urban, married=False)
        p.formerly_married(head)
        child = h.children(head.age, 1, urban, max_age=40)[0]
        p.disable_any(child, (30, 40, 20, 10))
        return [head, child]
    if size == 2:
        head = p.person("head", h.rng.randint(28, 50), p.sex(0.3), urban, married=False)
        p.formerly_married(head)
        return [head, *(_maybe_disabled(h, c, 0.1) for c in h.children(head.age, 1, urban,
                                                                          max_age=17))]
    couple = h.couple(h.rng.randint(30, 55), urban)
    _sick_or_disabled(h, couple[h.rng.randrange(2)], 0.5)
    return couple + h.children(couple[0].age, size - 2, urban, max_age=22)


# Most adults that dibao supports in Donghai hold a disability certificate (the county pays
# the two disability allowances to about 9,400 people, nearly all of them in dibao).
DIBAO_ADULTS_DISABLED = 0.64


def _mostly_disabled(h: Households, p: PersonSpec) -> None:
    if p.age >= 16 and not p.disability_grade and h.rng.random() < DIBAO_ADULTS_DISABLED:
        h.people.disable_any(p, (50, 45, 3, 2))


def _maybe_disabled(h: Households, p: PersonSpec, share: float) -> PersonSpec:
    if h.rng.random() < share:
        h.people.disable_any(p)
    return p


def _sick_or_disabled(h: Households, p: PersonSpec, disabled_share: float) -> None:
    if h.rng.random() < disabled_share:
        h.people.disable_any(p, (25, 40, 20, 15))
    else:
        h.people.seriously_ill(p)


def dibao_rural(h: Households) -> HouseholdSpec:
    return dibao(h, urban=False)


def dibao_urban(h: Households) -> HouseholdSpec:
    return dibao(h, urban=True)


# Extreme poverty: alone, unable to work, no able supporter, income below S ------------

def tekun(h: Households) -> HouseholdSpec:
    p, urban = h.people, h.rng.random() < 0.03
    if h.rng.random() < 0.75:
        person = _maybe_disabled(h, p.person("head", p.old_age(0.42), p.sex(0.6), urban,
                                             married=False), 0.2)
    else:
        person = p.person("head", h.rng.randint(18, 59), p.sex(0.6), urban, married=False)
        category, worst = h.people.pick(TEKUN_DISABILITIES, (40, 30, 20, 10))
        p.disable(person, category, h.rng.randint(1, worst))
        person.employment = "unable"
    person.no_able_supporter = True
    if person.age >= 60:
        person.employment = "retired"
    person.in_institution = person.self_care == "none" or h.rng.random() < 0.2
    hh = HouseholdSpec(g.TEKUN, _hukou(urban), [person])
    h.pension(person, urban, poor=True)
    if person.age < 60 and not urban and h.rng.random() < 0.4:
        person.incomes.append(("property", h.rng.randint(5, 25) * 10, "土地流转租金"))
    h.poor_assets(hh, deposit_cap=3000)
    return hh


# Monitored low-income households: S ≤ per capita < 2S, assets within limits --------------

def low_income(h: Households) -> HouseholdSpec:
    urban = h.rng.random() < 0.05
    members = _family(h, urban, elderly_share=0.35)
    for m in members:
        if h.rng.random() < 0.01:
            h.people.disable_mildly(m)
    if h.rng.random() < 0.012:  # enrolled alone in dibao (单人保) by the rules
        h.people.disable_severely(h.rng.choice(members))
    hh = HouseholdSpec(g.LOW_INCOME, _hukou(urban), members)
    h.earn(hh, LOW_INCOME_BAND, poor=True)
    h.poor_assets(hh, deposit_cap=min(10000 * len(members), 15000))
    h.needy_expenses(hh)
    return hh


def rigid_expenditure(h: Households) -> HouseholdSpec:
    """Above the low-income line, but heavy medical costs leave less than S per person."""
    urban = h.rng.random() < 0.08
    members = _family(h, urban, elderly_share=0.2)
    h.people.seriously_ill(h.rng.choice(members))
    hh = HouseholdSpec(g.RIGID, _hukou(urban), members)
    h.earn(hh, (ORDINARY_FLOOR, 1900), poor=True)
    h.poor_assets(hh, deposit_cap=12000)
    n = len(members)
    cost = hh.income - h.rng.randint(STANDARD // 3, STANDARD - 20) * n
    hh.expenses.append(("medical", cost, next(m.health_notes for m in members
                                                if m.serious_illness)))
    return hh


def _family(h: Households, urban: bool, elderly_share: float) -> list[PersonSpec]:
    """An everyday household: elderly alone or together, or a family with children."""
    p, roll = h.people, h.rng.random()
    if roll < elderly_share / 2:
        return [p.person("head", p.old_age(0.3), p.sex(0.45), urban, married=False)]
    if roll < elderly_share:
        return h.couple(p.old_age(0.25), urban)
    if roll < 0.9:
        couple = h.couple(h.rng.randint(25, 55), urban)
        kids = h.children(couple[0].age, p.pick((0, 1, 2, 3), (15, 40, 35, 10)), urban)
        grandparents = h.parents(couple[0].age, urban, 1) if h.rng.random() < 0.3 else []
        return couple + kids + grandparents
    head = p.person("head", h.rng.randint(28, 50), p.sex(0.3), urban, married=False)
    p.formerly_married(head)
    return [head, *h.children(head.age, p.pick((1, 2), (70, 30)), urban, max_age=17)]


# Families with rural left-behind children: both parents work away -----------------------

def left_behind(h: Households) -> HouseholdSpec:
    couple = h.couple(h.rng.randint(26, 45), urban=False, head_male=0.95)
    couple[0].employment = "migrant"
    if h.rng.random() < 0.9:
        couple[1].employment = "migrant"
    else:  # the other parent cannot act as guardian
        h.people.disable_severely(couple[1])
        couple[1].employment = "unable"
    kids = h.children(couple[0].age, h.people.pick((1, 2, 3), (50, 40, 10)), False,
                      max_age=15)
    grandparents = h.parents(couple[0].age, False, h.people.pick((1, 2), (40, 60)))
    hh = HouseholdSpec(g.LEFT_BEHIND, "rural", couple + kids + grandparents)
    h.ordinary_income(hh)
    h.ordinary_assets(hh)
    return hh


# Orphans and children without a de facto carer, brought up by grandparents --------------

def orphans(h: Households) -> HouseholdSpec:
    urban = h.rng.random() < 0.1
    p = h.people
    if h.rng.random() < 0.6:
        carers = h.couple(h.rng.randint(58, 78), urban)
    else:
        carers = [p.person("head", h.rng.randint(58, 78), p.sex(0.4), urban, married=False)]
        p.formerly_married(carers[0])
    kids = h.children(carers[0].age - 25, p.pick((1, 2), (80, 20)), urban, "grandchild",
                      max_age=17)
    status = "orphan" if h.rng.random() < 0.65 else "no_de_facto_carer"
    for kid in kids:
        kid.orphan_status = status
    members = carers + kids
    if status == "no_de_facto_carer" and h.rng.random() < 0.5:
        father = p.person("child", h.rng.randint(30, 45), "M", urban, married=False)
        father.not_counted, father.employment = "prison", "unemployed"
        members.append(father)
    hh = HouseholdSpec(g.ORPHAN, _hukou(urban), members)
    h.ordinary_income(hh)
    h.ordinary_assets(hh)
    return hh


# The ordinary population ---------------------------------------------------------------

def _ordinary(h: Households, members: list[PersonSpec], urban: bool) -> HouseholdSpec:
    for m in members:
        _ordinary_disability(h, m)
    if h.rng.random() < 0.003:
        _absent(h, members)
    hh = HouseholdSpec(g.ORDINARY, _hukou(urban), members)
    h.ordinary_income(hh)
    h.ordinary_assets(hh)
    return hh


DISABILITY_BY_AGE = ((16, 0.0005), (60, 0.002), (80, 0.003), (200, 0.004))


def _ordinary_disability(h: Households, p: PersonSpec) -> None:
    share = next(s for limit, s in DISABILITY_BY_AGE if p.age < limit)
    if h.rng.random() < share:
        if h.rng.random() < 0.97:
            h.people.disable_severely(p)
        else:
            h.people.disable_mildly(p)


def _absent(h: Households, members: list[PersonSpec]) -> None:
    adults = [m for m in members if 20 <= m.age < 60 and m.relation != "head"]
    if adults:
        adult = h.rng.choice(adults)
        adult.not_counted = h.people.pick(("prison", "missing", "clergy"), (60, 35, 5))
        adult.employment = "unemployed"


def urban_share(h: Households) -> bool:
    return h.rng.random() < 0.12


def oldest_single(h: Households) -> HouseholdSpec:
    urban, p = urban_share(h), h.people
    head = p.person("head", p.old_age(1.0), p.sex(0.35), urban, married=False)
    return _ordinary(h, [head], urban)


def oldest_couple(h: Households) -> HouseholdSpec:
    urban = urban_share(h)
    couple = h.couple(h.people.old_age(1.0), urban)
    couple[1].birth_date = h.people.birth(max(couple[1].age, 76))
    return _ordinary(h, couple, urban)


def three_generations(h: Households) -> HouseholdSpec:
    urban = urban_share(h)
    couple = h.couple(h.rng.randint(45, 62), urban)
    kids = h.children(couple[0].age, h.people.pick((0, 1, 2), (20, 50, 30)), urban,
                      max_age=28)
    elders = h.parents(couple[0].age, urban, h.people.pick((1, 2), (55, 45)))
    return _ordinary(h, couple + kids + elders, urban)


def family(h: Households) -> HouseholdSpec:
    urban, p = urban_share(h), h.people
    if h.rng.random() < 0.92:
        parents = h.couple(h.rng.randint(24, 58), urban)
    else:
        parents = [p.person("head", h.rng.randint(28, 55), p.sex(0.4), urban, married=False)]
        p.formerly_married(parents[0])
    kids = h.children(parents[0].age, p.pick((0, 1, 2, 3), (15, 40, 35, 10)), urban,
                      max_age=28)
    return _ordinary(h, parents + kids, urban)


def elderly_couple(h: Households) -> HouseholdSpec:
    urban = urban_share(h)
    return _ordinary(h, h.couple(h.rng.randint(60, 79), urban), urban)


def single_adult(h: Households) -> HouseholdSpec:
    urban, p = urban_share(h), h.people
    return _ordinary(h, [p.person("head", h.rng.randint(20, 59), p.sex(0.6), urban,
                                  married=False)], urban)
