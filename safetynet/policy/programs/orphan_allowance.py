"""orphan_allowance: scattered orphans and children without a de facto carer."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import BoolArray, Context, pick, yuan_half_up

NAME = "orphan_allowance"


def eligible(ctx: Context) -> BoolArray:
    """Orphan status and under the age limit, or older in full-time study (when allowed)
    and under the study age limit. Both branches need the child born by the 1st."""
    p, get = ctx.persons, ctx.params.get
    born = p.age >= 0
    young = p.age < ctx.per_person(get("orphan_allowance.age_limit"))
    studying = (
        p.student
        & (ctx.per_person(get("orphan_allowance.continue_in_study")) == 1)
        & (p.age < ctx.per_person(get("orphan_allowance.study_age_limit")))
    )
    return (p.orphan > 0) & born & (young | studying)


def compute(ctx: Context) -> None:
    mask = eligible(ctx)
    ctx.facts["orphan"] = mask
    amount = ctx.per_person(ctx.params.get("orphan_allowance.amount"))
    ctx.results[NAME] = np.where(mask, yuan_half_up(amount), 0).astype(np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    amount = int(ctx.results[NAME][p])
    age = int(ctx.persons.age[p])
    status = int(ctx.persons.orphan[p])
    in_study = age >= pick(ctx.params.get("orphan_allowance.age_limit"), h)
    if lang == "en":
        what = "scattered orphan" if status == 1 else "child without a de facto carer"
        study = " in full-time study" if in_study else ""
        return f"{what}, aged {age}{study}: orphan allowance {amount:,} yuan per month"
    what = "散居孤儿" if status == 1 else "事实无人抚养儿童"
    study = "，全日制在校就读" if in_study else ""
    return f"{what}，{age} 周岁{study}：基本生活费每月 {amount:,} 元"
