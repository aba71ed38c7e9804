"""A partner never receives a full ID number it was not granted, nor a child's record."""

from __future__ import annotations

import json
import re
from typing import Any

from django.test import Client
from django.utils import timezone

from safetynet.core.actor import Actor
from safetynet.core.masking import FULL_ID_NUMBER
from safetynet.dci import services
from safetynet.dci.models import Delivery
from safetynet.registry import services as registry
from tests.dci.conftest import body, post, search_message

SYNC = "/registry/sync/search"


def _every_search(token: str, people: dict[str, Any]) -> list[str]:
    """The text of answers to every kind of query that can find the household."""
    queries = [
        ("idtype-value", {"type": "UIN", "value": people["adult_id"]}, {}),
        ("idtype-value", {"type": "household_number", "value": people["home"].number},
         {"response_entity": "Group"}),
        ("expression", {"area_code": {"$eq": "320722"}}, {}),
        ("predicate", [{"expression1": {"attribute_name": "UIN", "operator": "in",
                                        "attribute_value": people["adult_id"]}}],
         {"response_entity": "Group"}),
    ]
    texts = []
    for query_type, query, extra in queries:
        response = post(Client(), SYNC, body("search", search_message(query_type, query,
                                                                      **extra), SYNC), token)
        assert response.status_code == 200
        texts.append(response.content.decode())
    return texts


def test_no_full_id_number_in_any_answer_or_notification(token, people, sent, clerk) -> None:
    subscribe = {"transaction_id": "s", "subscribe_request": [{
        "reference_id": "r", "timestamp": timezone.now().isoformat(),
        "subscribe_criteria": {"reg_event_type": "death", "filter_type": "idtype-value",
                               "filter": {"type": "UIN", "value": people["adult_id"]},
                               "notify_record_type": "Member"}}]}
    post(Client(), "/registry/subscribe", body("subscribe", subscribe, "/registry/subscribe"),
         token)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.mark_deceased(Actor.of(clerk), people["adult"], timezone.localdate())
    texts = _every_search(token, people) + [json.dumps(p, ensure_ascii=False)
                                            for _, p in sent]
    texts += [json.dumps(d.payload, ensure_ascii=False) for d in Delivery.objects.all()]
    assert [p["header"]["action"] for _, p in sent].count("notify") == 1
    for text in texts:
        assert FULL_ID_NUMBER.findall(text) == [], text[:300]
        assert people["child_id"] not in text and "王小花" not in text


def test_a_partner_granted_full_numbers_receives_them(sysadmin, partner, token, people) -> None:
    services.update_partner(Actor.of(sysadmin), partner, {},
                            [*partner.field_groups, "id_number_full"], ["320722100"])
    texts = _every_search(token, people)
    assert people["adult_id"] in texts[0]
    assert all(people["child_id"] not in t for t in texts)


def test_a_partner_without_the_id_field_gets_no_number_at_all(sysadmin, partner, token,
                                                              people) -> None:
    services.update_partner(Actor.of(sysadmin), partner, {}, ["identity"], ["320722100"])
    query = {"area_code": {"$eq": "320722100"}}
    response = post(Client(), SYNC, body("search", search_message("expression", query), SYNC),
                    token)
    text = response.content.decode()
    assert "王" in text and not re.search(r"3207\d\d\*{8}", text)
    assert "member_identifier" not in text
