"""Composite need assessment (综合需求评估): a transparent, parameterised score per household.

Five dimension scores (0-100) from the household's columns, weighted by
``need.weights`` into a total (0-100), graded by ``need.levels`` and turned into
recommended assistance types, each with a reason. All points are parameters in
``parameters/need``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import polars as pl

from safetynet.policy.context import BoolArray, Context
from safetynet.policy.engine import build_context
from safetynet.policy.params import RATIO_SCALE, ParameterSet
from safetynet.policy.programs.common import cannot_work, has_grade, severely_disabled
from safetynet.policy.resolve import IntArray

DIMENSIONS = ("health", "labour", "living", "property", "expenditure")
LEVELS = ("none", "low", "medium", "high")
SCALE = 100  # every score is a percentage, 0-100 (a unit, not a threshold)
RECOMMENDATIONS: dict[str, tuple[str, str]] = {
    "dibao": ("家庭符合低保条件或有成员可单人保", "household or a member qualifies for dibao"),
    "tekun": ("有成员符合特困供养条件", "a member qualifies for extreme-poverty support"),
    "temporary": ("刚性支出负担重，建议临时救助", "heavy rigid expenditure: temporary assistance"),
    "medical_referral": (
        "有重病或重度残疾成员，转医疗救助",
        "serious illness or severe disability: medical aid",
    ),
    "education_referral": (
        "困难家庭有在学或未成年成员，转教育救助",
        "student or child in a needy household: education aid",
    ),
    "housing_referral": ("家庭无住房，转住房救助", "no house: housing assistance"),
    "employment_referral": (
        "有劳动能力成员且收入低于低保标准，转就业救助",
        "able-bodied member with income below the standard: employment aid",
    ),
    "care_services": (
        "有失能或半失能老人，提供照护服务",
        "elderly member needing care: care services",
    ),
}


def _points(ctx: Context, name: str, key: str) -> IntArray | int:
    return ctx.params.get(f"need.{name}", key)


def health_score(ctx: Context) -> IntArray:
    p = ctx.persons
    severe = severely_disabled(ctx)
    other = has_grade(ctx, 1, 4) & ~severe
    dependent = p.self_care > 0
    per_person = (
        np.where(severe, ctx.per_person(_points(ctx, "health_points", "severe_disability")), 0)
        + np.where(other, ctx.per_person(_points(ctx, "health_points", "disability")), 0)
        + np.where(
            p.serious_illness, ctx.per_person(_points(ctx, "health_points", "serious_illness")), 0
        )
        + np.where(dependent, ctx.per_person(_points(ctx, "health_points", "care_dependency")), 0)
    )
    return np.minimum(ctx.household_sum(per_person), SCALE)


def labour_score(ctx: Context) -> IntArray:
    members = np.bincount(ctx.hh, minlength=ctx.n_households)
    unable = ctx.household_count(cannot_work(ctx))
    return (SCALE * unable) // np.maximum(members, 1)


def living_score(ctx: Context) -> IntArray:
    n, income = ctx.facts["counted_n"], ctx.facts["counted_income"]
    need = ctx.standard() * np.maximum(n, 1)
    factor = ctx.params.get("low_income.income_factor")
    below = np.where(income < need, _points(ctx, "living_points", "below_standard"), 0)
    near = (income >= need) & (income * RATIO_SCALE < need * factor)
    return np.asarray(below + np.where(near, _points(ctx, "living_points", "below_low_income"), 0))


def property_score(ctx: Context) -> IntArray:
    h = ctx.households
    members = np.maximum(np.bincount(ctx.hh, minlength=ctx.n_households), 1)
    few = h.assets <= ctx.params.get("need.few_assets_months") * ctx.standard() * members
    no_house = np.where(h.houses == 0, _points(ctx, "property_points", "no_house"), 0)
    return np.asarray(no_house + np.where(few, _points(ctx, "property_points", "few_assets"), 0))


def expenditure_score(ctx: Context) -> IntArray:
    rigid = ctx.households.rigid
    income = ctx.household_sum(ctx.persons.income)
    no_income = np.where(rigid > 0, SCALE, 0)
    ratio = np.where(income > 0, (SCALE * rigid) // np.maximum(income, 1), no_income)
    return np.minimum(ratio, SCALE)


def dimension_scores(ctx: Context) -> dict[str, IntArray]:
    return {
        "health": health_score(ctx),
        "labour": labour_score(ctx),
        "living": living_score(ctx),
        "property": property_score(ctx),
        "expenditure": expenditure_score(ctx),
    }


def total_score(ctx: Context, scores: Mapping[str, IntArray]) -> IntArray:
    weighted = sum(scores[d] * ctx.params.get("need.weights", d) for d in DIMENSIONS)
    return np.asarray(weighted) // SCALE


def need_level(ctx: Context, total: IntArray) -> IntArray:
    level = np.zeros(len(total), np.int64)
    for index, key in ((1, "low"), (2, "medium"), (3, "high")):
        level = np.where(total >= ctx.params.get("need.levels", key), index, level)
    return level


def recommendations(ctx: Context, scores: Mapping[str, IntArray]) -> dict[str, BoolArray]:
    p, f, n = ctx.persons, ctx.facts, ctx.n_households
    any_of = ctx.household_count
    needy = f["dibao_eligible"] | f["low_income"] | f["rigid_expenditure"]
    working_age = (p.age >= ctx.per_person(ctx.params.get("tekun.child_age"))) & ~cannot_work(ctx)
    poor_worker = working_age & (p.income < ctx.per_person(ctx.standard()))
    elderly = p.age >= ctx.per_person(ctx.params.get("tekun.elderly_age"))
    young = (p.age >= 0) & (p.age < ctx.per_person(ctx.params.get("need.education_age")))
    needs_care = (p.ability >= ctx.per_person(ctx.params.get("need.care_ability_grade"))) | (
        p.self_care > 0)
    heavy_expenditure = scores["expenditure"] >= ctx.params.get("need.temporary_expenditure_score")
    return (
        {
            "dibao": f["dibao_eligible"] | (any_of(f["single_enrolled"]) > 0),
            "tekun": any_of(f["tekun"]) > 0,
            "temporary": f["rigid_expenditure"] | heavy_expenditure,
            "medical_referral": any_of(p.serious_illness | severely_disabled(ctx)) > 0,
            "education_referral": needy & (any_of(p.student | young) > 0),
            "housing_referral": (ctx.households.houses == 0) & needy,
            "employment_referral": (needy & (any_of(poor_worker) > 0)).astype(np.bool_),
            "care_services": any_of(elderly & needs_care) > 0,
        }
        if n
        else {k: np.zeros(0, np.bool_) for k in RECOMMENDATIONS}
    )


def need_frame(ctx: Context, households: pl.DataFrame, lang: str = "zh") -> pl.DataFrame:
    scores = dimension_scores(ctx)
    total = total_score(ctx, scores)
    recommended = recommendations(ctx, scores)
    frame = pl.DataFrame(
        {
            "household_id": households["id"].cast(pl.String),
            "score": total,
            "level": pl.Series(LEVELS, dtype=pl.String).gather(need_level(ctx, total)),
            **scores,
            **{f"recommend_{k}": v for k, v in recommended.items()},
        }
    )
    names = list(RECOMMENDATIONS)
    index = 0 if lang == "zh" else 1
    return frame.with_columns(
        recommendations=pl.concat_list(
            [pl.when(pl.col(f"recommend_{k}")).then(pl.lit(k)) for k in names]
        ).list.drop_nulls(),
        reasons=pl.concat_list(
            [
                pl.when(pl.col(f"recommend_{k}")).then(pl.lit(RECOMMENDATIONS[k][index]))
                for k in names
            ]
        ).list.drop_nulls(),
    ).drop([f"recommend_{k}" for k in names])


def assess_need(
    persons: pl.DataFrame,
    households: pl.DataFrame,
    on: dt.date,
    overrides: Mapping[str, object] | None = None,
    *,
    lang: str = "zh",
    params: ParameterSet | None = None,
) -> pl.DataFrame:
    """Per household: score (0-100), level (none/low/medium/high), the five dimension
    scores, recommendations (assistance types) and reasons (in ``lang``)."""
    ctx = build_context(persons, households, on, overrides, params)
    return need_frame(ctx, households, lang)
