"""POST /api/v1/rules/evaluate: the JSON of docs/rules.md, authenticated like the rest."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from safetynet.accounts.models import ApiToken
from tests.rules.test_cli_eval import PAYLOAD

URL = "/api/v1/rules/evaluate"


def post(client: Client, body: Any, token: str | None = None, **params: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers=headers,
                       query_params=params)


def test_a_system_with_a_token_gets_amounts_and_explanations(clerk) -> None:
    _token, raw = ApiToken.issue(clerk)
    response = post(Client(), PAYLOAD, raw)
    assert response.status_code == 200
    body = response.json()
    assert body["on"] == "2022-09-01"
    [household] = body["households"]
    assert household["id"] == "H1" and household["per_capita_income"] == 233.33
    assert household["benefits"][0]["monthly_amount"] == 1250
    assert household["benefits"][0]["explanation"].startswith("低保标准 650 元")


def test_english_explanations_and_an_on_override(clerk) -> None:
    client = Client()
    client.force_login(clerk)
    body = post(client, PAYLOAD, lang="en", on="2022-10-01").json()
    assert body["on"] == "2022-10-01"
    assert body["households"][0]["benefits"][0]["explanation"].startswith("dibao standard")


def test_without_credentials_the_answer_is_401(db) -> None:
    response = post(Client(), PAYLOAD)
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] == "__all__"


def test_errors_are_422_and_name_household_member_and_field(clerk) -> None:
    _token, raw = ApiToken.issue(clerk)
    bad = json.loads(json.dumps(PAYLOAD))
    bad["households"][0]["members"][0]["disability_grade"] = 7
    bad["households"][0]["members"][2]["colour"] = "red"
    response = post(Client(), bad, raw)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {(e["household"], e["member"], e["field"]) for e in errors} == {
        ("H1", "P1", "households[H1].members[P1].disability_grade"),
        ("H1", "P3", "households[H1].members[P3].colour")}
    assert all(e["message"] for e in errors)


def test_malformed_json_and_unknown_areas_are_422(clerk) -> None:
    _token, raw = ApiToken.issue(clerk)
    assert post(Client(), "{oops", raw).status_code == 422
    beijing = json.loads(json.dumps(PAYLOAD))
    beijing["households"][0]["area_code"] = "110101"
    response = post(Client(), beijing, raw)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "area_code"


def test_the_endpoint_is_in_the_openapi_schema_with_its_body(db) -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/rules/evaluate"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert "households" in body["properties"]
    assert {"200", "401", "422"} <= set(operation["responses"])
