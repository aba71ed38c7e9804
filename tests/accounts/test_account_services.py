"""The system administrator's account actions: areas, password resets, deactivation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.accounts import services
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from tests.conftest import COUNTY, TOWN_A, TOWN_B, make_user


@pytest.fixture
def sysadmin(county):
    return make_user("sys_a", Role.SYSADMIN)


def test_set_areas_replaces_the_areas_and_is_audited(sysadmin, clerk) -> None:
    services.set_areas(Actor.of(sysadmin), clerk, [TOWN_B, COUNTY])
    assert sorted(clerk.areas.values_list("code", flat=True)) == [COUNTY, TOWN_B]
    event = AuditEvent.objects.filter(action="permission_change").latest("pk")
    assert event.user_id == sysadmin.pk and TOWN_B in str(event.detail)


def test_set_areas_refuses_an_unknown_code_and_changes_nothing(sysadmin, clerk) -> None:
    with pytest.raises(ValidationError) as refused:
        services.set_areas(Actor.of(sysadmin), clerk, [TOWN_B, "999999"])
    assert "areas" in refused.value.message_dict
    assert list(clerk.areas.values_list("code", flat=True)) == [TOWN_A]


def test_only_the_system_administrator_sets_areas(clerk, clerk_b) -> None:
    with pytest.raises(PermissionDenied):
        services.set_areas(Actor.of(clerk), clerk_b, [TOWN_A])
    assert list(clerk_b.areas.values_list("code", flat=True)) == [TOWN_B]


def test_reset_password_sets_a_temporary_one_to_change(sysadmin, clerk) -> None:
    services.reset_password(Actor.of(sysadmin), clerk, "Temp-pass-2026x")
    clerk.refresh_from_db()
    assert clerk.check_password("Temp-pass-2026x") and clerk.must_change_password
    assert AuditEvent.objects.filter(action="password_reset", user_id=sysadmin.pk).exists()


def test_reset_password_refuses_a_weak_one_and_another_role(sysadmin, clerk, approver) -> None:
    with pytest.raises(ValidationError):
        services.reset_password(Actor.of(sysadmin), clerk, "123")
    with pytest.raises(PermissionDenied):
        services.reset_password(Actor.of(approver), clerk, "Temp-pass-2026x")
    clerk.refresh_from_db()
    assert clerk.check_password("Test-pass-2022") and not clerk.must_change_password


def test_deactivate_ends_the_account_and_only_by_the_administrator(sysadmin, clerk,
                                                                   approver) -> None:
    with pytest.raises(PermissionDenied):
        services.deactivate(Actor.of(approver), clerk)
    clerk.refresh_from_db()
    assert clerk.is_active
    services.deactivate(Actor.of(sysadmin), clerk)
    clerk.refresh_from_db()
    assert not clerk.is_active and not clerk.can_read_registry
    assert AuditEvent.objects.filter(action="user_deactivate", user_id=sysadmin.pk).exists()
