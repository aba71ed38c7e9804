"""Amounts from the policy engine for one household on a date, with person ids, the
number of persons covered and the engine's explanation (in the active language)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language

from safetynet.policy.engine import build_context, collect_rows, explain_row
from safetynet.policy.programs import PROGRAM_NAMES
from safetynet.registry.columns import registry_frames
from safetynet.registry.models import Household
from safetynet.rules.labels import engine_language
from safetynet.rules.parameters import current_parameters


@dataclass(frozen=True)
class EngineAmount:
    program: str
    person_id: int | None  # None: the household's dibao
    monthly_amount: Decimal
    persons: int  # persons the amount covers (dibao: the counted members)
    explanation: str


def household_amounts(household: Household, on: date,
                      lang: str | None = None) -> list[EngineAmount]:
    """Every positive programme amount for ``household`` in the month of ``on``."""
    persons, homes = registry_frames(Household.objects.filter(pk=household.pk))
    if homes.height == 0:
        return []
    ctx = build_context(persons, homes, on, params=current_parameters())
    rows = collect_rows(ctx)
    person_ids = persons["id"].to_list()
    counted = int(ctx.facts["counted_n"][0])
    language = engine_language(lang or get_language())
    found = []
    for i in range(len(rows)):
        p = int(rows.person[i])
        found.append(EngineAmount(
            program=PROGRAM_NAMES[int(rows.program[i])],
            person_id=int(person_ids[p]) if p >= 0 else None,
            monthly_amount=Decimal(int(rows.amount[i])),
            persons=counted if p < 0 else 1,
            explanation=explain_row(ctx, rows, i, language)))
    return found


def amount_for(household: Household, program: str, person_id: int | None,
               on: date) -> EngineAmount | None:
    """The engine's amount of one programme for one beneficiary, or None (not eligible)."""
    for found in household_amounts(household, on):
        if found.program == program and found.person_id == person_id:
            return found
    return None
