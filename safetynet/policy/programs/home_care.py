"""home_care: government-purchased home visits (value per month), the larger entitlement:
everyone aged 80+; aged 60+ in tekun support or a dibao household with ability grade >= 2."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, V, formula, parameter, yuan_half_up

NAME = "home_care"


ALL_AGE = parameter("home_care.ages", "all_80")
SUPPORTED_AGE = parameter("home_care.ages", "supported_60")
ALL_AMOUNT = parameter("home_care.amount", "all_80")
SUPPORTED_AMOUNT = parameter("home_care.amount", "supported_60")
MIN_ABILITY = parameter("home_care.min_ability_grade")


@formula
def everyone_rule(age: V, t: V) -> V:
    """The amount for everyone of the age (80+)."""
    return (age >= t[ALL_AGE]) * yuan_half_up(t[ALL_AMOUNT])


@formula
def supported_rule(age: V, ability: V, is_tekun: V, in_dibao: V, t: V) -> V:
    """Aged 60+ in tekun support or dibao (``in_dibao``) with ability grade >= 2."""
    return (age >= t[SUPPORTED_AGE]) & (is_tekun | in_dibao) & (ability >= t[MIN_ABILITY])


@formula
def amount_rule(everyone: V, supported: V, t: V) -> V:
    """The larger entitlement."""
    extra = supported * yuan_half_up(t[SUPPORTED_AMOUNT])
    return everyone + (extra > everyone) * (extra - everyone)


def compute(ctx: Context) -> None:
    p, f, t = ctx.persons, ctx.facts, ctx.row()
    in_dibao = f["dibao_eligible"][p.hh] | f["single_enrolled"]
    supported = np.asarray(supported_rule(p.age, p.ability, f["tekun"], in_dibao, t), np.bool_)
    amount = amount_rule(everyone_rule(p.age, t), supported, t)
    ctx.results[NAME] = np.asarray(amount, np.int64)
    f["home_care_supported"] = supported


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    age = int(ctx.persons.age[p])
    amount = int(ctx.results[NAME][p])
    supported = bool(ctx.facts["home_care_supported"][p])
    if lang == "en":
        why = "supported elderly with ability grade ≥ 2" if supported else "aged 80 or over"
        return f"aged {age}, {why}: home-care visits worth {amount:,} yuan a month (larger applies)"
    why = "特困或低保老人且能力等级 ≥ 2 级" if supported else "年满 80 周岁"
    return f"{age} 周岁，{why}：居家上门服务每月 {amount:,} 元（就高享受一项）"
