"""The full demo county's January–September 2022 report against Donghai's published
figures (DOMAIN.md §1, §9): every figure within ±10 %, produced by the rules, the payroll
and the report, nothing written into the report.

Builds the whole county (about 180,000 persons and 340,000 payment lines), so it is the
slowest test of the suite (two to three minutes on each database).
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=False)

# DOMAIN.md §1: programme -> (households, persons, yuan); None where not published.
PUBLISHED = {
    "dibao_rural": (8084, 13326, 49371044),
    "dibao_urban": (114, 167, 724046),
    "tekun": (None, 1452, 11072178),
    "temporary": (319, 1180, 1918690),
    "disability": (None, 9434, 28776900),
}
SCREENING = {"screening_covered_visited": 25462, "screening_uncovered_found": 1030,
             "screening_uncovered_visited": 1092}
TOLERANCE = 0.10


def test_the_demo_county_reproduces_donghai_2022() -> None:
    call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("report", "summary", "--from", "2022-01", "--to", "2022-09", "--format",
                 "json", stdout=out)
    report = json.loads(out.getvalue())
    programs = {p["program"]: p for p in report["programs"]}
    misses = []
    for program, published in PUBLISHED.items():
        row = programs[program]
        got = (row["households"], row["persons"], float(row["amount_yuan"]))
        for name, value, target in zip(("households", "persons", "yuan"), got, published,
                                       strict=True):
            if target is not None and abs(value - target) > TOLERANCE * target:
                misses.append(f"{program} {name}: {value:,} vs {target:,}")
    services = {s["service"]: s for s in report["services"]}
    for key, target in SCREENING.items():
        value = services[key]["value"]
        if abs(value - target) > TOLERANCE * target:
            misses.append(f"{key}: {value:,} vs {target:,}")
    assert not misses, misses
