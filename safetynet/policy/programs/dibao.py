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
    V,
    formula,
    parameter,
    pick,
    to_yuan,
    yuan_half_up,
)
from safetynet.policy.programs.common import assets_within_limits, severely_disabled_rule

NAME = "dibao"
SINGLE = "dibao_single"


SINGLE_FACTOR = parameter("dibao.single_person_income_factor")


@formula
def counted_rule(age: V, is_tekun: V) -> V:
    """Members counted in the dibao household: born by the 1st and not in tekun support."""
    return ~is_tekun & (age >= 0)


@formula
def household_rule(n: V, income: V, assets_ok: V, s: V) -> V:
    """(eligible, amount): counted income below S x n and assets within the limits for n
    counted members (``assets_ok``); the amount S x n - I."""
    need = s * n
    eligible = (n > 0) & (income < need) & assets_ok
    return eligible, eligible * yuan_half_up(need - income)


@formula
def single_household_rule(n: V, income: V, assets_ok: V, s: V, t: V) -> V:
    """The household fails the income test only, below factor x S x n: its severely
    disabled or seriously ill counted members may be enrolled alone."""
    need = s * n
    return (n > 0) & (income >= need) & assets_ok & (income * 10_000 < need * t[SINGLE_FACTOR])


@formula
def single_candidate_rule(household_ok: V, disability: V, serious_illness: V) -> V:
    """A necessary condition of ``single_rule`` (part of it): the compiled kernel
    evaluates the rest only for candidates."""
    return household_ok & ((disability > 0) | serious_illness)


@formula
def single_rule(
    counted: V, household_ok: V, disability: V, grade: V, serious_illness: V, income: V, s: V
) -> V:
    """(enrolled, amount) of one counted member of a ``household_ok`` household: S - own
    income, enrolled when that amount, rounded to whole yuan, is positive (own income
    649.51-649.99 for S = 650 pays nothing and covers nobody)."""
    gap = yuan_half_up(s - income)
    severe = severely_disabled_rule(disability, grade)
    candidate = (
        counted
        & single_candidate_rule(household_ok, disability, serious_illness)
        & (severe | serious_illness)
    )
    enrolled = candidate & (gap > 0)
    return enrolled, enrolled * gap


def counted_members(ctx: Context) -> BoolArray:
    return np.asarray(counted_rule(ctx.persons.age, ctx.facts["tekun"]), np.bool_)


def compute(ctx: Context) -> None:
    counted = counted_members(ctx)
    n = ctx.household_count(counted)
    income = ctx.household_sum(np.where(counted, ctx.persons.income, 0))
    assets_ok = assets_within_limits(ctx, n)
    eligible, amount = household_rule(n, income, assets_ok, ctx.standard())
    ctx.facts.update(counted=counted, counted_n=n, counted_income=income, assets_ok=assets_ok)
    ctx.facts["dibao_eligible"] = np.asarray(eligible, np.bool_)
    ctx.results[NAME] = np.asarray(amount, np.int64)
    single_ok = single_household_rule(n, income, assets_ok, ctx.standard(), ctx.row(False))
    p = ctx.persons
    enrolled, single = single_rule(
        counted,
        np.asarray(single_ok, np.bool_)[p.hh],
        p.disability,
        p.grade,
        p.serious_illness,
        p.income,
        ctx.per_person(ctx.standard()),
    )
    ctx.facts["single_enrolled"] = np.asarray(enrolled, np.bool_)
    ctx.results[SINGLE] = np.asarray(single, np.int64)


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
