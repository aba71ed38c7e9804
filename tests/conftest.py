"""Shared fixtures: a small county with two townships and users of each role."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core import idnumber
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.registry import services

COUNTY = "320722"
TOWN_A, TOWN_B = "320722100", "320722101"
VILLAGE_A, VILLAGE_A2, VILLAGE_B = "320722100201", "320722100001", "320722101201"


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Every test starts in the default language (Chinese): a request in English leaves its
    language active on the thread (LocaleMiddleware activates and never resets it)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def county(db: Any) -> dict[str, Area]:
    county = Area.objects.create(code=COUNTY, name="东海县")
    town_a = Area.objects.create(code=TOWN_A, name="牛山镇", parent=county)
    town_b = Area.objects.create(code=TOWN_B, name="白塔埠镇", parent=county)
    return {
        COUNTY: county, TOWN_A: town_a, TOWN_B: town_b,
        VILLAGE_A: Area.objects.create(code=VILLAGE_A, name="东村", parent=town_a),
        VILLAGE_A2: Area.objects.create(code=VILLAGE_A2, name="城东社区", parent=town_a),
        VILLAGE_B: Area.objects.create(code=VILLAGE_B, name="西村", parent=town_b),
    }


def make_user(username: str, role: str, *areas: Area) -> User:
    user = User.objects.create_user(username=username, password="Test-pass-2022", role=role,
                                    must_change_password=False)
    user.areas.set(areas)
    return user


@pytest.fixture
def clerk(county: dict[str, Area]) -> User:
    return make_user("clerk_a", Role.CLERK, county[TOWN_A])


@pytest.fixture
def clerk_b(county: dict[str, Area]) -> User:
    return make_user("clerk_b", Role.CLERK, county[TOWN_B])


@pytest.fixture
def approver(county: dict[str, Area]) -> User:
    return make_user("approver_c", Role.APPROVER, county[COUNTY])


@pytest.fixture
def officer(county: dict[str, Area]) -> User:
    """A township civil-affairs officer of the first township."""
    return make_user("officer_a", Role.OFFICER, county[TOWN_A])


@pytest.fixture
def county_officer(county: dict[str, Area]) -> User:
    return make_user("officer_c", Role.OFFICER, county[COUNTY])


@pytest.fixture
def village_worker(county: dict[str, Area]) -> User:
    return make_user("village_a", Role.VILLAGE, county[VILLAGE_A])


_sequence = itertools.count(1)
# Region codes a resident's ID number may carry (320721 and 320705 are abolished ones):
# 499 sequence numbers each, so a test session never runs out of unique ID numbers.
_REGIONS = (COUNTY, "320721", "320705", "320723", "320724", "320703", "320706", "320707")


def new_id(birth: date = date(1990, 1, 1), male: bool = True) -> str:
    n = next(_sequence)
    region = _REGIONS[(n // 499) % len(_REGIONS)]
    return idnumber.make(region, birth, (n % 499 + 1) * 2 - (1 if male else 0))


def make_household(user: User, village: str = VILLAGE_A, name: str = "张三",
                   members: int = 0, **head: Any) -> Any:
    actor = Actor.of(user)
    household = services.create_household(
        actor, {"area_code": village, "hukou": "rural", "address": "东村1组"},
        {"name": name, "id_number": new_id(), **head})
    for i in range(members):
        services.add_person(actor, household, {
            "name": f"{name}家{i}", "id_number": new_id(date(2000 + i, 2, 3), male=False),
            "relation": "child"})
    return household


def login_verified(client: Any, user: User) -> None:
    """Log in through the test client with a confirmed TOTP device, as after a real code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def client_for(user: User) -> Any:
    """A test client logged in as ``user``, past the second factor."""
    from django.test import Client

    client = Client()
    login_verified(client, user)
    return client


def issue_token(user: User, name: str = "") -> str:
    """An API token for ``user``; roles that need it get a confirmed second factor first."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from safetynet.accounts.models import ApiToken

    if user.otp_required:
        TOTPDevice.objects.get_or_create(user=user, name="token", confirmed=True)
    return ApiToken.issue(user, name)[1]


def api_call(prefix: str, user: User, method: str, path: str, body: dict[str, Any] | None = None,
             files: dict[str, Any] | None = None, run_on_commit: bool = False,
             **params: Any) -> tuple[int, Any, str]:
    """One bearer-token request to ``prefix + path``: JSON body, or multipart with
    ``files``; ``run_on_commit`` runs what the request queued on commit (jobs).
    Returns (status, parsed JSON, text)."""
    import json
    from contextlib import nullcontext

    from django.test import Client, TestCase

    client = Client()
    headers = {"Authorization": f"Bearer {issue_token(user)}"}
    url = f"{prefix}{path}"
    queued = TestCase.captureOnCommitCallbacks(execute=True) if run_on_commit else nullcontext()
    with queued:
        if method == "get":
            response = client.get(url, params, headers=headers)
        elif files is not None:
            response = client.post(url, {**(body or {}), **files}, headers=headers)
        else:
            response = client.post(url, json.dumps(body), content_type="application/json",
                                   headers=headers)
    text = response.content.decode()
    return response.status_code, json.loads(text), text


def error_fields(body: dict[str, Any]) -> list[str]:
    """The fields named by an API error answer."""
    return [e["field"] for e in body["errors"]]
