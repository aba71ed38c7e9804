"""Fixtures of the single-window tests: staff of each role and a poor household."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from safetynet.intake.models import Application
from safetynet.intake.services import applications, common
from safetynet.registry.models import Household
from tests.conftest import COUNTY, TOWN_A, make_household, make_user, new_id


@pytest.fixture
def officer2(county: dict[str, Area]) -> User:
    return make_user("officer_a2", Role.OFFICER, county[TOWN_A])



@pytest.fixture
def partner(county: dict[str, Area]) -> User:
    user = make_user("yibao", Role.PARTNER, county[COUNTY])
    user.department = "health_insurance"
    user.save()
    return user


@pytest.fixture
def household(clerk: User) -> Household:
    """A rural household of two adults without income: dibao-eligible."""
    return make_household(clerk, members=1, id_number=new_id(date(1960, 5, 5)))


def apply(actor: User, household: Household, kind: str = "dibao", **fields: Any) -> Application:
    return applications.create_application(
        Actor.of(actor), kind=kind, household=household,
        applicant=household.members.order_by("pk")[0],
        reason=fields.pop("reason", "无劳动能力，无收入"), **fields)


def walk(app: Application, *steps: tuple[User, str, dict[str, Any]]) -> Application:
    """Take the steps in turn. A notice posted in the past (the fixtures' way to reach the
    end of the notice) is recorded with the reason BACKDATED unless the step gives one."""
    for actor, action, data in steps:
        if action == "post_notice" and "backdate_reason" not in data:
            data = {**data, "backdate_reason": BACKDATED}
        app = applications.take_action(Actor.of(actor), app, action, data)
    return app


VISIT = {"visited_on": date(2022, 1, 1), "investigator_1": "李强", "investigator_2": "王芳",
         "findings": "家中无收入，房屋破旧", "both_signed": True}
CHECK = {"sources": ["hukou", "tax", "social_insurance"], "check_findings": "未发现财产"}
REVIEW = {"opinion": "符合低保条件，建议批准", "recommendation": "approve"}
# A notice recorded after the day it was posted says why (the fixtures post in the past).
BACKDATED = "公示当日未能录入系统，补录"


# --- API and printed documents (tests/intake/test_api.py, test_documents.py) ---------------


@pytest.fixture
def adult_household(clerk: User) -> Household:
    """Two adults (the head born 1960, a daughter born 2000) in VILLAGE_A, no income."""
    from tests.conftest import new_id

    return make_household(clerk, members=1, id_number=new_id(date(1960, 5, 5)))


def otp_code(user: User) -> str:
    """The current code of the user's confirmed TOTP device (created on first use)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def enrolment() -> Any:
    """Approval enrols through safetynet.benefits.services.enrol; a stand-in is injected
    only while that module (or the function) does not exist yet."""
    import importlib
    import sys
    import types

    try:
        real = importlib.import_module("safetynet.benefits.services")
    except ImportError:
        real = None
    if real is not None and hasattr(real, "enrol"):
        yield real.enrol
        return
    fake = types.ModuleType("safetynet.benefits.services")
    fake.enrol = lambda *args, **kwargs: types.SimpleNamespace(pk=1)  # type: ignore[attr-defined]
    saved = sys.modules.get("safetynet.benefits.services")
    sys.modules["safetynet.benefits.services"] = fake
    yield fake.enrol  # type: ignore[attr-defined]
    if saved is None:
        sys.modules.pop("safetynet.benefits.services", None)
    else:
        sys.modules["safetynet.benefits.services"] = saved


def on_notice(clerk: User, officer: User, household: Household,
              kind: str = "dibao", days_ago: int = 30) -> Application:
    """An application through check, visit and review, on a notice posted days ago."""
    from datetime import timedelta

    app = apply(clerk, household, kind=kind)
    for actor, action, data in [
            (clerk, "accept", {}), (clerk, "check", CHECK), (officer, "visit", VISIT),
            (officer, "review", {**REVIEW, "amount": "620.00"}),
            (clerk, "post_notice", {"notice_start": common.today() - timedelta(days_ago),
                                    "backdate_reason": BACKDATED})]:
        app = applications.take_action(Actor.of(actor), app, action, data)
    return app


def ready_for_county(clerk: User, officer: User, household: Household) -> Application:
    return applications.take_action(Actor.of(clerk), on_notice(clerk, officer, household),
                                    "close_notice", {})
