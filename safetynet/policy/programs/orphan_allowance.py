"""orphan_allowance: scattered orphans and children without a de facto carer."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import BoolArray, Context, V, formula, parameter, pick, yuan_half_up

NAME = "orphan_allowance"


AGE_LIMIT = parameter("orphan_allowance.age_limit")
CONTINUE_IN_STUDY = parameter("orphan_allowance.continue_in_study")
STUDY_AGE_LIMIT = parameter("orphan_allowance.study_age_limit")
AMOUNT = parameter("orphan_allowance.amount")


@formula
def candidate_rule(orphan: V) -> V:
    """A necessary condition of ``eligible_rule`` (part of it): the compiled kernel
    evaluates the rest of this programme only for candidates."""
    return orphan > 0


@formula
def eligible_rule(age: V, orphan: V, student: V, t: V) -> V:
    """Orphan status and under the age limit, or older in full-time study (when allowed)
    and under the study age limit. Both branches need the child born by the 1st."""
    young = age < t[AGE_LIMIT]
    studying = student & (t[CONTINUE_IN_STUDY] == 1) & (age < t[STUDY_AGE_LIMIT])
    return candidate_rule(orphan) & (age >= 0) & (young | studying)


@formula
def amount_rule(is_orphan: V, t: V) -> V:
    return is_orphan * yuan_half_up(t[AMOUNT])


def eligible(ctx: Context) -> BoolArray:
    p = ctx.persons
    return np.asarray(eligible_rule(p.age, p.orphan, p.student, ctx.row()), np.bool_)


def compute(ctx: Context) -> None:
    mask = eligible(ctx)
    ctx.facts["orphan"] = mask
    ctx.results[NAME] = np.asarray(amount_rule(mask, ctx.row()), np.int64)


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
