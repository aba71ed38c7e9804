"""The dibao gradual exit lasts the dated parameter's months in the household's area."""

from __future__ import annotations

from datetime import date

from safetynet.benefits import services
from safetynet.core.actor import Actor
from safetynet.core.dates import add_months
from safetynet.rules.parameters import current_parameters
from tests.benefits.conftest import APPROVED


def test_gradual_exit_months_is_the_parameter_in_force(households, approver) -> None:
    enrolment = services.enrol(Actor.of(approver), program="dibao", household=households["a"],
                               person=None, approved_on=APPROVED)
    month = date(2022, 10, 1)
    expected = current_parameters()["dibao.gradual_exit_months"].for_area(
        enrolment.household.area_id, month)
    months = services.gradual_exit_months(enrolment, month)
    assert months == int(expected.value) and months > 0
    services.start_gradual_exit(Actor.of(approver), enrolment, from_month=month, note="")
    enrolment.refresh_from_db()
    assert enrolment.end_month == add_months(month, months - 1)
