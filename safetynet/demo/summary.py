"""What the generated county contains, counted from the generated facts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from safetynet.core import areas as area_codes
from safetynet.demo import specs as g
from safetynet.demo.specs import STANDARD, AreaSpec, HouseholdSpec, PersonSpec


@dataclass
class Summary:
    townships: int = 0
    villages: int = 0
    communities: int = 0
    households: int = 0
    persons: int = 0
    households_by_group: Counter[str] = field(default_factory=Counter)
    persons_by_group: Counter[str] = field(default_factory=Counter)
    urban_households: int = 0
    disabled: int = 0
    aged_80_plus: int = 0
    left_behind_children: int = 0
    orphans: int = 0
    low_income_band_persons: int = 0  # S ≤ per-capita income < 2S
    below_standard_persons: int = 0  # per-capita income < S

    def lines(self) -> list[str]:
        """Human-readable lines for the command output (Chinese labels, English keys)."""
        hh, pp = self.households_by_group, self.persons_by_group
        return [
            f"areas: {self.townships} townships (乡镇), {self.villages} villages (村), "
            f"{self.communities} communities (社区)",
            f"households (户): {self.households:,}  persons (人): {self.persons:,}  "
            f"urban households: {self.urban_households:,}",
            *(f"  {group:<18} {hh[group]:>7,} households {pp[group]:>8,} persons"
              for group in g.GROUPS),
            f"per-capita income < S ({STANDARD}): {self.below_standard_persons:,} persons; "
            f"S…2S (low income): {self.low_income_band_persons:,} persons",
            f"disability certificates (残疾证): {self.disabled:,}  aged 80+ on "
            f"{g.REFERENCE_DATE}: {self.aged_80_plus:,}",
            f"rural left-behind children (留守儿童): {self.left_behind_children:,}  "
            f"orphans / children without de facto carer: {self.orphans:,}",
        ]


def summarise(tree: list[AreaSpec], households: list[HouseholdSpec]) -> Summary:
    s = Summary()
    for a in tree:
        level = area_codes.level_of(a.code)
        if level == area_codes.TOWNSHIP:
            s.townships += 1
        elif level == area_codes.VILLAGE:
            if area_codes.is_community(a.code):
                s.communities += 1
            else:
                s.villages += 1
    for hh in households:
        _count_household(s, hh)
    return s


def _count_household(s: Summary, hh: HouseholdSpec) -> None:
    n = len(hh.members)
    s.households += 1
    s.persons += n
    s.households_by_group[hh.group] += 1
    s.persons_by_group[hh.group] += n
    s.urban_households += hh.hukou == "urban"
    per_capita = hh.per_capita_income
    s.below_standard_persons += n if per_capita < STANDARD else 0
    s.low_income_band_persons += n if STANDARD <= per_capita < 2 * STANDARD else 0
    left_behind = is_left_behind_home(hh)
    for p in hh.members:
        s.disabled += bool(p.disability_grade)
        s.aged_80_plus += p.age >= 80
        s.orphans += bool(p.orphan_status) and p.age < 18
        s.left_behind_children += left_behind and p.relation == "child" and p.age < 16


def is_left_behind_home(hh: HouseholdSpec) -> bool:
    """Rural, and both parents (head and spouse) work away, or one does and the other is
    unable to act as guardian."""
    if hh.hukou != "rural":
        return False
    parents = [p for p in hh.members if p.relation in ("head", "spouse")]
    away = [p for p in parents if p.employment == "migrant"]
    return len(parents) == 2 and (len(away) == 2 or (len(away) == 1 and any(
        _unable_guardian(p) for p in parents if p.employment != "migrant")))


def _unable_guardian(p: PersonSpec) -> bool:
    return p.employment == "unable" or p.serious_illness or (p.disability_grade or 9) <= 2
