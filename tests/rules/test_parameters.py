"""rules.parameters: the parameters in force (files + approved changes) and typed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from safetynet.core.actor import Actor
from safetynet.policy import ParameterError, load_parameters
from safetynet.rules import services
from safetynet.rules.parameters import current_parameters, parse_assignments, parse_value
from tests.conftest import COUNTY


@pytest.mark.parametrize(("text", "value"), [
    ("700", Decimal("700")), (" 1.35 ", Decimal("1.35")), ("true", True), ("False", False),
    ('{"urban": 700, "rural": 680.5}', {"urban": 700, "rural": Decimal("680.5")}),
    ("{oops", "{oops"), ("much", "much"),
])
def test_values_are_read_exactly(text: str, value: object) -> None:
    assert parse_value(text) == value


def test_assignments_need_a_name_and_a_value() -> None:
    assert parse_assignments(["dibao.standard=700", "orphan_allowance.continue_in_study=false"]
                             ) == {"dibao.standard": Decimal(700),
                                   "orphan_allowance.continue_in_study": False}
    for bad in ("dibao.standard", "=700", "dibao.standard="):
        with pytest.raises(ParameterError):
            parse_assignments([bad])


def test_without_approved_changes_the_files_are_in_force(db) -> None:
    assert current_parameters().fingerprint() == load_parameters().fingerprint()


def test_approved_changes_change_the_fingerprint_pending_ones_do_not(approver,
                                                                     approver2) -> None:
    before = current_parameters().fingerprint()
    change = services.propose_change(Actor.of(approver), {
        "parameter": "dibao.standard", "scope": COUNTY, "value": "700", "reason": "raise",
        "effective_from": timezone.localdate() + dt.timedelta(days=10)})
    assert current_parameters().fingerprint() == before
    services.approve_change(Actor.of(approver2), change)
    assert current_parameters().fingerprint() != before
