"""tekun_basic: extreme-poverty basic living support, 1.3 x S per supported person."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import (
    BoolArray,
    Context,
    V,
    formula,
    parameter,
    pick,
    ratio_yuan_half_up,
    to_yuan,
)
from safetynet.policy.programs.common import assets_within_limits, cannot_work_rule

NAME = "tekun_basic"


BASIC_FACTOR = parameter("tekun.basic_factor")


@formula
def candidate_rule(no_able_supporter: V) -> V:
    """A necessary condition of ``eligible_rule`` (part of it): the compiled kernel
    evaluates the rest of tekun support (and its care allowance) only for candidates."""
    return no_able_supporter


@formula
def eligible_rule(
    age: V,
    disability: V,
    grade: V,
    income: V,
    no_able_supporter: V,
    is_orphan: V,
    assets_all: V,
    s: V,
    t: V,
) -> V:
    """Cannot work, own income < S, household assets within limits (all members,
    ``assets_all``), no able supporter, and not an orphan-allowance child (who gets that
    instead)."""
    return (
        cannot_work_rule(age, disability, grade, t)
        & (income < s)
        & assets_all
        & candidate_rule(no_able_supporter)
        & ~is_orphan
        & (age >= 0)
    )


@formula
def amount_rule(is_tekun: V, s: V, t: V) -> V:
    return is_tekun * ratio_yuan_half_up(s, t[BASIC_FACTOR])


def eligible(ctx: Context) -> BoolArray:
    p = ctx.persons
    all_members = np.bincount(p.hh, minlength=ctx.n_households).astype(np.int64)
    assets_all = assets_within_limits(ctx, all_members)[p.hh]
    s = ctx.per_person(ctx.standard())
    ok = eligible_rule(
        p.age,
        p.disability,
        p.grade,
        p.income,
        p.no_able_supporter,
        ctx.facts["orphan"],
        assets_all,
        s,
        ctx.row(),
    )
    return np.asarray(ok, np.bool_)


def compute(ctx: Context) -> None:
    mask = eligible(ctx)
    ctx.facts["tekun"] = mask
    amount = amount_rule(mask, ctx.per_person(ctx.standard()), ctx.row())
    ctx.results[NAME] = np.asarray(amount, np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    standard = to_yuan(pick(ctx.standard(), h))
    factor = pick(ctx.params.get("tekun.basic_factor"), h) / 10_000
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"dibao standard {standard} yuan × {factor:g} = {amount:,} yuan"
    return f"低保标准 {standard} 元 × {factor:g} = {amount:,} 元"
