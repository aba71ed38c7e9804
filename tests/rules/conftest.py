"""Fixtures of the rules tests: small registries built through the registry's services."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.registry import services
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense
from tests.conftest import COUNTY, VILLAGE_A, VILLAGE_B, make_user

ON = date(2022, 9, 1)
_names = (f"成员{i}" for i in itertools.count(1))


def member(birth: date = date(1980, 1, 1), income: int | str = 0, **fields: Any) -> dict[str, Any]:
    """A member's registry fields plus ``income`` (yuan a month, one wages item)."""
    return {"name": next(_names), "birth_date": birth, "sex": "M", "income": income, **fields}


def add_household(actor: User, members: Sequence[dict[str, Any]], village: str = VILLAGE_A,
                  hukou: str = "rural", assets: Iterable[tuple[str, int]] = (),
                  expenses: Iterable[tuple[str, int]] = ()) -> Household:
    """A household with its members, their incomes, its assets and rigid expenses."""
    head, *others = [dict(m) for m in members]
    incomes = [m.pop("income", 0) for m in (head, *others)]
    acting = Actor.of(actor)
    household = services.create_household(
        acting, {"area_code": village, "hukou": hukou, "address": "1组"}, head)
    for data in others:
        services.add_person(acting, household, {"relation": "child", **data})
    people = list(household.members.order_by("pk"))
    for person, income in zip(people, incomes, strict=True):
        if income:
            IncomeItem.objects.create(person=person, kind="wages", monthly_amount=Decimal(income))
    for kind, value in assets:
        Asset.objects.create(household=household, kind=kind, value=Decimal(value))
    for kind, value in expenses:
        RigidExpense.objects.create(household=household, kind=kind, monthly_amount=Decimal(value))
    return household


def members_of(household: Household) -> list[Person]:
    return list(household.members.order_by("pk"))



@pytest.fixture
def leader(county: dict[str, Area]) -> User:
    return make_user("leader_c", Role.LEADER, county[COUNTY])


@pytest.fixture
def approver2(county: dict[str, Area]) -> User:
    return make_user("approver_d", Role.APPROVER, county[COUNTY])


@pytest.fixture
def registry(clerk: User, clerk_b: User) -> dict[str, Household]:
    """Four households in two townships, each showing a different programme."""
    return {
        # Dibao: 2 adults earning 300 + 400, a child; S = 650 -> 650 × 3 − 700 = 1,250.
        "dibao": add_household(clerk, [member(date(1980, 1, 1), 300),
                                       member(date(1982, 1, 1), 400),
                                       member(date(2012, 1, 1))]),
        # Near the line: 2 adults, 1,400 a month: per capita 700 ≥ 650 -> low income today,
        # dibao if the standard were 700 or more.
        "near": add_household(clerk, [member(date(1975, 3, 1), 800),
                                      member(date(1976, 3, 1), 600)]),
        # An 84-year-old alone with no supporter: tekun, elderly allowance, home care.
        "elder": add_household(clerk_b, [member(date(1938, 5, 2), no_able_supporter=True)],
                               village=VILLAGE_B),
        # Well off: no programme.
        "rich": add_household(clerk_b, [member(date(1970, 1, 1), 5000)], village=VILLAGE_B,
                              assets=[("deposit", 200_000), ("car", 80_000)]),
    }
