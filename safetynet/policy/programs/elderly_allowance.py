"""elderly_allowance (尊老金, no means test): amount by age bracket on the 1st of the month."""

from __future__ import annotations

import numpy as np

from safetynet.policy.context import Context, V, yuan_half_up

NAME = "elderly_allowance"


def brackets(ctx: Context) -> list[str]:
    """Bracket keys (lowest age of each bracket), youngest first."""
    keys = ctx.params.params["elderly_allowance.amount"].keys or ()
    return sorted(keys, key=int)


def amount_rule(age: V, bracket_ages: list[int], bracket_fen: list[V]) -> V:
    """The amount of the oldest bracket reached (brackets youngest first). The kernel
    applies it once per parameter row to every age (``fast.age_amounts``)."""
    amount = 0 * age
    for low, fen in zip(bracket_ages, bracket_fen, strict=True):
        amount = amount + (age >= low) * (yuan_half_up(fen) - amount)
    return amount


def compute(ctx: Context) -> None:
    keys = brackets(ctx)
    values = [ctx.per_person(ctx.params.get("elderly_allowance.amount", key)) for key in keys]
    amount = amount_rule(ctx.persons.age.astype(np.int64), [int(k) for k in keys], values)
    ctx.results[NAME] = np.asarray(amount, np.int64)


def explain(ctx: Context, h: int, p: int, lang: str) -> str:
    age = int(ctx.persons.age[p])
    amount = int(ctx.results[NAME][p])
    if lang == "en":
        return f"aged {age} on the first day of the month: old-age allowance {amount:,} yuan"
    return f"当月1日年满 {age} 周岁：尊老金每月 {amount:,} 元"
