"""Every DCI operation, its request and its answer validated against the spec document;
callbacks validated against the partner-side endpoint that receives them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.test import Client
from django.utils import timezone

from safetynet.core.actor import Actor
from safetynet.registry import services as registry
from tests.dci.conftest import body, post, search_message
from tests.dci.spec_check import assert_request, assert_response

SYNC, ASYNC = "/registry/sync/search", "/registry/search"


def _sync_search(token: str, message: dict[str, Any]) -> dict[str, Any]:
    response = post(Client(), SYNC, body("search", message, SYNC), token)
    assert response.status_code == 200, response.content
    assert_response(SYNC, 200, response.json())
    return response.json()


def test_sync_search_by_id_number_finds_the_person_masked(token, people) -> None:
    answer = _sync_search(token, search_message(
        "idtype-value", {"type": "UIN", "value": people["adult_id"]}))
    item = answer["message"]["search_response"][0]
    assert item["status"] == "succ" and item["pagination"]["total_count"] == 1
    record = item["data"]["reg_records"][0]
    shown = record["member_identifier"][0]["identifier_value"]
    assert shown != people["adult_id"] and shown[:6] == people["adult_id"][:6]
    assert record["demographic_info"]["name"] == {"@type": "Name", "surname": "王",
                                                  "given_name": "建国"}
    assert answer["header"]["action"] == "on-search" and answer["header"]["status"] == "succ"


def test_sync_search_by_expression_and_predicate_with_pagination(token, people, clerk) -> None:
    for i in range(3):
        registry.add_person(Actor.of(clerk), people["home"], {"name": f"王{i}", "relation": "child",
                                                              "id_number": None,
                                                              "birth_date": date(1980, 1, i + 1),
                                                              "sex": "F"})
    expression = {"type": "expression", "value": {"expression": {
        "collection": "Member", "query": {"$and": [{"YOB": {"$lt": 1990}},
                                                   {"area_code": {"$eq": "320722100"}}]}}}}
    answer = _sync_search(token, search_message(
        "expression", expression, pagination={"page_size": 2, "page_number": 2},
        sort=[{"attribute_name": "birth_date", "sort_order": "asc"}]))
    item = answer["message"]["search_response"][0]
    assert item["pagination"] == {"page_size": 2, "page_number": 2, "total_count": 4}
    assert len(item["data"]["reg_records"]) == 2
    predicate = [{"seq_num": 1, "expression1": {"attribute_name": "disability_grade",
                                                "operator": "le", "attribute_value": "2"},
                  "condition": "and",
                  "expression2": {"attribute_name": "YOB", "operator": "eq",
                                  "attribute_value": "1950"}}]
    answer = _sync_search(token, search_message("predicate", predicate))
    records = answer["message"]["search_response"][0]["data"]["reg_records"]
    assert [r["demographic_info"]["birth_date"] for r in records] == ["1950-05-01"]


def test_group_search_counts_children_but_does_not_list_them(token, people) -> None:
    answer = _sync_search(token, search_message(
        "idtype-value", {"type": "household_number", "value": people["home"].number},
        response_entity="Group"))
    group = answer["message"]["search_response"][0]["data"]["reg_records"][0]
    assert group["group_size"] == 2 and len(group["member_list"]) == 1
    assert group["additional_attributes"] == [{"members_under_14_not_listed": 1}]


def test_async_search_acknowledges_then_calls_back_on_search(token, people, sent) -> None:
    message = search_message("idtype-value", {"type": "UIN", "value": people["adult_id"]})
    response = post(Client(), ASYNC, body("search", message, ASYNC), token)
    assert response.status_code == 202
    assert_response(ASYNC, 202, response.json())
    assert response.json()["message"]["ack_status"] == "ACK"
    url, payload = sent[-1]
    assert url == "https://yibao.example.org/dci/registry/on-search"
    assert_request("/registry/on-search", payload)
    found = payload["message"]["search_response"][0]
    assert found["pagination"]["total_count"] == 1
    assert payload["message"]["correlation_id"] == response.json()["message"]["correlation_id"]


def test_subscribe_then_unsubscribe_with_callbacks(token, people, sent) -> None:
    message = {"transaction_id": "sub-1", "subscribe_request": [{
        "reference_id": "r1", "timestamp": timezone.now().isoformat(),
        "subscribe_criteria": {"reg_event_type": "sn:RegistryEventType:Death",
                               "filter_type": "expression",
                               "filter": {"area_code": {"$eq": "320722100"}},
                               "notify_record_type": "Member"}}]}
    response = post(Client(), "/registry/subscribe",
                    body("subscribe", message, "/registry/subscribe"), token)
    assert response.status_code == 202
    assert_response("/registry/subscribe", 202, response.json())
    url, payload = sent[-1]
    assert url.endswith("/registry/on-subscribe")
    assert_request("/registry/on-subscribe", payload)
    code = payload["message"]["subscribe_response"][0]["subscriptions"][0]["code"]
    message = {"transaction_id": "unsub-1", "timestamp": timezone.now().isoformat(),
               "subscription_codes": [code]}
    response = post(Client(), "/registry/unsubscribe",
                    body("unsubscribe", message, "/registry/unsubscribe"), token)
    assert_response("/registry/unsubscribe", response.status_code, response.json())
    url, payload = sent[-1]
    assert_request("/registry/on-unsubscribe", payload)
    assert payload["message"]["subscription_status"] == [{"code": code,
                                                          "status": "unsubscribe"}]


def _status_message(transaction_id: str) -> dict[str, Any]:
    return {"transaction_id": "status-1", "txnstatus_request": {
        "reference_id": "s1", "txn_type": "search", "attribute_type": "transaction_id",
        "attribute_value": transaction_id}}


def test_txn_status_sync_and_async_return_the_stored_answer(token, people, sent) -> None:
    message = search_message("idtype-value", {"type": "UIN", "value": people["adult_id"]})
    _sync_search(token, message)
    path = "/registry/sync/txn/status"
    response = post(Client(), path, body("txn-status", _status_message(
        message["transaction_id"]), path), token)
    assert response.status_code == 200
    assert_response(path, 200, response.json())
    status = response.json()["message"]["txnstatus_response"]["txn_status"]
    assert status["transaction_id"] == message["transaction_id"]
    assert status["search_response"][0]["pagination"]["total_count"] == 1
    path = "/registry/txn/status"
    response = post(Client(), path, body("txn-status", _status_message(
        message["transaction_id"]), path), token)
    assert response.status_code == 202
    assert_response(path, 202, response.json())
    url, payload = sent[-1]
    assert url.endswith("/registry/txn/on-status")
    assert_request("/registry/txn/on-status", payload)


def test_the_spec_is_served_with_its_licence_notice(client) -> None:
    text = client.get("/dci/openapi.yaml").content.decode()
    assert text.startswith("# DCI Social Registry API") and "Apache License" in text
    assert "/registry/sync/search:" in text
    assert "Apache License" in client.get("/dci/LICENSE-dci-spec.txt").content.decode()
