"""Who is entitled to purchased home care in a month, and how much: from the policy engine
(programme ``home_care``), over the registry as it stands, for the households of the
given areas that have a member old enough. Also the compliance thresholds in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import polars as pl

from safetynet.core.dates import latest_birth_for_age
from safetynet.core.jurisdiction import area_q
from safetynet.eldercare.compliance import Thresholds
from safetynet.policy import ParameterSet
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household, Person
from safetynet.rules.parameters import (
    current_parameters,
    lowest_in_force,
    parameter_entries,
    parameter_value,
)
from safetynet.rules.runs import evaluate_frames

PROGRAM = "home_care"
AGES = "home_care.ages"  # no home-care entitlement below the lowest of these ages
ELDERLY_AGE = "eldercare.elderly_age"
COMPLIANCE = "eldercare.compliance"


@dataclass(frozen=True)
class Entitled:
    person_id: int
    household_id: int
    amount: Decimal


years_before = latest_birth_for_age  # born on or before it: at least ``years`` old on ``day``


def elderly_age(area_code: str, on: date) -> int:
    """The age from which a person is elderly (``eldercare.elderly_age``, 60)."""
    return parameter_value(ELDERLY_AGE, area_code, on)


def entitled(area_codes: list[str], month: date) -> list[Entitled]:
    """Everyone in ``area_codes`` entitled to home care in ``month`` (first day)."""
    old = Person.objects.filter(area_q(area_codes), deceased_on__isnull=True,
                                birth_date__lte=years_before(month, lowest_in_force(AGES, month)))
    households = Household.objects.filter(pk__in=old.values("household_id"))
    persons, homes = registry_frames(households)
    if homes.height == 0:
        return []
    result = evaluate_frames(persons, homes, month, current_parameters())
    rows = result.filter(pl.col("program") == PROGRAM)
    return [Entitled(int(p), int(h), Decimal(int(a)))
            for p, h, a in zip(rows["person_id"], rows["household_id"], rows["monthly_amount"],
                               strict=True)]


def thresholds(area_code: str, on: date, params: ParameterSet | None = None) -> Thresholds:
    """The home-care compliance thresholds in force (``eldercare.compliance``)."""
    return Thresholds(**parameter_entries(COMPLIANCE, area_code, on, params))


def reassessment_months(area_code: str, on: date) -> int:
    return parameter_value("eldercare.reassessment", area_code, on)
