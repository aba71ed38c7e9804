"""dibao: minimum living allowance, gap-filling, with single-person inclusion (单人保).

Counted members are those not in tekun support. A household is eligible when its counted
income I < S x n (per-capita strictly below the standard) and its assets are within the
limits for n counted members; it receives S x n - I. When it fails the income test only
(I < factor x S x n), each severely disabled or seriously ill counted member is enrolled
alone and receives S - own income when positive.
"""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import (
    BoolArray,
    Context,
    pick,
    to_yuan,
    yuan_half_up,
)
from safetynet.policy.programs.common import assets_within_limits, severely_disabled

NAME = "dibao"
SINGLE = "dibao_single"


def counted_members(ctx: Context) -> BoolArray:
    """Members counted in the dibao household: born by the 1st and not in tekun support."""
    return ~ctx.facts["tekun"] & (ctx.persons.age >= 0)


def compute(ctx: Context) -> None:
    counted = counted_members(ctx)
    n = ctx.household_count(counted)
    income = ctx.household_sum(np.where(counted, ctx.persons.income, 0))
    need = ctx.standard() * n
    assets_ok = assets_within_limits(ctx, n)
    income_ok = income < need
    eligible = (n > 0) & income_ok & assets_ok
    ctx.facts.update(counted=counted, counted_n=n, counted_income=income, assets_ok=assets_ok)
    ctx.facts["dibao_eligible"] = eligible
    ctx.results[NAME] = np.where(eligible, yuan_half_up(need - income), 0).astype(np.int64)
    _single_person(ctx, counted, (n > 0) & ~income_ok & assets_ok, income, need)


def _single_person(
    ctx: Context,
    counted: BoolArray,
    fails_income_only: BoolArray,
    income: np.ndarray,
    need: np.ndarray,
) -> None:
    factor = ctx.params.get("dibao.single_person_income_factor")
    below_limit = income * 10_000 < need * factor
    household_ok = fails_income_only & below_limit
    p = ctx.persons
    candidate = counted & household_ok[p.hh] & (severely_disabled(ctx) | p.serious_illness)
    gap = ctx.per_person(ctx.standard()) - p.income
    # Enrolled when the amount, rounded to whole yuan, is positive: S - own income of a
    # few fen (own income 649.51-649.99 for S = 650) pays nothing and covers nobody.
    enrolled = candidate & (yuan_half_up(gap) > 0)
    ctx.facts["single_enrolled"] = enrolled
    ctx.results[SINGLE] = np.where(enrolled, yuan_half_up(gap), 0).astype(np.int64)


def explain(ctx: Context, h: int, p: int | None, lang: str) -> str:
    return _explain_household(ctx, h, lang) if p is None else _explain_single(ctx, h, p, lang)


def _explain_household(ctx: Context, h: int, lang: str) -> str:
    standard = to_yuan(pick(ctx.standard(), h))
    n = int(ctx.facts["counted_n"][h])
    income = to_yuan(int(ctx.facts["counted_income"][h]))
    amount = int(ctx.results[NAME][h])
    excluded = int(np.count_nonzero(ctx.facts["tekun"][ctx.hh == h]))
    if lang == "en":
        note = f" ({excluded} member(s) in extreme-poverty support not counted)" if excluded else ""
        return (
            f"dibao standard {standard} yuan × {n} person(s) − household monthly income "
            f"{income} yuan = {amount:,} yuan{note}"
        )
    note = f"（特困供养人员 {excluded} 人不计入）" if excluded else ""
    return f"低保标准 {standard} 元 × {n} 人 − 家庭月收入 {income} 元 = {amount:,} 元{note}"


def _explain_single(ctx: Context, h: int, p: int, lang: str) -> str:
    standard = to_yuan(pick(ctx.standard(), h))
    own = to_yuan(int(ctx.persons.income[p]))
    amount = int(ctx.results[SINGLE][p])
    if lang == "en":
        return (
            f"single-person inclusion: dibao standard {standard} yuan − own monthly income "
            f"{own} yuan = {amount:,} yuan"
        )
    return f"单人保：低保标准 {standard} 元 − 本人月收入 {own} 元 = {amount:,} 元"
