"""The candidate tests the compiled kernel gates on are necessary conditions: nobody who is
not a programme's candidate receives it (``candidate_rule`` of the programme modules)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetynet.policy.engine import build_context, collect_rows
from safetynet.policy.programs import (
    dibao,
    disability_living,
    disability_nursing,
    orphan_allowance,
    tekun_basic,
)
from tests.policy import strategies
from tests.policy.test_fast import _frames

ON = dt.date(2022, 9, 1)
members = strategies.members(dt.date(2023, 1, 1), [0, 300, 649.5, 650, 1300])
households = strategies.households(members, max_assets=40_000, max_members=5)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(households, min_size=1, max_size=10))
def test_nobody_outside_a_programmes_candidates_receives_it(items: list[dict[str, Any]]) -> None:
    ctx = build_context(*_frames(items, ON), ON)
    collect_rows(ctx)
    p, paid = ctx.persons, ctx.results
    single_ok = np.asarray(
        dibao.single_household_rule(
            ctx.facts["counted_n"],
            ctx.facts["counted_income"],
            ctx.facts["assets_ok"],
            ctx.standard(),
            ctx.row(per_person=False),
        ),
        np.bool_,
    )[p.hh]
    candidates = {
        orphan_allowance.NAME: orphan_allowance.candidate_rule(p.orphan),
        tekun_basic.NAME: tekun_basic.candidate_rule(p.no_able_supporter),
        "tekun_care": tekun_basic.candidate_rule(p.no_able_supporter),
        disability_nursing.NAME: disability_nursing.candidate_rule(p.disability),
        disability_living.NAME: disability_living.candidate_rule(p.disability),
        dibao.SINGLE: dibao.single_candidate_rule(single_ok, p.disability, p.serious_illness),
    }
    for name, candidate in candidates.items():
        outside = (paid[name] > 0) & ~np.asarray(candidate, np.bool_)
        assert not outside.any(), f"{name} paid to a non-candidate"


def test_the_candidate_tests_select_someone() -> None:
    """Each test is true for a candidate and false otherwise (none is constant)."""
    assert orphan_allowance.candidate_rule(1) and not orphan_allowance.candidate_rule(0)
    assert tekun_basic.candidate_rule(True) and not tekun_basic.candidate_rule(False)
    assert disability_nursing.candidate_rule(3) and not disability_nursing.candidate_rule(0)
    assert disability_living.candidate_rule(3) and not disability_living.candidate_rule(0)
    assert dibao.single_candidate_rule(True, 0, True)
    assert dibao.single_candidate_rule(True, 2, False)
    assert not dibao.single_candidate_rule(False, 2, True)
    assert not dibao.single_candidate_rule(True, 0, False)
