"""The Actor services take: built from a request (session or token) or for a user."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from safetynet.accounts.actor import actor_of
from safetynet.accounts.capabilities import Capability, may
from safetynet.accounts.models import User
from safetynet.core import audit
from safetynet.core.actor import API, SYSTEM, WEB, Actor
from safetynet.core.jurisdiction import covers, user_area_codes
from safetynet.core.models import Area


def test_actor_of_a_user_carries_role_and_areas(clerk: User, county: dict[str, Area]) -> None:
    actor = Actor.of(clerk)
    assert actor.user is clerk and actor.pk == clerk.pk and actor.username == clerk.username
    assert actor.role == "clerk" and actor.via == SYSTEM and actor.verified
    assert actor.area_codes == tuple(sorted(a.code for a in clerk.areas.all()))
    assert user_area_codes(actor) == list(actor.area_codes)
    assert covers(actor, actor.area_codes[0] + "001")
    assert not covers(actor, "999999")


def test_an_inactive_user_acts_nowhere_and_may_nothing(clerk: User) -> None:
    clerk.is_active = False
    actor = Actor.of(clerk)
    assert actor.area_codes == () and not actor.covers(clerk.username)
    assert not may(actor, Capability.READ_REGISTRY)


def test_may_reads_the_actors_role(clerk: User, approver: User) -> None:
    assert may(Actor.of(clerk), Capability.EDIT_REGISTRY)
    assert not may(Actor.of(clerk), Capability.APPROVE_PAYROLL)
    assert may(Actor.of(approver), Capability.APPROVE_PAYROLL)


def test_actor_of_a_request_records_its_context(approver: User) -> None:
    request: Any = RequestFactory().get("/api/v1/registry/households", REMOTE_ADDR="10.1.2.3")
    request.user = approver
    actor = actor_of(request)
    assert actor.ip == "10.1.2.3" and actor.via == API
    # An approver's session that has not passed the second factor is not verified.
    assert not actor.verified
    assert actor_of(request) is actor


def test_a_page_request_is_the_web_interface(clerk: User) -> None:
    request: Any = RequestFactory().get("/registry/")
    request.user = clerk
    actor = actor_of(request)
    assert actor.via == WEB and actor.verified and actor.ip == "127.0.0.1"


def test_the_audit_log_takes_the_actors_user_and_address(clerk: User) -> None:
    actor = Actor.of(clerk, ip="10.9.8.7")
    event = audit.record("test.action", user=actor, object_type="x", object_id="1")
    assert event.user_id == clerk.pk and event.username == clerk.username
    assert event.ip == "10.9.8.7"
