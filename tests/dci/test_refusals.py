"""Messages the registry refuses, each in the spec's error shape with a clear reason."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client

from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.dci import envelope, services
from tests.dci.conftest import body, header, post, search_message
from tests.dci.spec_check import assert_response

SYNC, ASYNC = "/registry/sync/search", "/registry/search"


def _by_id(value: str) -> dict[str, Any]:
    return search_message("idtype-value", {"type": "UIN", "value": value})


def test_no_token_is_401_in_the_http_error_shape(people) -> None:
    response = post(Client(), SYNC, {"header": header("search"), "message": _by_id("1")}, None)
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert_response(SYNC, 401, response.json())
    assert response.json()["errors"][0]["code"] == "err.request.unauthorized"


def test_a_revoked_token_is_refused(sysadmin, partner, token, people) -> None:
    services.revoke_token(Actor.of(sysadmin), partner.tokens.get())
    response = post(Client(), SYNC, body("search", _by_id(people["adult_id"]), SYNC), token)
    assert response.status_code == 401


def test_bad_envelope_is_err_naming_the_field(token) -> None:
    response = post(Client(), ASYNC, {"message": {}}, token)
    assert response.status_code == 400
    assert_response(ASYNC, 400, response.json())
    error = response.json()["message"]["error"]
    assert response.json()["message"]["ack_status"] == "ERR"
    assert error["code"] == "err.request.bad" and "header is required" in error["message"]
    response = Client().post("/dci/registry/search", "{not json", content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 400 and "not JSON" in response.json()["message"]["error"][
        "message"]


def test_unknown_query_type_is_refused_on_the_sync_endpoint(token) -> None:
    message = search_message("sql", "select * from person")
    response = post(Client(), SYNC, {"header": header("search"), "message": message}, token)
    assert response.status_code == 400
    assert_response(SYNC, 400, response.json())
    reason = response.json()["header"]["status_reason_message"]
    assert response.json()["header"]["status"] == "rjct"
    assert "query_type" in reason and "idtype-value" in reason


def test_wrong_signature_is_401(partner, token, people) -> None:
    key = Ed25519PrivateKey.generate()
    partner.public_key = key.public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    partner.require_signature = True
    partner.save()
    signed = body("search", _by_id(people["adult_id"]), SYNC)
    signed["signature"] = envelope.sign(key, signed["header"], signed["message"],
                                        partner.code)
    assert post(Client(), SYNC, signed, token).status_code == 200
    tampered = json.loads(json.dumps(signed))
    tampered["header"]["message_id"] += "-again"
    response = post(Client(), SYNC, tampered, token)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "err.signature.invalid"
    unsigned = body("search", _by_id(people["adult_id"]), SYNC)
    assert post(Client(), SYNC, unsigned, token).json()["errors"][0]["code"] == \
        "err.signature.missing"


def test_another_sender_id_is_403(token) -> None:
    message = body("search", _by_id("1"), SYNC, sender="other.dept")
    response = post(Client(), SYNC, message, token)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "err.sender_id.invalid"


def test_a_repeated_message_id_is_refused(token, people) -> None:
    first = body("search", _by_id(people["adult_id"]), SYNC)
    assert post(Client(), SYNC, first, token).status_code == 200
    response = post(Client(), SYNC, first, token)
    assert response.status_code == 400
    assert response.json()["header"]["status_reason_code"] == "rjct.message_id.duplicate"


def test_out_of_scope_area_is_rejected_and_outside_people_are_not_found(token, people) -> None:
    query = {"type": "expression", "value": {"expression": {"query": {
        "area_code": {"$eq": "320722101"}}}}}
    response = post(Client(), SYNC, body("search", search_message("expression", query), SYNC),
                    token)
    item = response.json()["message"]["search_response"][0]
    assert item["status"] == "rjct" and item["status_reason_code"] == \
        "rjct.search_criteria.invalid"
    assert "outside the areas" in item["status_reason_message"]
    response = post(Client(), SYNC, body("search", _by_id(people["other_id"]), SYNC), token)
    assert response.json()["message"]["search_response"][0]["pagination"]["total_count"] == 0


def test_an_attribute_outside_the_granted_fields_is_rejected(sysadmin, partner, token) -> None:
    services.update_partner(Actor.of(sysadmin), partner, {}, ["identity"], ["320722100"])
    predicate = [{"expression1": {"attribute_name": "disability_grade", "operator": "le",
                                  "attribute_value": "2"}}]
    response = post(Client(), SYNC, body("search", search_message("predicate", predicate),
                                         SYNC), token)
    item = response.json()["message"]["search_response"][0]
    assert item["status"] == "rjct" and "outside the fields" in item["status_reason_message"]


def test_async_without_a_registered_callback_is_refused(sysadmin, partner, token) -> None:
    services.update_partner(Actor.of(sysadmin), partner, {"callback_url": ""}, partner.field_groups,
                            ["320722100"])
    response = post(Client(), ASYNC, body("search", _by_id("1"), ASYNC), token)
    assert response.status_code == 400
    assert response.json()["message"]["error"]["code"] == "err.sender_uri.invalid"
    elsewhere = body("search", _by_id("1"), ASYNC, sender_uri="https://evil.example/x")
    services.update_partner(Actor.of(sysadmin), partner, {"callback_url": "https://yibao.example.org"},
                            partner.field_groups, ["320722100"])
    assert post(Client(), ASYNC, elsewhere, token).json()["message"]["error"]["code"] == \
        "err.sender_uri.invalid"


def test_each_query_is_audited_with_partner_purpose_and_count(token, people) -> None:
    message = _by_id(people["adult_id"])
    message["search_request"][0]["search_criteria"]["consent"] = {
        "purpose": {"text": "核对医疗救助对象"}}
    post(Client(), SYNC, body("search", message, SYNC), token)
    event = AuditEvent.objects.filter(action="dci_search").latest("id")
    assert event.username == "dci:yibao.donghai" and event.user_id is None
    assert event.ip == "127.0.0.1"  # the partner's address, though no user acts
    assert event.detail["purpose"] == "核对医疗救助对象" and event.detail["count"] == 1
    assert people["adult_id"] not in json.dumps(event.detail)
    refused = post(Client(), SYNC, {"header": header("search"), "message": {}}, token)
    assert refused.status_code == 400
    assert AuditEvent.objects.filter(action="dci_refused", result="refused").exists()
