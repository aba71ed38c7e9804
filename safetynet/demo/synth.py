"""The synthetic county in memory: how many households of each kind, where they live.

``generate(scale, seed, areas)`` is pure Python (no database): the same arguments always
give the same households, persons, names and ID numbers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from safetynet.core import areas as area_codes
from safetynet.demo import templates as t
from safetynet.demo.households import Households
from safetynet.demo.identity import Addresses, Identities
from safetynet.demo.specs import AreaSpec, HouseholdSpec

# Households of each kind at scale 1.0: DOMAIN.md §1 magnitudes (dibao 8,084 + 114
# households / 13,326 + 167 persons, 1,452 extreme-poverty persons, ~9,400 disability
# allowance holders, ~35,000 aged 80+, 4,000+ left-behind children, ~25,000 low-income
# persons) inside an ordinary population of about 175,000.
PLAN: tuple[tuple[t.Template, int], ...] = (
    (t.dibao_rural, 8010),
    (t.dibao_urban, 114),
    (t.tekun, 1452),
    (t.low_income, 9150),
    (t.rigid_expenditure, 450),
    (t.left_behind, 2650),
    (t.orphans, 48),
    (t.oldest_single, 10500),
    (t.oldest_couple, 7000),
    (t.three_generations, 10000),
    (t.family, 13000),
    (t.elderly_couple, 5000),
    (t.single_adult, 3000),
)
# Where households live: urban ones mostly in communities, rural ones in villages.
URBAN_IN_COMMUNITY, RURAL_IN_COMMUNITY = 0.9, 0.03


@dataclass(frozen=True)
class Places:
    villages: list[str]
    communities: list[str]
    street_villages: list[str]

    @classmethod
    def of(cls, tree: list[AreaSpec]) -> Places:
        lowest = [a.code for a in tree if area_codes.level_of(a.code) == area_codes.VILLAGE]
        communities = [c for c in lowest if area_codes.is_community(c)]
        villages = [c for c in lowest if not area_codes.is_community(c)]
        streets = [c for c in villages if area_codes.township_kind(c) == "street"]
        return cls(villages, communities, streets)

    def pick(self, rng: random.Random, urban: bool) -> str:
        if urban:
            in_community = rng.random() < URBAN_IN_COMMUNITY or not self.street_villages
            return rng.choice(self.communities if in_community else self.street_villages)
        return rng.choice(self.communities if rng.random() < RURAL_IN_COMMUNITY
                          else self.villages)


def scaled(count: int, scale: float) -> int:
    """``count`` × ``scale``, at least one so every group exists at small scales."""
    return max(1, round(count * scale)) if scale > 0 else 0


def compose(scale: float, rng: random.Random) -> list[HouseholdSpec]:
    """Every household of the plan, in random order (so numbers interleave the groups)."""
    builder = Households(rng)
    households = [template(builder) for template, count in PLAN
                  for _ in range(scaled(count, scale))]
    rng.shuffle(households)
    return households


def generate(scale: float, seed: int, tree: list[AreaSpec],
             last_numbers: dict[str, int] | None = None,
             taken_indexes: set[str] | None = None) -> list[HouseholdSpec]:
    """The county's households with areas, numbers, addresses, names and ID numbers
    (avoiding ID numbers whose blind index is in ``taken_indexes``)."""
    rng = random.Random(seed)
    households = compose(scale, rng)
    places = Places.of(tree)
    addresses = Addresses(rng, tree, last_numbers)
    identities = Identities(rng, tree, taken_indexes)
    for hh in households:
        hh.area_code = places.pick(rng, hh.hukou == "urban")
        addresses.fill(hh)
        identities.fill(hh)
    return households
