"""The synthetic demo county: ``build_county(scale, seed)`` fills the database.

At scale 1.0 it reproduces the magnitudes of DOMAIN.md §1 (Donghai, 2022) in about
180,000 persons; the same seed always gives the same people. ``safetynet demo`` and
``safetynet seed`` call it; the bench scripts reuse ``synth.generate`` directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from safetynet.demo import loader, places, synth
from safetynet.demo.specs import HouseholdSpec
from safetynet.demo.summary import Summary, summarise

DEFAULT_SCALE, DEFAULT_SEED = 1.0, 2022


class CountyExists(RuntimeError):
    """The county already has households: generating again would duplicate people."""


@dataclass
class Result:
    created: bool
    summary: Summary | None = None
    areas_created: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    households: list[HouseholdSpec] = field(default_factory=list, repr=False)

    def lines(self) -> list[str]:
        if not self.created or self.summary is None:
            return ["the demo county already has households: nothing to do"]
        times = ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items())
        return [*self.summary.lines(), f"areas created: {self.areas_created}; time: {times}"]


def build_county(scale: float = DEFAULT_SCALE, seed: int = DEFAULT_SEED,
                 county_code: str = places.COUNTY_CODE, if_missing: bool = False,
                 log: Callable[[str], None] | None = None, orm: bool = False) -> Result:
    """Create the county's areas and a synthetic population in one transaction.

    With ``if_missing`` a county that already has households is left alone; without it
    that raises CountyExists. ``orm`` writes through ``bulk_create_with_history`` instead
    of the fast path (for comparison: several times slower).
    """
    if loader.has_households(county_code):
        if if_missing:
            return Result(created=False)
        raise CountyExists(f"county {county_code} already has households; "
                           "use a fresh database or --if-missing")
    say = log or (lambda _line: None)
    timings: dict[str, float] = {}
    tree = places.area_tree(county_code)
    started = time.perf_counter()
    households = synth.generate(scale, seed, tree, loader.last_numbers(county_code),
                                loader.taken_id_indexes())
    timings["generate"] = time.perf_counter() - started
    say(f"generated {len(households):,} households in {timings['generate']:.1f} s; writing…")
    started = time.perf_counter()
    with transaction.atomic():
        created = loader.ensure_areas(tree)
        (loader.write_orm if orm else loader.write)(households)
    timings["write"] = time.perf_counter() - started
    return Result(True, summarise(tree, households), created, timings, households)
