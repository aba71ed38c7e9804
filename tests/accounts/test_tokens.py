"""`safetynet token create/list/revoke`: tokens shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from safetynet.accounts.models import ApiToken

HOUSEHOLDS = "/api/v1/registry/households"


def token(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue().strip()


def get(raw: str) -> int:
    return Client().get(HOUSEHOLDS, headers={"Authorization": f"Bearer {raw}"}).status_code


def test_create_prints_a_token_and_stores_only_its_hash(clerk) -> None:
    raw = token("create", clerk.username, "--name", "payroll bank")
    stored = ApiToken.objects.get(user=clerk)
    assert raw.startswith("sn_") and len(raw) > 40
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert stored.prefix == raw[:8] and stored.name == "payroll bank"
    assert raw not in {str(value) for value in vars(stored).values()}


def test_a_created_token_authenticates_as_its_user(clerk) -> None:
    raw = token("create", clerk.username)
    assert get(raw) == 200
    assert ApiToken.objects.get(user=clerk).last_used_at is not None


def test_revoke_by_prefix_stops_the_token(clerk) -> None:
    raw = token("create", clerk.username)
    kept = token("create", clerk.username)
    assert token("revoke", raw[:8]) == "revoked 1 token(s)"
    assert (get(raw), get(kept)) == (401, 200)
    listing = token("list", clerk.username)
    assert f"{raw[:8]}…" in listing and "revoked" in listing and "active" in listing


def test_revoking_an_unknown_or_revoked_prefix_fails_loudly(clerk) -> None:
    raw = token("create", clerk.username)
    token("revoke", raw[:8])
    with pytest.raises(CommandError, match="no active token"):
        token("revoke", raw[:8])


def test_create_for_an_unknown_user_fails(db) -> None:
    with pytest.raises(CommandError, match="no user named nobody"):
        token("create", "nobody")
