"""tekun_basic: extreme-poverty basic living support, 1.3 x S per supported person."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import BoolArray, Context, pick, ratio_yuan_half_up, to_yuan
from safetynet.policy.programs.common import assets_within_limits, cannot_work

NAME = "tekun_basic"


def eligible(ctx: Context) -> BoolArray:
    """Cannot work, own income < S, household assets within limits (all members), no able
    supporter, and not an orphan-allowance child (who gets that instead)."""
    p = ctx.persons
    all_members = np.bincount(p.hh, minlength=ctx.n_households).astype(np.int64)
    assets_ok = assets_within_limits(ctx, all_members)
    income_ok = p.income < ctx.per_person(ctx.standard())
    return (
        cannot_work(ctx)
        & income_ok
        & assets_ok[p.hh]
        & p.no_able_supporter
        & ~ctx.facts["orphan"]
        & (p.age >= 0)
    )


def compute(ctx: Context) -> None:
    mask = eligible(ctx)
    ctx.facts["tekun"] = mask
    amount = ratio_yuan_half_up(ctx.standard(), ctx.params.get("tekun.basic_factor"))
    ctx.results[NAME] = np.where(mask, ctx.per_person(amount), 0).astype(np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    standard = to_yuan(pick(ctx.standard(), h))
    factor = pick(ctx.params.get("tekun.basic_factor"), h) / 10_000
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"dibao standard {standard} yuan × {factor:g} = {amount:,} yuan"
    return f"低保标准 {standard} 元 × {factor:g} = {amount:,} 元"
