"""Registering partner systems: each action's effect, its audit record and its refusals."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.dci import envelope, services
from safetynet.dci.envelope import DciError
from safetynet.dci.models import Delivery, DeliveryStatus, PartnerToken, hash_token
from tests.conftest import TOWN_A, make_user

DATA = {"name": "残联", "department": "disabled_federation", "purpose": "残疾人补贴核对"}


def test_register_partner_sets_scope_and_is_audited(sysadmin, county) -> None:
    partner = services.register_partner(Actor.of(sysadmin), "canlian.donghai", DATA,
                                        ["identity", "disability"], [TOWN_A])
    assert partner.field_groups == ["disability", "identity"]
    assert list(partner.areas.values_list("code", flat=True)) == [TOWN_A]
    assert AuditEvent.objects.filter(action="dci_partner_register").exists()


def test_register_partner_refuses_others_and_bad_scope(sysadmin, clerk, county) -> None:
    with pytest.raises(PermissionDenied):
        services.register_partner(Actor.of(clerk), "x.y", DATA, ["identity"], [TOWN_A])
    with pytest.raises(ValidationError) as unknown:
        services.register_partner(Actor.of(sysadmin), "x.y", DATA, ["everything"], [TOWN_A])
    assert "everything" in str(unknown.value)
    with pytest.raises(ValidationError):
        services.register_partner(Actor.of(sysadmin), "x.y", DATA, ["identity"], ["999999"])
    with pytest.raises(ValidationError):
        services.register_partner(Actor.of(sysadmin), "Bad Code!", DATA, ["identity"], [TOWN_A])
    with pytest.raises(ValidationError):
        services.register_partner(Actor.of(sysadmin), "x.y", DATA | {"public_key": "nope"},
                                  ["identity"], [TOWN_A])


def test_update_partner_changes_scope(sysadmin, partner, county) -> None:
    services.update_partner(Actor.of(sysadmin), partner, {"purpose": "新用途"}, ["identity"],
                            ["320722"])
    partner.refresh_from_db()
    assert partner.purpose == "新用途" and partner.field_groups == ["identity"]
    auditor = make_user("audit_t", Role.AUDITADMIN)
    with pytest.raises(PermissionDenied):
        services.update_partner(Actor.of(auditor), partner, {}, ["identity"], ["320722"])


def test_update_partner_requires_a_key_for_signed_messages(sysadmin, partner) -> None:
    with pytest.raises(ValidationError):
        services.update_partner(Actor.of(sysadmin), partner, {"require_signature": True},
                                ["identity"], [TOWN_A])
    key = Ed25519PrivateKey.generate().public_key().public_bytes(
        Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    services.update_partner(Actor.of(sysadmin), partner,
                            {"require_signature": True, "public_key": key}, ["identity"], [TOWN_A])
    assert partner.require_signature


def test_issue_token_stores_only_its_hash_and_revoke_ends_it(sysadmin, partner) -> None:
    token, raw = services.issue_token(Actor.of(sysadmin), partner)
    assert raw.startswith("dci_") and token.token_hash == hash_token(raw)
    assert raw not in str(list(PartnerToken.objects.values()))
    assert envelope.authenticate(raw) == partner
    services.revoke_token(Actor.of(sysadmin), token)
    with pytest.raises(DciError):
        envelope.authenticate(raw)
    with pytest.raises(ValidationError):
        services.revoke_token(Actor.of(sysadmin), token)


def test_issue_token_refused_for_others_and_suspended_partners(sysadmin, clerk,
                                                               partner) -> None:
    with pytest.raises(PermissionDenied):
        services.issue_token(Actor.of(clerk), partner)
    services.set_partner_active(Actor.of(sysadmin), partner, False)
    with pytest.raises(ValidationError):
        services.issue_token(Actor.of(sysadmin), partner)


def test_set_partner_active_shuts_every_token(sysadmin, partner, token, clerk) -> None:
    services.set_partner_active(Actor.of(sysadmin), partner, False)
    with pytest.raises(DciError):
        envelope.authenticate(token)
    with pytest.raises(PermissionDenied):
        services.set_partner_active(Actor.of(clerk), partner, True)


def test_retry_dead_letter_requeues_only_dead_callbacks(sysadmin, partner, clerk) -> None:
    dead = Delivery.objects.create(partner=partner, action="notify", url="https://x.example",
                                   payload={}, order_key="person:1", attempts=6,
                                   status=DeliveryStatus.DEAD, next_attempt_at=timezone.now())
    services.retry_dead_letter(Actor.of(sysadmin), dead)
    dead.refresh_from_db()
    assert dead.status == DeliveryStatus.PENDING and dead.attempts == 0
    with pytest.raises(ValidationError):
        services.retry_dead_letter(Actor.of(sysadmin), dead)
    with pytest.raises(PermissionDenied):
        services.retry_dead_letter(Actor.of(clerk), dead)
