"""Getting into the API: bearer tokens, the web UI's session (with CSRF), OpenAPI."""

from __future__ import annotations

import json

from django.test import Client
from django.utils.crypto import get_random_string

from safetynet.accounts.models import ApiToken
from safetynet.registry.models import Household
from tests.conftest import make_household
from tests.registry.test_api import URL, Api, Response, checked, errors, new_household_body

UNAUTHORIZED = {"errors": [{"field": "__all__",
                             "message": "需要身份验证：请提供有效的 API 令牌或先登录。"}]}


def post_json(client: Client, path: str, body: object, **headers: str) -> Response:
    return checked(client.post(URL + path, json.dumps(body), content_type="application/json",
                               headers=headers))


def test_without_credentials_every_method_is_401(county) -> None:
    api = Api()
    for response in (api.get("/households"), api.post("/households", new_household_body()),
                     api.patch("/persons/1", {"name": "x"})):
        assert response.status_code == 401
        assert response.json() == UNAUTHORIZED
        assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_and_revoked_tokens_are_401(clerk) -> None:
    unknown = Api(headers={"Authorization": "Bearer sn_not-a-token"})
    assert unknown.get("/households").status_code == 401
    api = Api(clerk)
    assert api.get("/households").status_code == 200
    ApiToken.objects.filter(user=clerk).update(revoked_at="2024-01-01T00:00Z")
    assert api.get("/households").status_code == 401


def test_a_token_of_a_deactivated_user_is_401(clerk) -> None:
    api = Api(clerk)
    clerk.is_active = False
    clerk.save()
    assert api.get("/households").status_code == 401


def test_session_reads_without_csrf_token(clerk) -> None:
    household = make_household(clerk)
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    response = checked(client.get(f"{URL}/households/{household.pk}"))
    assert response.status_code == 200 and response.json()["id"] == household.pk


def test_session_writes_need_the_csrf_token(clerk) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    refused = post_json(client, "/households", new_household_body())
    assert refused.status_code == 403
    assert "CSRF" in errors(refused)["__all__"]
    # What the web UI does: send the csrftoken cookie's value back in a header.
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    created = post_json(client, "/households", new_household_body(), **{"X-CSRFToken": secret})
    assert created.status_code == 201, created.content


def test_session_writes_are_recorded_as_the_logged_in_user(clerk) -> None:
    client = Client()  # the test client skips CSRF; the check itself is tested above
    client.force_login(clerk)
    response = post_json(client, "/households", new_household_body())
    household_id = response.json()["id"]
    assert Household.objects.get(pk=household_id).history.get().history_user == clerk


def test_bearer_token_writes_need_no_csrf_token(clerk) -> None:
    api = Api(clerk, client=Client(enforce_csrf_checks=True))
    assert api.post("/households", new_household_body()).status_code == 201


def test_openapi_lists_every_registry_path(db) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {
        "/api/v1/registry/households",
        "/api/v1/registry/households/{household_id}",
        "/api/v1/registry/households/{household_id}/members",
        "/api/v1/registry/households/{household_id}/split",
        "/api/v1/registry/households/{household_id}/merge",
        "/api/v1/registry/persons",
        "/api/v1/registry/persons/{person_id}",
        "/api/v1/registry/persons/{person_id}/move",
        "/api/v1/registry/persons/{person_id}/deceased",
    }
    assert set(schema["paths"]["/api/v1/registry/households"]) == {"get", "post"}
    assert set(schema["components"]["securitySchemes"]) == {"BearerToken", "SessionAuth"}
    household_in = schema["components"]["schemas"]["HouseholdIn"]
    assert household_in["additionalProperties"] is False
