"""tekun_care: extreme-poverty care allowance by self-care ability (full/partial/none)."""

from __future__ import annotations

import numpy as np

from safetynet.policy.columns import SELF_CARE_LEVELS
from safetynet.policy.context import Context, yuan_half_up

NAME = "tekun_care"
LEVEL_ZH = {"full": "生活全自理", "partial": "生活半自理", "none": "生活不能自理"}
LEVEL_EN = {"full": "fully self-caring", "partial": "partly self-caring", "none": "not self-caring"}


def compute(ctx: Context) -> None:
    p = ctx.persons
    amount = np.zeros(len(p), np.int64)
    for level, key in enumerate(SELF_CARE_LEVELS):
        value = yuan_half_up(ctx.per_person(ctx.params.get("tekun.care_amount", key)))
        amount = np.where(p.self_care == level, value, amount)
    ctx.results[NAME] = np.where(ctx.facts["tekun"], amount, 0).astype(np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    level = SELF_CARE_LEVELS[int(ctx.persons.self_care[p])]
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"extreme-poverty care allowance, {LEVEL_EN[level]}: {amount:,} yuan"
    return f"特困人员照料护理标准（{LEVEL_ZH[level]}）：{amount:,} 元"
