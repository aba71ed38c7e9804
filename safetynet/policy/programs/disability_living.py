"""disability_living: disabled people (certificate grade 1-4) covered by dibao, not in tekun."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, yuan_half_up
from safetynet.policy.programs.common import has_grade

NAME = "disability_living"


def compute(ctx: Context) -> None:
    get, f = ctx.params.get, ctx.facts
    certified = has_grade(ctx, 1, ctx.per_person(get("disability_living.max_grade")))
    in_dibao = (f["counted"] & f["dibao_eligible"][ctx.hh]) | f["single_enrolled"]
    mask = certified & in_dibao & ~f["tekun"]
    amount = yuan_half_up(ctx.per_person(get("disability_living.amount")))
    ctx.results[NAME] = np.where(mask, amount, 0).astype(np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    grade = int(ctx.persons.grade[p])
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"disabled (grade {grade}) and covered by dibao: living allowance {amount:,} yuan"
    return f"持残疾人证（{grade} 级）且享受低保：困难残疾人生活补贴 {amount:,} 元"
