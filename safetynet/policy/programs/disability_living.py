"""disability_living: disabled people (certificate grade 1-4) covered by dibao, not in tekun."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, V, formula, parameter, yuan_half_up
from safetynet.policy.programs.common import has_grade_rule

NAME = "disability_living"


MAX_GRADE = parameter("disability_living.max_grade")
AMOUNT = parameter("disability_living.amount")


@formula
def candidate_rule(disability: V) -> V:
    """A necessary condition of ``amount_rule`` (part of it): the compiled kernel
    evaluates the rest only for candidates."""
    return disability > 0


@formula
def amount_rule(
    disability: V, grade: V, counted: V, dibao_household: V, enrolled: V, is_tekun: V, t: V
) -> V:
    """Certificate grade 1..max, covered by dibao (a counted member of an eligible
    household, or enrolled alone), not in tekun support."""
    certified = has_grade_rule(disability, grade, 1, t[MAX_GRADE])
    in_dibao = (counted & dibao_household) | enrolled
    eligible = candidate_rule(disability) & certified & in_dibao & ~is_tekun
    return eligible * yuan_half_up(t[AMOUNT])


def compute(ctx: Context) -> None:
    p, f = ctx.persons, ctx.facts
    amount = amount_rule(
        p.disability,
        p.grade,
        f["counted"],
        f["dibao_eligible"][ctx.hh],
        f["single_enrolled"],
        f["tekun"],
        ctx.row(),
    )
    ctx.results[NAME] = np.asarray(amount, np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    grade = int(ctx.persons.grade[p])
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"disabled (grade {grade}) and covered by dibao: living allowance {amount:,} yuan"
    return f"持残疾人证（{grade} 级）且享受低保：困难残疾人生活补贴 {amount:,} 元"
