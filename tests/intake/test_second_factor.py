"""The single-window API's second-factor check reads the actor: a session that passed
TOTP (``actor.verified``) decides without a code; any other approver must send one."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.intake.api import require_second_factor
from tests.intake.conftest import otp_code


def test_a_verified_session_needs_no_code(approver: User) -> None:
    require_second_factor(Actor.of(approver, verified=True), None)
    assert not AuditEvent.objects.filter(action="intake.otp_failed").exists()


def test_an_unverified_approver_must_send_a_valid_code(approver: User) -> None:
    actor = Actor.of(approver, verified=False, ip="10.4.5.6")
    with pytest.raises(PermissionDenied, match="otp_code"):
        require_second_factor(actor, None)
    good = otp_code(approver)
    require_second_factor(actor, good)
    with pytest.raises(PermissionDenied):
        require_second_factor(actor, f"{(int(good) + 1) % 1000000:06d}")
    failed = AuditEvent.objects.get(action="intake.otp_failed")
    assert failed.user_id == approver.pk and failed.ip == "10.4.5.6"


def test_a_role_without_a_second_factor_is_never_asked(clerk: User) -> None:
    require_second_factor(Actor.of(clerk, verified=False), None)
