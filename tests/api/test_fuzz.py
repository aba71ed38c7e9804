"""A bounded schemathesis run over every operation of /api/v1/ (the full run is
bench/fuzz_api.py): a township clerk, the county approver with a verified second factor
and the read-only county leader, each with a bearer token, a fixed seed and a few valid
and invalid cases per operation. Any 5xx or response outside its declared schema fails.
"""

from __future__ import annotations

import pytest

from tests.api.fuzzing import ROLES, build_county, fuzz

EXAMPLES = 2  # valid and invalid cases per operation, each
SEED = 2022

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_no_server_error_and_no_schema_violation(role: str) -> None:
    tokens = build_county()
    stats = fuzz(role, tokens[role], EXAMPLES, SEED)
    assert stats.cases >= 2 * EXAMPLES * 70, stats.report()  # every operation was reached
    assert not [check for _op, check in stats.failures if check == "generation"], stats.report()
    assert stats.server_errors == 0, stats.report()
    assert stats.schema_violations == 0, stats.report()
