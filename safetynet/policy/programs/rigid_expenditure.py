"""rigid_expenditure (monitoring category): income below the local disposable income and,
after rigid medical/education/rehabilitation/disaster costs, per-capita below S."""

from __future__ import annotations

from safetynet.policy.context import Context, pick, to_yuan

NAME = "rigid_expenditure"


def compute(ctx: Context) -> None:
    n, income = ctx.facts["counted_n"], ctx.facts["counted_income"]
    disposable = ctx.params.get("rigid_expenditure.disposable_income")
    below_disposable = income < disposable * n
    after_costs = income - ctx.households.rigid < ctx.standard() * n
    candidates = (n > 0) & ~ctx.facts["dibao_eligible"] & ctx.facts["assets_ok"]
    ctx.facts[NAME] = candidates & below_disposable & after_costs


def explain(ctx: Context, h: int, lang: str) -> str:
    n = int(ctx.facts["counted_n"][h])
    income = int(ctx.facts["counted_income"][h])
    rigid = int(ctx.households.rigid[h])
    standard = to_yuan(pick(ctx.standard(), h))
    left = to_yuan((income - rigid) // max(n, 1))
    if lang == "en":
        return (
            f"(household income {to_yuan(income)} − rigid costs {to_yuan(rigid)}) ÷ {n} = "
            f"{left} yuan per person, below the standard {standard} yuan"
        )
    return (
        f"（家庭月收入 {to_yuan(income)} 元 − 刚性支出 {to_yuan(rigid)} 元）÷ {n} 人 = "
        f"{left} 元，低于低保标准 {standard} 元：刚性支出困难家庭"
    )
