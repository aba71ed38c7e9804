"""home_care: government-purchased home visits (value per month), the larger entitlement:
everyone aged 80+; aged 60+ in tekun support or a dibao household with ability grade >= 2."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, yuan_half_up

NAME = "home_care"


def compute(ctx: Context) -> None:
    p, get, f = ctx.persons, ctx.params.get, ctx.facts
    everyone = p.age >= ctx.per_person(get("home_care.ages", "all_80"))
    supported_person = f["tekun"] | f["dibao_eligible"][p.hh] | f["single_enrolled"]
    impaired = p.ability >= ctx.per_person(get("home_care.min_ability_grade"))
    old = p.age >= ctx.per_person(get("home_care.ages", "supported_60"))
    supported = old & supported_person & impaired
    base = np.where(everyone, yuan_half_up(ctx.per_person(get("home_care.amount", "all_80"))), 0)
    extra = yuan_half_up(ctx.per_person(get("home_care.amount", "supported_60")))
    ctx.results[NAME] = np.maximum(base, np.where(supported, extra, 0)).astype(np.int64)
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
