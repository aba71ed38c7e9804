"""Eligibility pieces shared by several programmes (formulas: see ``context.formula``)."""

from __future__ import annotations

import numpy as np

from safetynet.policy.columns import DISABILITY_CATEGORIES, code_of
from safetynet.policy.context import BoolArray, Context, V, formula, parameter
from safetynet.policy.resolve import Int, IntArray

INTELLECTUAL = code_of("intellectual", DISABILITY_CATEGORIES)
MENTAL = code_of("mental", DISABILITY_CATEGORIES)
PHYSICAL = code_of("physical", DISABILITY_CATEGORIES)
VISUAL = code_of("visual", DISABILITY_CATEGORIES)

ELDERLY_AGE = parameter("tekun.elderly_age")
CHILD_AGE = parameter("tekun.child_age")
MAX_INTELLECTUAL = parameter("tekun.disability_max_grade", "intellectual")
MAX_MENTAL = parameter("tekun.disability_max_grade", "mental")
MAX_PHYSICAL = parameter("tekun.disability_max_grade", "physical")
MAX_VISUAL = parameter("tekun.disability_max_grade", "visual")
ASSET_MULTIPLE = parameter("dibao.asset_multiple")
MAX_VEHICLES = parameter("dibao.max_vehicles")
MAX_HOUSES = parameter("dibao.max_houses")


@formula
def intellectual_or_mental_rule(disability: V) -> V:
    return (disability == INTELLECTUAL) | (disability == MENTAL)


@formula
def has_grade_rule(disability: V, grade: V, low: V, high: V) -> V:
    """Persons with a disability certificate of grade ``low``..``high``."""
    return (grade >= low) & (grade <= high) & (disability > 0)


@formula
def severely_disabled_rule(disability: V, grade: V) -> V:
    """Grade 1-2 of any category, or grade 3 intellectual/mental (single-person inclusion)."""
    return has_grade_rule(disability, grade, 1, 2) | (
        has_grade_rule(disability, grade, 3, 3) & intellectual_or_mental_rule(disability)
    )


@formula
def cannot_work_rule(age: V, disability: V, grade: V, t: V) -> V:
    """Unable to work: elderly, child, or a disability of the grades in tekun parameters."""
    by_age = (age >= t[ELDERLY_AGE]) | (age < t[CHILD_AGE])
    by_disability = (grade >= 1) & (
        ((disability == INTELLECTUAL) & (grade <= t[MAX_INTELLECTUAL]))
        | ((disability == MENTAL) & (grade <= t[MAX_MENTAL]))
        | ((disability == PHYSICAL) & (grade <= t[MAX_PHYSICAL]))
        | ((disability == VISUAL) & (grade <= t[MAX_VISUAL]))
    )
    return by_age | by_disability


@formula
def asset_limit_rule(members: V, s: V, t: V) -> V:
    """Financial-asset limit (fen) of each household for ``members`` counted persons."""
    return t[ASSET_MULTIPLE] * s * members


@formula
def assets_within_limits_rule(assets: V, vehicles: V, houses: V, members: V, s: V, t: V) -> V:
    """Financial assets <= multiple x S x members, vehicles and houses within limits."""
    return (
        (assets <= asset_limit_rule(members, s, t))
        & (vehicles <= t[MAX_VEHICLES])
        & (houses <= t[MAX_HOUSES])
    )


# The readable modules' (and policy/need.py's) view of the formulas: arrays of a context.


def intellectual_or_mental(ctx: Context) -> BoolArray:
    return np.asarray(intellectual_or_mental_rule(ctx.persons.disability), np.bool_)


def has_grade(ctx: Context, low: int, high: Int) -> BoolArray:
    """Persons with a disability certificate of grade ``low``..``high``."""
    p = ctx.persons
    return np.asarray(has_grade_rule(p.disability, p.grade, low, high), np.bool_)


def severely_disabled(ctx: Context) -> BoolArray:
    p = ctx.persons
    return np.asarray(severely_disabled_rule(p.disability, p.grade), np.bool_)


def cannot_work(ctx: Context) -> BoolArray:
    p = ctx.persons
    return np.asarray(cannot_work_rule(p.age, p.disability, p.grade, ctx.row()), np.bool_)


def assets_within_limits(ctx: Context, members: IntArray) -> BoolArray:
    """``assets_within_limits_rule`` of every household for ``members`` counted persons."""
    h = ctx.households
    row = ctx.row(per_person=False)
    ok = assets_within_limits_rule(h.assets, h.vehicles, h.houses, members, ctx.standard(), row)
    return np.asarray(ok, np.bool_)
