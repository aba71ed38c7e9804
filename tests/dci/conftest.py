"""Fixtures of the DCI tests: a registered partner with a token, people in two townships,
the callbacks the worker sends (captured instead of posted), and message builders."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.dci import delivery, services
from safetynet.dci.models import FieldGroup, Partner
from tests.conftest import TOWN_A, VILLAGE_A, VILLAGE_B, make_household, make_user, new_id
from tests.dci.spec_check import assert_request

_ids = itertools.count(1)
SCOPE = [FieldGroup.IDENTITY, FieldGroup.ID_NUMBER, FieldGroup.HOUSEHOLD,
         FieldGroup.DISABILITY, FieldGroup.ASSISTANCE, FieldGroup.VITAL, FieldGroup.CONTACT]
CALLBACK = "https://yibao.example.org/dci"


@pytest.fixture
def sysadmin(county: Any) -> Any:
    return make_user("sysadmin_t", Role.SYSADMIN)


@pytest.fixture
def partner(sysadmin: Any, county: Any) -> Partner:
    return services.register_partner(
        Actor.of(sysadmin), "yibao.donghai", {"name": "医保局", "department": "health_insurance",
                                    "purpose": "医疗救助资格核对", "callback_url": CALLBACK},
        SCOPE, [TOWN_A])


@pytest.fixture
def token(sysadmin: Any, partner: Partner) -> str:
    return services.issue_token(Actor.of(sysadmin), partner)[1]


@pytest.fixture
def people(clerk: Any, clerk_b: Any) -> dict[str, Any]:
    """An adult with a disability and a child under 14 in town A; an adult in town B."""
    adult_id = new_id(date(1950, 5, 1))
    home = make_household(clerk, VILLAGE_A, name="王建国", id_number=adult_id,
                          disability_category="physical", disability_grade=2)
    child_id = new_id(date(2018, 3, 1), male=False)
    from safetynet.registry import services as registry

    child = registry.add_person(Actor.of(clerk), home, {"name": "王小花", "id_number": child_id,
                                                        "relation": "grandchild"})
    other_id = new_id(date(1960, 1, 1))
    away = make_household(clerk_b, VILLAGE_B, name="李四", id_number=other_id)
    return {"adult_id": adult_id, "adult": home.members.get(relation="head"), "home": home,
            "child_id": child_id, "child": child, "other_id": other_id, "away": away}


@pytest.fixture
def sent(monkeypatch: Any) -> list[tuple[str, dict[str, Any]]]:
    """Callbacks the worker posts, in order (the partner's endpoint always answers 200)."""
    posted: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(delivery, "post", lambda url, payload: posted.append((url, payload)))
    return posted


def header(action: str, sender: str = "yibao.donghai", **extra: Any) -> dict[str, Any]:
    return {"version": "1.0.0", "message_id": f"msg-{next(_ids)}",
            "message_ts": timezone.now().isoformat(), "action": action, "sender_id": sender,
            "total_count": 1, **extra}


def search_message(query_type: str, query: Any, **criteria: Any) -> dict[str, Any]:
    return {"transaction_id": f"txn-{next(_ids)}", "search_request": [{
        "reference_id": f"ref-{next(_ids)}", "timestamp": timezone.now().isoformat(),
        "search_criteria": {"version": "1.0.0", "reg_type": "ns:org:RegistryType:Social",
                            "query_type": query_type, "query": query, **criteria}}]}


def body(action: str, message: dict[str, Any], path: str, **header_extra: Any) -> dict[str, Any]:
    built = {"header": header(action, **header_extra), "message": message}
    assert_request(path, built)
    return built


def post(client: Client, path: str, payload: Any, token: str | None) -> Any:
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(f"/dci{path}", payload, content_type="application/json", **extra)
