"""low_income (monitoring category): S <= per-capita income < factor x S, assets within limits.

Only for households with counted members that are not eligible for dibao.
"""

from __future__ import annotations

from safetynet.policy.context import BoolArray, Context, pick, to_yuan

NAME = "low_income"


def compute(ctx: Context) -> None:
    n, income = ctx.facts["counted_n"], ctx.facts["counted_income"]
    need = ctx.standard() * n
    factor = ctx.params.get("low_income.income_factor")
    in_band = (income >= need) & (income * 10_000 < need * factor)
    candidates: BoolArray = (n > 0) & ~ctx.facts["dibao_eligible"] & ctx.facts["assets_ok"]
    ctx.facts[NAME] = candidates & in_band


def explain(ctx: Context, h: int, lang: str) -> str:
    n = int(ctx.facts["counted_n"][h])
    per_capita = to_yuan(int(ctx.facts["counted_income"][h]) // max(n, 1))
    standard = pick(ctx.standard(), h)
    factor = pick(ctx.params.get("low_income.income_factor"), h)
    limit = to_yuan(standard * factor // 10_000)
    if lang == "en":
        return (
            f"per-capita income {per_capita} yuan is at least the standard {to_yuan(standard)} "
            f"yuan and below {limit} yuan: low-income household"
        )
    return (
        f"人均月收入 {per_capita} 元，不低于低保标准 {to_yuan(standard)} 元"
        f"且低于 {limit} 元：低保边缘家庭"
    )
