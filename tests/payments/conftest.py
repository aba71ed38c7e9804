"""Fixtures of the payroll tests: three dibao households enrolled from September 2022."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.benefits import services as benefits
from safetynet.core.actor import Actor
from tests.benefits.conftest import (  # noqa: F401  (fixtures)
    APPROVED,
    finance,
    finance2,
    households,
)


@pytest.fixture
def enrolled(approver: Any, households: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    return {key: benefits.enrol(Actor.of(approver), program="dibao", household=h, person=None,
                                approved_on=APPROVED)
            for key, h in households.items()}
