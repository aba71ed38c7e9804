"""Fixtures of the child-protection tests: a village child director, a township
supervisor, a 12345 hotline handler, and a rural household with children."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.children.models import ChildProfile
from safetynet.children.services import registry as child_registry
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.registry import services as registry
from safetynet.registry.models import Household, Person
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A, make_household, make_user, new_id


@pytest.fixture
def director(county: dict[str, Area]) -> User:
    return make_user("childdir_a", Role.CHILD_DIRECTOR, county[VILLAGE_A])


@pytest.fixture
def supervisor(county: dict[str, Area]) -> User:
    return make_user("childsup_a", Role.CHILD_SUPERVISOR, county[TOWN_A])


@pytest.fixture
def hotline(county: dict[str, Area]) -> User:
    user = make_user("hotline_c", Role.PARTNER, county[COUNTY])
    user.department = "hotline"
    user.save()
    return user


@pytest.fixture
def family(clerk: User) -> Household:
    """A rural household: a grandmother as head."""
    return make_household(clerk, name="王奶奶", id_number=new_id(date(1955, 3, 3), male=False))


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, min(today.day, 28)) - \
        __import__("datetime").timedelta(days=days)


def add_child(actor: User, household: Household, birth: date, name: str = "王小明",
              **extra: Any) -> Person:
    return registry.add_person(Actor.of(actor), household, {
        "name": name, "id_number": new_id(birth), "relation": "grandchild", **extra})


MIGRANTS = {"father_status": "migrant", "mother_status": "migrant", "father_name": "王父",
            "mother_name": "李母", "carer_name": "王奶奶", "carer_relation": "祖母"}


def register(director: User, person: Person, registered_on: date | None = None,
             **facts: Any) -> ChildProfile:
    return child_registry.register_child(Actor.of(director), person, {**MIGRANTS, **facts},
                                         registered_on=registered_on)
