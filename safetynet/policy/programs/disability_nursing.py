"""disability_nursing (no means test): grade 1-2 any category, grade 3-4 intellectual or
mental; not in centralised tekun support (a tekun member ``in_institution``). A person in an
institution who is not in tekun support is paid (DOMAIN.md §4)."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, yuan_half_up
from safetynet.policy.programs.common import has_grade, intellectual_or_mental

NAME = "disability_nursing"
GRADES = (1, 2, 3, 4)


def compute(ctx: Context) -> None:
    p = ctx.persons
    severe = has_grade(ctx, 1, 2) | (has_grade(ctx, 3, 4) & intellectual_or_mental(ctx))
    centralised_tekun = ctx.facts["tekun"] & p.in_institution
    mask = severe & ~centralised_tekun
    amount = np.zeros(len(p), np.int64)
    for grade in GRADES:
        value = ctx.per_person(ctx.params.get("disability_nursing.amount", str(grade)))
        amount = np.where(p.grade == grade, yuan_half_up(value), amount)
    ctx.results[NAME] = np.where(mask, amount, 0).astype(np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    grade = int(ctx.persons.grade[p])
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"disability grade {grade}: nursing allowance {amount:,} yuan"
    return f"残疾等级 {grade} 级：重度残疾人护理补贴 {amount:,} 元"
