"""Hypothesis strategies of JSON households, shared by the property tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

CATEGORIES = ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"]


def members(latest_birth: dt.date, edge_incomes: list[float]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {
            "birth_date": st.dates(dt.date(1915, 1, 1), latest_birth).map(str),
            "monthly_income": st.one_of(st.integers(0, 3000), st.sampled_from(edge_incomes)),
        },
        optional={
            "disability_category": st.sampled_from(CATEGORIES),
            "disability_grade": st.integers(1, 4),
            "ability_grade": st.integers(0, 4),
            "self_care": st.sampled_from(["full", "partial", "none"]),
            "serious_illness": st.booleans(),
            "no_able_supporter": st.booleans(),
            "orphan_status": st.sampled_from(["orphan", "no_de_facto_carer"]),
            "in_institution": st.booleans(),
            "full_time_student": st.booleans(),
        },
    )


def households(member: st.SearchStrategy[Any], max_assets: int,
               max_members: int) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {
            "area_code": st.sampled_from(["320722100201", "320722201", "320722"]),
            "hukou": st.sampled_from(["urban", "rural"]),
            "financial_assets": st.integers(0, max_assets),
            "vehicles": st.integers(0, 1),
            "houses": st.integers(0, 2),
            "rigid_expenses": st.integers(0, 2000),
            "members": st.lists(member, min_size=0, max_size=max_members),
        }
    )
