"""Searches cost a fixed number of queries, whatever the size of the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safetynet.core.actor import Actor
from safetynet.registry import services as registry
from tests.conftest import VILLAGE_A, make_household
from tests.dci.conftest import body, post, search_message

SYNC = "/registry/sync/search"


def _queries(token: str, entity: str) -> int:
    message = search_message("expression", {"area_code": {"$eq": "320722100"}},
                             response_entity=entity, pagination={"page_size": 100})
    built = body("search", message, SYNC)
    with CaptureQueriesContext(connection) as captured:
        response = post(Client(), SYNC, built, token)
    assert response.status_code == 200
    return len(captured)


def _grow(clerk: object, people: dict[str, object], n: int) -> None:
    for i in range(n):
        household = make_household(clerk, VILLAGE_A, name=f"陈{i}")
        registry.add_person(Actor.of(clerk), household, {"name": f"陈{i}妻", "relation": "spouse",
                                                         "id_number": None, "sex": "F",
                                                         "birth_date": date(1970, 1, 1 + i)})


@pytest.mark.parametrize("entity", ["Member", "Group"])
def test_a_search_page_costs_the_same_queries_for_3_or_9_households(token, people, clerk,
                                                                    entity) -> None:
    _grow(clerk, people, 2)
    small = _queries(token, entity)
    _grow(clerk, people, 6)
    assert _queries(token, entity) == small
