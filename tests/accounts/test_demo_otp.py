import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetynet.accounts.roles import Role
from tests.conftest import COUNTY, make_user


def test_otp_code_prints_a_code_that_verifies_in_demo_mode(county, settings, capsys) -> None:
    settings.DEMO_MODE = True
    make_user("approver", Role.APPROVER, county[COUNTY])
    call_command("otp_code", "approver")
    code = capsys.readouterr().out.strip()
    assert TOTPDevice.objects.get(user__username="approver").verify_token(code)


def test_otp_code_is_refused_outside_demo_mode(county, settings) -> None:
    settings.DEMO_MODE = False
    make_user("approver", Role.APPROVER, county[COUNTY])
    with pytest.raises(CommandError):
        call_command("otp_code", "approver")
