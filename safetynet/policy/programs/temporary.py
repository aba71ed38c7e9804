"""temporary assistance (临时救助): calculated on request, never automatically.

Amount = months x S x household size (months 1-12). The township may grant up to
``township_factor`` x S per household at once (help first); larger grants need county
approval.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from safetynet.policy.context import ratio_yuan_half_up, to_yuan, yuan_half_up
from safetynet.policy.params import FEN, ParameterSet, load_parameters

Kind = Literal["emergency", "expenditure"]
KIND_ZH = {"emergency": "急难型", "expenditure": "支出型"}


@dataclass(frozen=True)
class TemporaryAssistance:
    kind: Kind
    months: int
    household_size: int
    standard: int  # yuan per month
    amount: int  # yuan, whole
    township_limit: int  # yuan
    township_may_grant: bool
    needs_county_approval: bool
    explanation_zh: str
    explanation_en: str

    def explanation(self, lang: str = "zh") -> str:
        return self.explanation_en if lang == "en" else self.explanation_zh


def temporary_assistance(
    kind: Kind,
    months: int,
    household_size: int,
    standard: float | int | None = None,
    *,
    area_code: str,
    on: dt.date,
    hukou: str = "",
    params: ParameterSet | None = None,
) -> TemporaryAssistance:
    """Temporary assistance for one request in ``area_code`` on ``on`` (both required: the
    limits are dated, per-area parameters). ``standard`` (yuan) defaults to the dibao
    standard of ``area_code`` for the household's ``hukou`` (urban or rural) on ``on``."""
    params = params or load_parameters()
    when = on
    max_months = _scalar(params, "temporary.max_months", area_code, when)
    if kind not in KIND_ZH:
        raise ValueError(f"kind must be emergency or expenditure, got {kind!r}")
    if not 1 <= months <= max_months:
        raise ValueError(f"months must be between 1 and {max_months}, got {months}")
    if household_size < 1:
        raise ValueError(f"household_size must be at least 1, got {household_size}")
    s_fen = _standard_fen(params, standard, area_code, hukou, when)
    factor = _scalar(params, "temporary.township_factor", area_code, when)
    amount = int(yuan_half_up(s_fen * months * household_size))
    limit = int(ratio_yuan_half_up(s_fen, factor))
    return TemporaryAssistance(
        kind,
        months,
        household_size,
        int(yuan_half_up(s_fen)),
        amount,
        limit,
        amount <= limit,
        amount > limit,
        *_explanations(kind, months, household_size, s_fen, amount, limit),
    )


def _standard_fen(
    params: ParameterSet, standard: float | int | None, area: str, hukou: str, on: dt.date
) -> int:
    if standard is not None:
        return int(round(float(standard) * FEN))
    value = params.overrides.get("dibao.standard")
    if isinstance(value, int):
        return value
    if hukou not in ("urban", "rural"):
        raise ValueError(f"hukou must be urban or rural to find the dibao standard, got {hukou!r}")
    if isinstance(value, dict) and hukou in value:
        return value[hukou]
    dated = params["dibao.standard"].for_area(area, on)
    if dated is None or not isinstance(dated.value, dict):
        raise ValueError(f"no dibao standard for area {area} on {on}")
    return dated.value[hukou]


def _scalar(params: ParameterSet, name: str, area: str, on: dt.date) -> int:
    override = params.overrides.get(name)
    if isinstance(override, int):
        return override
    dated = params[name].for_area(area, on)
    if dated is None or not isinstance(dated.value, int):
        raise ValueError(f"no value of {name} for area {area} on {on}")
    return dated.value


def _explanations(
    kind: Kind, months: int, size: int, s_fen: int, amount: int, limit: int
) -> tuple[str, str]:
    s = to_yuan(s_fen)
    zh_who = "乡镇可先行救助" if amount <= limit else "超过乡镇先行救助上限，须报县级审批"
    en_who = (
        "the township may grant it at once"
        if amount <= limit
        else "above the township limit, needs county approval"
    )
    zh = (
        f"{KIND_ZH[kind]}临时救助：{months} 个月 × 低保标准 {s} 元 × {size} 人 = {amount:,} 元；"
        f"乡镇先行救助上限 {limit:,} 元，{zh_who}"
    )
    en = (
        f"{kind} temporary assistance: {months} month(s) × dibao standard {s} yuan × {size} "
        f"person(s) = {amount:,} yuan; township limit {limit:,} yuan, {en_who}"
    )
    return zh, en
