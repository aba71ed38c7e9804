"""Monthly orders from the rules, and visits recorded by the provider's worker."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.eldercare import compliance, services
from safetynet.eldercare.models import Contract, ServiceOrder, Visit
from safetynet.registry import services as registry
from safetynet.registry.models import Person
from tests.conftest import TOWN_A, TOWN_B, VILLAGE_B, make_user
from tests.eldercare.conftest import AUGUST, ENTITLEMENT_80, at, elderly, record


def test_everyone_entitled_gets_one_order_with_the_provider_serving_the_village(
        officer: User, clerk: User, clerk_b: User, contract: Contract,
        old_man: Person) -> None:
    young = elderly(clerk, "李青年", date(1990, 1, 1))
    far = elderly(clerk_b, "赵奶奶", date(1938, 1, 1), village=VILLAGE_B)
    run = services.generate_orders(Actor.of(officer), month=date(2022, 8, 15))
    order = ServiceOrder.objects.get(person=old_man)
    assert (order.month, order.entitlement, order.provider_id) == (
        AUGUST, ENTITLEMENT_80, contract.provider_id)
    assert not ServiceOrder.objects.filter(person=young).exists()
    assert run.unassigned == [far.pk]  # no contract covers township B
    again = services.generate_orders(Actor.of(officer), month=AUGUST)
    assert (again.created, again.existing) == (0, 1)
    assert ServiceOrder.objects.count() == 1


def test_orders_need_a_manager_in_the_area(clerk: User, county: dict, contract: Contract) -> None:
    with pytest.raises(PermissionDenied):
        services.generate_orders(Actor.of(clerk), month=AUGUST)
    outsider = make_user("ec_b", Role.OFFICER, county[TOWN_B])
    with pytest.raises(PermissionDenied):
        services.generate_orders(Actor.of(outsider), month=AUGUST, area_code=TOWN_A)


def test_worker_records_a_visit_valued_at_contract_prices(worker: User,
                                                          order: ServiceOrder) -> None:
    visit = record(worker, order, at(10), 75, {"cleaning": 1, "meals": 2})
    assert visit.value == 40  # 20 + 2 × 10
    assert visit.minutes == 75 and visit.flags == []
    assert [(i.item, i.quantity, i.amount) for i in visit.items.order_by("item")] == [
        ("cleaning", 1, 20), ("meals", 2, 20)]
    assert AuditEvent.objects.filter(action="eldercare.visit", object_id=str(visit.pk)).exists()


def test_only_the_providers_own_worker_records(county: dict, officer: User,
                                               order: ServiceOrder) -> None:
    stranger = make_user("worker_x", Role.PROVIDER, county["320722"])
    with pytest.raises(PermissionDenied):
        record(stranger, order, at(10))
    with pytest.raises(PermissionDenied):
        record(officer, order, at(10))


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"items": {"cleaning": 0}}, "items"),
    ({"items": {"massage": 1}}, "items"),
    ({"items": {"cleaning": 99}}, "items"),
    ({"confirmation": "neighbour"}, "confirmation"),
])
def test_bad_visits_name_the_field_and_write_nothing(worker: User, order: ServiceOrder,
                                                     kwargs: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        record(worker, order, at(10), **kwargs)
    assert field in caught.value.message_dict
    assert not Visit.objects.exists()


def test_confirmation_needs_the_name(worker: User, order: ServiceOrder) -> None:
    with pytest.raises(ValidationError) as caught:
        services.record_visit(Actor.of(worker), order, started_at=at(10), ended_at=at(11),
                              items={"cleaning": 1}, confirmation="family")
    assert "confirmer_name" in caught.value.message_dict


def test_two_places_at_once_flags_both_visits(worker: User, clerk: User, officer: User,
                                              order: ServiceOrder) -> None:
    neighbour = elderly(clerk, "钱奶奶", date(1936, 6, 6))
    services.generate_orders(Actor.of(officer), month=AUGUST)
    other = ServiceOrder.objects.get(person=neighbour)
    first = record(worker, order, at(10, 9), 60)
    second = record(worker, other, at(10, 9, 30), 60)
    first.refresh_from_db()
    assert first.flags == [compliance.OVERLAP] and second.flags == [compliance.OVERLAP]
    later = record(worker, other, at(10, 10, 30), 60)  # starts as the second ends
    assert later.flags == []


def test_visit_to_a_deceased_person_is_flagged(worker: User, clerk: User,
                                               order: ServiceOrder, old_man: Person) -> None:
    registry.mark_deceased(Actor.of(clerk), old_man, date(2022, 8, 5))
    assert record(worker, order, at(10)).flags == [compliance.DECEASED]


def test_durations_that_do_not_add_up_are_flagged(worker: User, order: ServiceOrder) -> None:
    assert record(worker, order, at(10), 0).flags == [compliance.BAD_DURATION]
    assert record(worker, order, at(11), 600).flags == [compliance.TOO_LONG]
    assert record(worker, order, at(1, month=9)).flags == [compliance.OUTSIDE_MONTH]


def test_the_command_creates_orders_and_statements(contract: Contract, old_man: Person) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("eldercare", "orders", "2022-08", stdout=out)
    assert "1 created" in out.getvalue()
    call_command("eldercare", "statement", "2022-08", stdout=out)
    assert "0/1 compliant" in out.getvalue()
    call_command("eldercare", "allowance", "2022-10", stdout=out)
    assert ServiceOrder.objects.get().entitlement == ENTITLEMENT_80
