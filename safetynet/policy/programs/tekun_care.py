"""tekun_care: extreme-poverty care allowance by self-care ability (full/partial/none)."""

from __future__ import annotations

import numpy as np

from safetynet.policy.columns import SELF_CARE_LEVELS
from safetynet.policy.context import Context, V, formula, parameter, yuan_half_up

NAME = "tekun_care"
LEVEL_ZH = {"full": "生活全自理", "partial": "生活半自理", "none": "生活不能自理"}
LEVEL_EN = {"full": "fully self-caring", "partial": "partly self-caring", "none": "not self-caring"}


CARE_AMOUNT = tuple(parameter("tekun.care_amount", key) for key in SELF_CARE_LEVELS)


@formula
def amount_rule(is_tekun: V, self_care: V, t: V) -> V:
    """The care allowance of the person's self-care level (0 full, 1 partial, 2 none)."""
    amount = 0 * t[CARE_AMOUNT[0]]
    for level in range(len(CARE_AMOUNT)):
        amount = amount + (self_care == level) * yuan_half_up(t[CARE_AMOUNT[level]])
    return is_tekun * amount


def compute(ctx: Context) -> None:
    amount = amount_rule(ctx.facts["tekun"], ctx.persons.self_care, ctx.row())
    ctx.results[NAME] = np.asarray(amount, np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    level = SELF_CARE_LEVELS[int(ctx.persons.self_care[p])]
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"extreme-poverty care allowance, {LEVEL_EN[level]}: {amount:,} yuan"
    return f"特困人员照料护理标准（{LEVEL_ZH[level]}）：{amount:,} 元"
