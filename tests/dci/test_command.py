"""`safetynet dci`: the demo partner's token (demo mode only), tokens, the delivery sweep."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from safetynet.accounts.roles import Role
from safetynet.dci import envelope
from safetynet.dci.models import Partner
from tests.conftest import make_user


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dci", *args, stdout=out)
    return out.getvalue().strip()


def test_demo_partner_only_in_demo_mode(county) -> None:
    make_user("sysadmin", Role.SYSADMIN)
    with pytest.raises(CommandError):
        run("demo-partner")
    with override_settings(DEMO_MODE=True):
        token = run("demo-partner")
        second = run("demo-partner")
    partner = envelope.authenticate(token)
    assert partner.code == "demo.partner" and envelope.authenticate(second) == partner
    assert list(partner.areas.values_list("code", flat=True)) == ["320722"]
    assert "id_number_full" not in partner.field_groups
    assert Partner.objects.count() == 1


def test_token_issue_revoke_list_and_deliver(partner, sysadmin) -> None:
    token = run("token", "issue", partner.code, "--as", sysadmin.username)
    assert envelope.authenticate(token) == partner
    assert "yibao.donghai" in run("partners")
    run("token", "revoke", token[:12], "--as", sysadmin.username)
    with pytest.raises(envelope.DciError):
        envelope.authenticate(token)
    with pytest.raises(CommandError):
        run("token", "issue", "nobody", "--as", sysadmin.username)
    assert run("deliver").startswith("delivered 0")
