"""The provider's monthly statement: only compliant months are paid; the county approves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.eldercare import compliance, services
from safetynet.eldercare.models import Provider, ServiceOrder, StatementStatus
from safetynet.eldercare.selectors import month_compliance
from safetynet.registry.models import Person
from tests.eldercare.conftest import AUGUST, at, elderly, record


@pytest.fixture
def orders(clerk: User, officer: User, order: ServiceOrder) -> dict[str, ServiceOrder]:
    """Five people aged 80+ of one provider in August."""
    names = ["钱", "孙", "李", "周"]
    people = [elderly(clerk, f"{n}老人", date(1935 + i, 2, 2)) for i, n in enumerate(names)]
    services.generate_orders(Actor.of(officer), month=AUGUST)
    found = {"ok": order}
    for key, person in zip(["short", "cheap", "none", "unconfirmed"], people, strict=True):
        found[key] = ServiceOrder.objects.get(person=person)
    return found


def visits(worker: User, orders: dict[str, ServiceOrder]) -> None:
    record(worker, orders["ok"], at(3), 60, {"cleaning": 1, "meals": 1})  # 30 yuan, 60 min
    record(worker, orders["short"], at(4), 59, {"cleaning": 1, "meals": 1})  # 59 min
    record(worker, orders["cheap"], at(5), 90, {"cleaning": 1, "shopping": 1})  # 25 yuan
    record(worker, orders["unconfirmed"], at(6), 90, {"bathing": 1}, confirmation="none")


def test_statement_pays_only_compliant_months(officer: User, worker: User, provider: Provider,
                                             orders: dict[str, ServiceOrder]) -> None:
    visits(worker, orders)
    statement = services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    assert (statement.orders, statement.compliant, statement.amount) == (5, 1, Decimal("30"))
    lines = {line.order_id: line for line in statement.lines.all()}
    assert lines[orders["ok"].pk].payable == Decimal("30")
    assert lines[orders["short"].pk].reasons == [compliance.TOO_SHORT]
    assert lines[orders["cheap"].pk].reasons == [compliance.TOO_LITTLE_VALUE]
    assert lines[orders["none"].pk].reasons == [compliance.NO_VISIT]
    assert lines[orders["unconfirmed"].pk].payable == 0


def test_flagged_visits_are_not_paid(officer: User, worker: User, provider: Provider,
                                     orders: dict[str, ServiceOrder]) -> None:
    record(worker, orders["ok"], at(3, 9), 60)
    record(worker, orders["short"], at(3, 9, 30), 60)  # the same worker, two homes at once
    statement = services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    assert statement.compliant == 0 and statement.amount == 0


def test_compliance_view_lists_the_shortfalls_by_provider_and_township(
        officer: User, worker: User, orders: dict[str, ServiceOrder]) -> None:
    visits(worker, orders)
    report = month_compliance(officer, AUGUST)
    total = report.total
    assert (total.orders, total.compliant, total.no_visit, total.shortfall) == (5, 1, 2, 2)
    assert {r.name for r in report.shortfalls} == {"钱老人", "孙老人", "李老人", "周老人"}
    no_visit = [r.name for r in report.rows if compliance.NO_VISIT in r.outcome.reasons]
    assert sorted(no_visit) == ["周老人", "李老人"]  # the unconfirmed visit does not count


def test_the_county_approves_someone_elses_statement(officer: User, approver: User,
                                                     worker: User, provider: Provider,
                                                     orders: dict[str, ServiceOrder]) -> None:
    visits(worker, orders)
    statement = services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    with pytest.raises(PermissionDenied):
        services.approve_statement(Actor.of(officer), statement)
    approved = services.approve_statement(Actor.of(approver), statement)
    assert approved.status == StatementStatus.APPROVED and approved.approved_by == approver
    with pytest.raises(ValidationError):
        services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    with pytest.raises(ValidationError):
        services.void_visit(Actor.of(officer), orders["ok"].visits.get(), reason="录错")


def test_a_visit_recorded_after_computing_blocks_approval(officer: User, approver: User,
                                                          worker: User, provider: Provider,
                                                          orders: dict[str, ServiceOrder]
                                                          ) -> None:
    statement = services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    record(worker, orders["none"], at(20), 60)
    with pytest.raises(ValidationError):
        services.approve_statement(Actor.of(approver), statement)
    statement = services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    assert services.approve_statement(Actor.of(approver), statement).amount == Decimal("30")


def test_a_voided_visit_no_longer_counts(officer: User, worker: User, provider: Provider,
                                         order: ServiceOrder, old_man: Person) -> None:
    visit = record(worker, order, at(3), 60)
    services.void_visit(Actor.of(worker), visit, reason="重复录入")
    statement = services.compute_statement(Actor.of(officer), provider=provider, month=AUGUST)
    assert statement.amount == 0
