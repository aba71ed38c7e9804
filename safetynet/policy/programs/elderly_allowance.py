"""elderly_allowance (尊老金, no means test): amount by age bracket on the 1st of the month."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, yuan_half_up

NAME = "elderly_allowance"


def brackets(ctx: Context) -> list[str]:
    """Bracket keys (lowest age of each bracket), youngest first."""
    keys = ctx.params.params["elderly_allowance.amount"].keys or ()
    return sorted(keys, key=int)


def compute(ctx: Context) -> None:
    age = ctx.persons.age
    amount = np.zeros(len(age), np.int64)
    for key in brackets(ctx):
        value = ctx.per_person(ctx.params.get("elderly_allowance.amount", key))
        amount = np.where(age >= int(key), yuan_half_up(value), amount)
    ctx.results[NAME] = amount.astype(np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    age = int(ctx.persons.age[p])
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"aged {age} on the first day of the month: old-age allowance {amount:,} yuan"
    return f"当月1日年满 {age} 周岁：尊老金每月 {amount:,} 元"
