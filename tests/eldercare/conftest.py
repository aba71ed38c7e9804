"""Fixtures of the elderly-care tests: staff, a provider with a contract and a worker, and
elderly people in township A."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.eldercare import services
from safetynet.eldercare.models import Contract, Provider, ServiceOrder, Visit
from safetynet.registry.models import Person
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A, make_household, make_user, new_id

AUGUST = date(2022, 8, 1)
PRICES = {"meals": "10", "bathing": "30", "cleaning": "20", "medical": "25", "shopping": "5"}


def at(day: int, hour: int = 9, minute: int = 0, month: int = 8) -> datetime:
    return timezone.make_aware(datetime(2022, month, day, hour, minute))


@pytest.fixture
def officer(county: dict[str, Area]) -> User:
    return make_user("ec_officer", Role.OFFICER, county[COUNTY])


@pytest.fixture
def town_officer(county: dict[str, Area]) -> User:
    return make_user("ec_town", Role.OFFICER, county[TOWN_A])


@pytest.fixture
def provider(officer: User) -> Provider:
    return services.create_provider(Actor.of(officer), name="东海康乐居家养老服务中心",
                                    credit_code="52320722MJ1234567X", contact_person="周经理")


@pytest.fixture
def contract(officer: User, provider: Provider) -> Contract:
    return services.create_contract(Actor.of(officer), provider=provider, number="DH-JJ-2022-01",
                                    starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31),
                                    area_codes=[TOWN_A], prices=PRICES)


@pytest.fixture
def worker(county: dict[str, Area], officer: User, provider: Provider) -> User:
    user = make_user("worker_a", Role.PROVIDER, county[COUNTY])
    services.add_staff(Actor.of(officer), provider=provider, worker=user)
    return user


def elderly(clerk: User, name: str, birth: date = date(1940, 3, 5),
            village: str = VILLAGE_A) -> Person:
    household = make_household(clerk, village=village, name=name,
                               id_number=new_id(birth))
    return household.members.get()


@pytest.fixture
def old_man(clerk: User) -> Person:
    return elderly(clerk, "王大爷")


@pytest.fixture
def order(officer: User, contract: Contract, old_man: Person) -> ServiceOrder:
    services.generate_orders(Actor.of(officer), month=AUGUST, area_code=TOWN_A)
    return ServiceOrder.objects.get(person=old_man, month=AUGUST)


def record(worker: User, order: ServiceOrder, start: datetime, minutes: int = 60,
           items: dict[str, int] | None = None, confirmation: str = "self",
           **extra: Any) -> Visit:
    return services.record_visit(
        Actor.of(worker), order, started_at=start, ended_at=start + timedelta(minutes=minutes),
        items=items or {"cleaning": 1, "meals": 1}, confirmation=confirmation,
        confirmer_name="王大爷" if confirmation != "none" else "", **extra)


ENTITLEMENT_80 = Decimal("30.00")
