"""disability_nursing (no means test): grade 1-2 any category, grade 3-4 intellectual or
mental; not in centralised tekun support (a tekun member ``in_institution``). A person in an
institution who is not in tekun support is paid (DOMAIN.md §4)."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, V, formula, parameter, yuan_half_up
from safetynet.policy.programs.common import has_grade_rule, intellectual_or_mental_rule

NAME = "disability_nursing"
GRADES = (1, 2, 3, 4)
AMOUNT = tuple(parameter("disability_nursing.amount", str(grade)) for grade in GRADES)


@formula
def candidate_rule(disability: V) -> V:
    """A necessary condition of ``amount_rule`` (part of it): the compiled kernel
    evaluates the rest of this programme only for candidates."""
    return disability > 0


@formula
def amount_rule(disability: V, grade: V, is_tekun: V, in_institution: V, t: V) -> V:
    """Grade 1-2 of any category or grade 3-4 intellectual/mental, unless in centralised
    tekun support: the amount of the grade."""
    severe = has_grade_rule(disability, grade, 1, 2) | (
        has_grade_rule(disability, grade, 3, 4) & intellectual_or_mental_rule(disability)
    )
    centralised_tekun = is_tekun & in_institution
    amount = 0 * t[AMOUNT[0]]
    for k in range(len(GRADES)):
        amount = amount + (grade == GRADES[k]) * yuan_half_up(t[AMOUNT[k]])
    return (candidate_rule(disability) & severe & ~centralised_tekun) * amount


def compute(ctx: Context) -> None:
    p = ctx.persons
    amount = amount_rule(p.disability, p.grade, ctx.facts["tekun"], p.in_institution, ctx.row())
    ctx.results[NAME] = np.asarray(amount, np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    grade = int(ctx.persons.grade[p])
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"disability grade {grade}: nursing allowance {amount:,} yuan"
    return f"残疾等级 {grade} 级：重度残疾人护理补贴 {amount:,} 元"
