"""Eligibility pieces shared by several programmes."""

from __future__ import annotations

import numpy as np

from safetynet.policy.columns import DISABILITY_CATEGORIES, code_of
from safetynet.policy.context import BoolArray, Context
from safetynet.policy.resolve import Int, IntArray

INTELLECTUAL = code_of("intellectual", DISABILITY_CATEGORIES)
MENTAL = code_of("mental", DISABILITY_CATEGORIES)
PHYSICAL = code_of("physical", DISABILITY_CATEGORIES)
VISUAL = code_of("visual", DISABILITY_CATEGORIES)


def intellectual_or_mental(ctx: Context) -> BoolArray:
    disability = ctx.persons.disability
    return (disability == INTELLECTUAL) | (disability == MENTAL)


def has_grade(ctx: Context, low: int, high: Int) -> BoolArray:
    """Persons with a disability certificate of grade ``low``..``high``."""
    grade = ctx.persons.grade
    return (grade >= low) & (grade <= high) & (ctx.persons.disability > 0)


def severely_disabled(ctx: Context) -> BoolArray:
    """Grade 1-2 of any category, or grade 3 intellectual/mental (single-person inclusion)."""
    return has_grade(ctx, 1, 2) | (has_grade(ctx, 3, 3) & intellectual_or_mental(ctx))


def cannot_work(ctx: Context) -> BoolArray:
    """Unable to work: elderly, child, or a disability of the grades in tekun parameters."""
    p, get = ctx.persons, ctx.params.get
    age = p.age
    by_age = (age >= ctx.per_person(get("tekun.elderly_age"))) | (
        age < ctx.per_person(get("tekun.child_age"))
    )
    limits = {
        INTELLECTUAL: "intellectual",
        MENTAL: "mental",
        PHYSICAL: "physical",
        VISUAL: "visual",
    }
    by_disability = np.zeros(len(p), np.bool_)
    for code, key in limits.items():
        limit = ctx.per_person(get("tekun.disability_max_grade", key))
        by_disability |= (p.disability == code) & (p.grade >= 1) & (p.grade <= limit)
    return by_age | by_disability


def asset_limit(ctx: Context, members: IntArray) -> Int:
    """Financial-asset limit (fen) of each household for ``members`` counted persons."""
    return ctx.params.get("dibao.asset_multiple") * ctx.standard() * members


def assets_within_limits(ctx: Context, members: IntArray) -> BoolArray:
    """Financial assets <= multiple x S x members, vehicles and houses within limits."""
    h, get = ctx.households, ctx.params.get
    return (
        (h.assets <= asset_limit(ctx, members))
        & (h.vehicles <= get("dibao.max_vehicles"))
        & (h.houses <= get("dibao.max_houses"))
    )
