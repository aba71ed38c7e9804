"""Orphan support: the allowance the payroll pays (1,500 → 1,646 yuan on 2022-01-01),
education aid and health checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from safetynet.benefits.amounts import amount_for
from safetynet.children import selectors
from safetynet.children.services import registry, support
from safetynet.core.actor import Actor
from tests.children.conftest import add_child, register


@pytest.fixture
def orphan(director, family):
    child = register(director, add_child(director, family, date(2010, 6, 1)),
                     father_status="deceased", mother_status="deceased")
    return registry.review_categories(Actor.of(director), child)


def test_allowance_changes_on_1_january_2022(orphan) -> None:
    household, person = orphan.person.household, orphan.person_id
    assert amount_for(household, "orphan_allowance", person, date(2021, 12, 1)) \
        .monthly_amount == Decimal(1500)
    assert amount_for(household, "orphan_allowance", person, date(2022, 1, 1)) \
        .monthly_amount == Decimal(1646)
    shown = selectors.orphan_allowance(orphan, date(2022, 1, 1))
    assert shown.rule_amount == Decimal(1646) and not shown.enrolled


def test_the_enrolment_paid_by_the_payroll_is_shown(orphan, clerk) -> None:
    from safetynet.benefits import services as benefits

    benefits.enrol(None, program="orphan_allowance", household=orphan.person.household,
                   person=orphan.person, approved_on=date(2022, 5, 10))
    shown = selectors.orphan_allowance(orphan, date(2022, 6, 1))
    assert shown.enrolled and shown.enrollment_id


def test_education_aid_and_health_checks_are_recorded_with_amounts(director, orphan) -> None:
    record = support.record_support(Actor.of(director), orphan, {
        "kind": "education_aid", "on": date(2022, 3, 1), "amount": "2000"})
    assert record.amount == Decimal("2000.00")
    with pytest.raises(ValidationError) as err:
        support.record_support(Actor.of(director), orphan, {"kind": "health_check",
                                                  "on": date(2022, 3, 1), "amount": "-1"})
    assert "amount" in err.value.message_dict


def test_support_only_for_orphans(director, family) -> None:
    child = register(director, add_child(director, family, date(2012, 1, 1), name="留守"))
    with pytest.raises(ValidationError):
        support.record_support(Actor.of(director), child, {"kind": "health_check",
                                                 "on": date(2022, 3, 1), "amount": "0"})
