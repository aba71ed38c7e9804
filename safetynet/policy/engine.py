"""In-process evaluation of every programme over household-indexed columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import polars as pl
from numpy.typing import NDArray

from safetynet.policy import fast
from safetynet.policy.columns import household_arrays, household_index, person_arrays
from safetynet.policy.context import Context
from safetynet.policy.params import ParameterSet, load_parameters
from safetynet.policy.programs import (
    CATEGORY_NAMES,
    ORDER,
    PERSON_PROGRAMS,
    PROGRAM_NAMES,
    dibao,
    low_income,
    rigid_expenditure,
)
from safetynet.policy.resolve import IntArray, Resolver

RESULT_SCHEMA: dict[str, pl.DataType] = {
    "household_id": pl.String(),
    "person_id": pl.String(),
    "program": pl.String(),
    "monthly_amount": pl.Int64(),
}
PROGRAM_MODULES = {module.NAME: module for module in (dibao, *PERSON_PROGRAMS)}


@dataclass(frozen=True)
class Rows:
    """Positive amounts, programme-major: household index, person index (-1 for the
    household-level dibao), index into PROGRAM_NAMES, whole yuan."""

    household: IntArray
    person: IntArray
    program: NDArray[np.int8]
    amount: IntArray

    def __len__(self) -> int:
        return len(self.amount)


def parameters_with(
    overrides: Mapping[str, object] | None, params: ParameterSet | None = None
) -> ParameterSet:
    """The default (or given) parameters with what-if overrides applied."""
    base = params if params is not None else load_parameters()
    return base.with_overrides(overrides) if overrides else base


def build_context(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    on: dt.date,
    overrides: Mapping[str, object] | None = None,
    params: ParameterSet | None = None,
) -> Context:
    """Convert the frames to arrays, resolve parameters and run every programme."""
    hh = household_index(persons, households)
    resolver = Resolver(parameters_with(overrides, params), on, households["area_code"])
    ctx = Context(on, person_arrays(persons, hh, on), household_arrays(households), resolver)
    for module in ORDER:
        module.compute(ctx)
    return ctx


def collect_rows(ctx: Context) -> Rows:
    households, persons, programs, amounts = [], [], [], []
    dibao_code = PROGRAM_NAMES.index(dibao.NAME)
    household_amount = ctx.results[dibao.NAME]
    (paid,) = np.nonzero(household_amount > 0)
    households.append(paid)
    persons.append(np.full(len(paid), -1, np.int64))
    programs.append(np.full(len(paid), dibao_code, np.int8))
    amounts.append(household_amount[paid])
    for name, code in (
        (dibao.SINGLE, dibao_code),
        *((m.NAME, PROGRAM_NAMES.index(m.NAME)) for m in PERSON_PROGRAMS),
    ):
        amount = ctx.results[name]
        (paid,) = np.nonzero(amount > 0)
        households.append(ctx.hh[paid])
        persons.append(paid)
        programs.append(np.full(len(paid), code, np.int8))
        amounts.append(amount[paid])
    return Rows(
        np.concatenate(households).astype(np.int64, copy=False),
        np.concatenate(persons).astype(np.int64, copy=False),
        np.concatenate(programs),
        np.concatenate(amounts).astype(np.int64, copy=False),
    )


def rows_frame(rows: Rows, persons: pl.DataFrame, households: pl.DataFrame) -> pl.DataFrame:
    person_index = pl.Series(np.where(rows.person < 0, 0, rows.person))
    person_ids = persons["id"].gather(person_index)
    person_ids = person_ids.scatter(np.flatnonzero(rows.person < 0), None)
    program = pl.Series(PROGRAM_NAMES, dtype=pl.String).gather(pl.Series(rows.program))
    return pl.DataFrame(
        {
            "household_id": households["id"].gather(pl.Series(rows.household)),
            "person_id": person_ids,
            "program": program,
            "monthly_amount": pl.Series(rows.amount, dtype=pl.Int64),
        },
        schema_overrides={"program": pl.String(), "monthly_amount": pl.Int64()},
    )


def evaluate(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    on: dt.date,
    overrides: Mapping[str, object] | None = None,
    *,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Every programme's positive monthly amount (whole yuan) for the month of ``on``.

    Returns columns household_id, person_id (null for household-level dibao; both with the
    dtype of the input ids, String in the JSON path), program (String), monthly_amount
    (Int64). Rows are grouped by programme (dibao first), then by input order.
    """
    return fast.evaluate_frame(
        persons, households, on, parameters_with(overrides, params), PROGRAM_NAMES
    )


def per_capita_income(ctx: Context) -> NDArray[np.float64]:
    """Counted per-capita monthly income in yuan (over all members when none is counted)."""
    n = ctx.facts["counted_n"]
    income = ctx.facts["counted_income"]
    all_n = np.bincount(ctx.hh, minlength=ctx.n_households)
    all_income = ctx.household_sum(ctx.persons.income)
    use_all = n == 0
    members = np.where(use_all, all_n, n)
    total = np.where(use_all, all_income, income)
    per_capita = np.divide(total, np.maximum(members, 1) * 100.0)
    return np.round(per_capita, 2).astype(np.float64)


def categories_frame(ctx: Context, households: pl.DataFrame) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "household_id": households["id"].cast(pl.String),
            "per_capita_income": per_capita_income(ctx),
            "counted_members": ctx.facts["counted_n"],
            "dibao_eligible": ctx.facts["dibao_eligible"],
            **{name: ctx.facts[name] for name in CATEGORY_NAMES},
        }
    )


def household_categories(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    on: dt.date,
    overrides: Mapping[str, object] | None = None,
    *,
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Per household: per_capita_income (yuan, Float64), counted_members, dibao_eligible and
    the monitoring categories low_income / rigid_expenditure (Boolean)."""
    ctx = build_context(persons, households, on, overrides, params)
    return categories_frame(ctx, households)


def explain_row(ctx: Context, rows: Rows, i: int, lang: str) -> str:
    """The explanation of one result row in ``lang`` ("zh" or "en")."""
    name = PROGRAM_NAMES[int(rows.program[i])]
    h, p = int(rows.household[i]), int(rows.person[i])
    if name == dibao.NAME:
        return dibao.explain(ctx, h, None if p < 0 else p, lang)
    module = PROGRAM_MODULES[name]
    return str(module.explain(ctx, h, p, lang))


def explain_categories(ctx: Context, h: int, lang: str) -> dict[str, str]:
    modules = {"low_income": low_income, "rigid_expenditure": rigid_expenditure}
    return {
        name: module.explain(ctx, h, lang)
        for name, module in modules.items()
        if bool(ctx.facts[name][h])
    }
