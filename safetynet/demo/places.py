"""The demo county's area tree: county → 20 townships → 346 villages and 25 communities.

The tree does not depend on the population seed: every demo database has the same codes
and names, so the demo logins always land in the same township and village.
"""

from __future__ import annotations

import random

from safetynet.demo.names import TOWNSHIPS, community_names, village_names
from safetynet.demo.specs import AreaSpec

COUNTY_CODE = "320722"
COUNTY_NAME = "东海县"
VILLAGES, COMMUNITIES = 346, 25
# Communities (residents' committees) per township code: the two street offices hold most,
# nine town seats have one each.
COMMUNITIES_BY_TOWNSHIP = {1: 10, 2: 6, **{n: 1 for n in range(100, 109)}}
# Street offices are mostly urban: fewer villages.
STREET_VILLAGES = {1: 12, 2: 14}


def village_counts(rng: random.Random) -> dict[int, int]:
    """Villages per township number, summing to VILLAGES."""
    counts = dict(STREET_VILLAGES)
    others = [n for n, _ in TOWNSHIPS if n not in counts]
    remaining = VILLAGES - sum(counts.values())
    weights = [rng.uniform(0.75, 1.25) for _ in others]
    total = sum(weights)
    shares = [int(remaining * w / total) for w in weights]
    for i in range(remaining - sum(shares)):
        shares[i % len(shares)] += 1
    counts.update(zip(others, shares, strict=True))
    return counts


def area_tree(county_code: str = COUNTY_CODE, county_name: str = COUNTY_NAME) -> list[AreaSpec]:
    """Every area of the county, parents before children."""
    rng = random.Random(int(county_code))
    villages = village_counts(rng)
    taken: set[str] = set()
    tree = [AreaSpec(county_code, county_name, None)]
    for number, name in TOWNSHIPS:
        code = f"{county_code}{number:03d}"
        tree.append(AreaSpec(code, name, county_code))
        communities = community_names(rng, COMMUNITIES_BY_TOWNSHIP.get(number, 0), taken)
        tree += [AreaSpec(f"{code}{i:03d}", n, code) for i, n in enumerate(communities, 1)]
        names = village_names(rng, villages[number], taken)
        tree += [AreaSpec(f"{code}{i:03d}", n, code) for i, n in enumerate(names, 200)]
    return tree
