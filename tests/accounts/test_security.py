"""Each login and session control of the level-3 checklist, proven."""

import os
import subprocess
import sys
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetynet.accounts import services
from safetynet.accounts.passwords import ComplexityValidator
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from tests.conftest import COUNTY, TOWN_A, make_user

PASSWORD = "Test-pass-2022"


def login(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.parametrize("password", ["Ab1!", "alllowercase1", "NoDigitsHere", "12345678a"])
def test_weak_passwords_are_refused(password) -> None:
    with pytest.raises(ValidationError):
        ComplexityValidator().validate(password)


def test_password_equal_to_username_is_refused() -> None:
    class U:
        username = "Zhang-San1"
    with pytest.raises(ValidationError):
        ComplexityValidator().validate("zhang-san1", U())
    ComplexityValidator().validate("Good-pass-1", U())


def test_lockout_after_five_failures_for_ten_minutes(client, clerk) -> None:
    for _ in range(5):
        login(client, "clerk_a", "wrong-Pass-1")
    response = login(client, "clerk_a")  # right password, but locked
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="lockout", username="clerk_a").exists()


def test_new_account_must_change_its_password_first(client, county) -> None:
    user = make_user("newbie", Role.CLERK, county[TOWN_A])
    user.must_change_password = True
    user.save()
    login(client, "newbie")
    assert client.get(reverse("home"))["Location"] == reverse("accounts:password_change")
    client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "Fresh-pass-77",
        "new_password2": "Fresh-pass-77"})
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", [Role.APPROVER, Role.FINANCE, Role.SYSADMIN, Role.SECADMIN,
                                  Role.AUDITADMIN])
def test_totp_is_required_for_approvers_finance_and_administrators(client, county, role) -> None:
    make_user("strong", role, county[COUNTY])
    login(client, "strong")
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:otp"))
    client.get(reverse("accounts:otp"))  # first visit sets up the device
    device = TOTPDevice.objects.get(user__username="strong")
    assert client.post(reverse("accounts:otp"), {"token": "000000"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the next try for a second
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("accounts:otp"), {"token": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_clerks_need_no_second_factor(client, clerk) -> None:
    login(client, "clerk_a")
    assert client.get(reverse("home")).status_code == 200


def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_idle_session_ends_after_30_minutes(client, clerk) -> None:
    login(client, "clerk_a")
    client.get(reverse("home"))
    _age_session(client, last_seen=29 * 60)
    assert client.get(reverse("home")).status_code == 200
    _age_session(client, last_seen=31 * 60)
    assert client.get(reverse("home"))["Location"] == reverse("login")
    assert AuditEvent.objects.filter(action="session_expired").exists()


def test_pages_within_a_minute_do_not_rewrite_the_session(client, clerk) -> None:
    """last_seen is written back once a minute, not on every page (one UPDATE less)."""
    login(client, "clerk_a")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]
                and q["sql"].lstrip().upper().startswith("UPDATE")]
    _age_session(client, last_seen=61)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert [q for q in queries.captured_queries if "django_session" in q["sql"]
            and q["sql"].lstrip().upper().startswith("UPDATE")]
    assert time.time() - client.session["last_seen"] < 5


def test_administrators_idle_limit_is_15_minutes(county) -> None:
    assert make_user("adm", Role.SYSADMIN, county[COUNTY]).idle_minutes == 15


def test_session_ends_after_12_hours_even_when_active(client, clerk) -> None:
    login(client, "clerk_a")
    client.get(reverse("home"))
    _age_session(client, started_at=12 * 3600 + 60, last_seen=60)
    assert client.get(reverse("home"))["Location"] == reverse("login")


def test_an_account_holds_one_administrator_role_at_most(county) -> None:
    secadmin = make_user("sec", Role.SECADMIN, county[COUNTY])
    user = make_user("someone", Role.SYSADMIN, county[COUNTY])
    services.assign_role(Actor.of(secadmin), user, Role.AUDITADMIN)
    user.refresh_from_db()
    assert user.role == Role.AUDITADMIN  # the sysadmin role is gone, not added to
    with pytest.raises(PermissionDenied):
        services.assign_role(Actor.of(secadmin), secadmin, Role.SYSADMIN)
    with pytest.raises(PermissionDenied):
        # only the security admin assigns
        services.assign_role(Actor.of(user), secadmin, Role.CLERK)


def test_role_change_is_audited(county) -> None:
    secadmin = make_user("sec", Role.SECADMIN, county[COUNTY])
    user = make_user("someone", Role.CLERK, county[TOWN_A])
    services.assign_role(Actor.of(secadmin), user, Role.OFFICER)
    event = AuditEvent.objects.get(action="permission_change")
    assert event.detail == {"old_role": "clerk", "new_role": "officer"}


@pytest.mark.parametrize("role", [Role.SYSADMIN, Role.SECADMIN, Role.AUDITADMIN, Role.LEADER])
def test_administrators_see_no_personal_data(client, county, role) -> None:
    from tests.conftest import login_verified

    login_verified(client, make_user("adm", role, county[COUNTY]))
    assert client.get(reverse("registry:search"), {"q": "张"}).status_code == 403


def test_deploy_check_is_clean_with_production_settings(tmp_path) -> None:
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**base, "SAFETYNET_DATA_KEYS": "k1:" + "A" * 43 + "=", "SAFETYNET_INDEX_KEY": "B" * 44,
           "SAFETYNET_ENV": "production", "SAFETYNET_ALLOWED_HOSTS": "sn.example.gov",
           "SAFETYNET_SECRET_KEY": "k3" + "Zq9-xW_r7" * 7, "SAFETYNET_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "safetynet.manage", "check", "--deploy",
                             "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_weak_secret_key(tmp_path) -> None:
    env = {**os.environ, "SAFETYNET_ENV": "production", "SAFETYNET_SECRET_KEY": "changeme",
           "SAFETYNET_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "safetynet.manage", "check"], env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "SAFETYNET_SECRET_KEY" in result.stderr
