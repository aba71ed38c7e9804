"""The demo county comes with applications in progress: every single-window login finds
its next step on the work list."""

from __future__ import annotations

import pytest

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.core.worklist import work_list_for
from safetynet.intake.models import Application, Referral, State
from tests.demo.test_commands import run

pytestmark = pytest.mark.django_db


def test_demo_logins_find_work_waiting() -> None:
    output = run("demo")
    assert Application.objects.filter(state=State.COUNTY).count() == 2
    assert Referral.objects.filter(department="health_insurance").count() == 1
    assert "applications" in output or "申请" in output
    for username in ("clerk", "officer", "approver", "yibao"):
        user = User.objects.get(username=username)
        assert work_list_for(user), username


def test_demo_applications_are_not_seeded_twice() -> None:
    run("demo")
    count = Application.objects.count()
    run("demo", "--if-missing")
    assert Application.objects.count() == count


def test_demo_case_at_the_county_can_be_approved() -> None:
    from safetynet.intake.services import applications

    run("demo")
    app = Application.objects.filter(state=State.COUNTY).first()
    assert app is not None
    approver = User.objects.get(username="approver")
    app = applications.take_action(Actor.of(approver), app, "approve", {"reason": "符合条件"})
    assert app.state == State.APPROVED and app.enrollment_id
