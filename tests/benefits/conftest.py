"""Fixtures of the benefits and payments tests: users, and households the rules pay."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.models import Area
from safetynet.registry.models import Household
from tests.conftest import COUNTY, VILLAGE_A, VILLAGE_B, make_user
from tests.rules.conftest import add_household, member

APPROVED = date(2022, 8, 15)  # paid from 2022-09
SEPTEMBER = date(2022, 9, 1)
_accounts = itertools.count(6228480000000001)




@pytest.fixture
def finance(county: dict[str, Area]) -> User:
    return make_user("finance_c", Role.FINANCE, county[COUNTY])


@pytest.fixture
def finance2(county: dict[str, Area]) -> User:
    return make_user("finance_d", Role.FINANCE, county[COUNTY])


def with_account(household: Household, account: str | None = None) -> Household:
    household.bank_name = "东海农商银行"
    household.bank_account = account or str(next(_accounts))
    household.save()
    return household


def dibao_household(actor: User, village: str = VILLAGE_A, income: int = 300) -> Household:
    """2 adults (income 300 + ``income``) and a child: S = 650 -> 1,950 − 300 − income."""
    return with_account(add_household(actor, [member(date(1980, 1, 1), 300),
                                              member(date(1982, 1, 1), income),
                                              member(date(2012, 1, 1))], village=village))


def elderly_household(actor: User, village: str = VILLAGE_B) -> Household:
    """One person aged 85 in 2022 (old-age allowance 50 a month), well off."""
    return with_account(add_household(actor, [member(date(1937, 3, 1), 3000)],
                                      village=village))


@pytest.fixture
def households(clerk: User, clerk_b: User) -> dict[str, Any]:
    return {"a": dibao_household(clerk), "a2": dibao_household(clerk, income=500),
            "b": dibao_household(clerk_b, VILLAGE_B, income=100)}
