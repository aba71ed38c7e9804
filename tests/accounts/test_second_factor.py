"""The second factor: one enforcement point (the middleware) for every route of every
interface; API tokens only for accounts whose factor is set up; lockout per account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safetynet.accounts.middleware import OPEN_PREFIXES
from safetynet.accounts.models import ApiToken
from safetynet.api import api
from tests.conftest import login_verified

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
SAMPLE = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x",
          "slug": "x", "str": "x", None: "x"}


def _walk(patterns: list[Any], prefix: str = "") -> list[str]:
    paths: list[str] = []
    for entry in patterns:
        route = str(entry.pattern)
        if route.startswith("^"):  # a regex route (static files, i18n): not a data route
            continue
        if isinstance(entry, URLResolver):
            paths += _walk(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append("/" + PARAM.sub(lambda m: SAMPLE.get(m.group(1), "x"), prefix + route))
    return paths


def all_paths() -> list[str]:
    return sorted({p for p in _walk(get_resolver().url_patterns)
                   if not p.startswith(OPEN_PREFIXES)})


def api_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    operations = []
    for path, item in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        operations += [(method.upper(), concrete) for method in item]
    return operations


@pytest.fixture
def unverified(approver: Any) -> Client:
    """An approver logged in with the password only (the factor is set up, not passed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=approver, name="phone", confirmed=True)
    client = Client()
    client.force_login(approver)
    return client


def test_the_walk_finds_pages_and_api_operations() -> None:
    paths = all_paths()
    assert "/" in paths and any(p.startswith("/registry/") for p in paths)
    assert len(api_operations()) > 30


def test_every_page_refuses_an_unverified_session(unverified: Client) -> None:
    for path in all_paths():
        response = unverified.get(path)
        if path.startswith(("/api/", "/dci/")):  # machine interfaces: JSON, no redirect
            assert response.status_code == 403, path
            assert response.json()["errors"][0]["field"] == "__all__", path
        else:
            assert response.status_code == 302, path
            assert response["Location"].startswith("/account/otp/"), path


def test_every_api_operation_refuses_an_unverified_session(unverified: Client) -> None:
    for method, path in api_operations():
        response = unverified.generic(method, path, data="{}", content_type="application/json",
                                      HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403, (method, path)
        assert response["Content-Type"].startswith("application/json"), (method, path)
        assert "second factor" in response.json()["errors"][0]["message"], (method, path)


def test_the_refusal_is_in_the_callers_language(unverified: Client) -> None:
    response = unverified.get("/api/v1/registry/households")
    assert "一次性验证码" in response.json()["errors"][0]["message"]


def test_json_clients_of_pages_get_json_not_a_redirect(unverified: Client) -> None:
    response = unverified.get("/registry/", HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "__all__"


def test_a_verified_approver_reads_the_api(approver: Any) -> None:
    client = Client()
    login_verified(client, approver)
    assert client.get("/api/v1/registry/households").status_code == 200


def test_no_token_for_an_approver_without_a_factor(approver: Any) -> None:
    with pytest.raises(CommandError, match="第二重验证"):
        call_command("token", "create", approver.username)
    assert not ApiToken.objects.filter(user=approver).exists()


def test_a_token_stops_working_when_the_factor_is_gone(approver: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=approver, name="phone", confirmed=True)
    _token, raw = ApiToken.issue(approver)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert Client().get("/api/v1/registry/households", **auth).status_code == 200
    device.delete()
    response = Client().get("/api/v1/registry/households", HTTP_ACCEPT_LANGUAGE="en", **auth)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("Authentication required")


def test_clerks_get_tokens_without_a_factor(clerk: Any) -> None:
    _token, raw = ApiToken.issue(clerk)
    assert ApiToken.authenticate(raw) == clerk


@pytest.mark.parametrize("typed", ["CLERK_A", " clerk_a ", "Clerk_A"])
def test_lockout_counts_a_username_however_typed(client: Client, clerk: Any, typed: str) -> None:
    for attempt in range(5):
        spelling = typed if attempt % 2 else clerk.username
        client.post("/login/", {"username": spelling, "password": "wrong"})
    response = client.post("/login/", {"username": clerk.username, "password": "Test-pass-2022"})
    assert response.status_code == 429


def test_login_accepts_the_username_in_any_case(client: Client, clerk: Any) -> None:
    response = client.post("/login/", {"username": " CLERK_A ", "password": "Test-pass-2022"})
    assert response.status_code == 302
    assert client.get("/api/v1/registry/households").status_code == 200


def test_api_not_found_is_in_the_callers_language(clerk: Any) -> None:
    client = Client()
    login_verified(client, clerk)
    zh = client.get("/api/v1/registry/households/999999")
    en = client.get("/api/v1/registry/households/999999", HTTP_ACCEPT_LANGUAGE="en")
    assert zh.status_code == en.status_code == 404
    assert en.json()["errors"][0]["message"] == "Not found in your areas."
    assert zh.json()["errors"][0]["message"] != "Not found in your areas."
