"""Subscriptions: partners are told of enrolment, exit, death and move, once each, in order
per person; callbacks are retried and end on the dead-letter list."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, TestCase
from django.utils import timezone

from safetynet.accounts.roles import Role
from safetynet.benefits import services as benefits
from safetynet.core.actor import Actor
from safetynet.dci import delivery, services
from safetynet.dci.models import Delivery, DeliveryStatus, RegistryEvent
from safetynet.registry import services as registry
from tests.conftest import VILLAGE_A, make_household, make_user
from tests.dci.conftest import body, post
from tests.dci.spec_check import assert_request


def subscribe(token: str, event: str, filter_: Any, filter_type: str = "expression") -> str:
    message = {"transaction_id": f"sub-{event}", "subscribe_request": [{
        "reference_id": "r1", "timestamp": timezone.now().isoformat(),
        "subscribe_criteria": {"reg_event_type": event, "filter_type": filter_type,
                               "filter": filter_, "notify_record_type": "Member"}}]}
    response = post(Client(), "/registry/subscribe",
                    body("subscribe", message, "/registry/subscribe"), token)
    assert response.status_code == 202
    return str(Delivery.objects.filter(action="on-subscribe").latest("pk")
               .payload["message"]["subscribe_response"][0]["subscriptions"][0]["code"])


IN_TOWN_A = {"area_code": {"$eq": "320722100"}}


def notifications(sent: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    found = [p for _, p in sent if p["header"]["action"] == "notify"]
    for payload in found:
        assert_request("/registry/notify", payload)
    return [p["message"]["notify_event"][0]["data"]["reg_records"]["event"] for p in found]


def test_death_and_move_are_notified_once_each_in_order(token, people, sent, clerk) -> None:
    subscribe(token, "death", IN_TOWN_A)
    subscribe(token, "move", IN_TOWN_A)
    target = make_household(clerk, VILLAGE_A, name="赵六")
    with TestCase.captureOnCommitCallbacks(execute=True):
        person = registry.add_person(Actor.of(clerk), people["home"], {
            "name": "王二", "relation": "child", "id_number": None, "sex": "M",
            "birth_date": timezone.localdate().replace(year=1970)})
    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.move_person(Actor.of(clerk), person, target, "other")
    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.mark_deceased(Actor.of(clerk), person, timezone.localdate())
    events = notifications(sent)
    assert [e["type"] for e in events] == ["move", "death"]
    assert events[0]["to_household"] == target.number
    delivery.deliver_due()
    assert len(notifications(sent)) == 2  # delivered ones are not sent again


def test_enrolment_and_exit_are_notified(token, people, sent) -> None:
    subscribe(token, "sn:RegistryEventType:Enrolment", IN_TOWN_A)
    subscribe(token, "exit", IN_TOWN_A)
    with TestCase.captureOnCommitCallbacks(execute=True):
        enrolment = benefits.enrol(None, program="disability_nursing", household=people["home"],
                                   person=people["adult"], approved_on=timezone.localdate(),
                                   amount=Decimal("150"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        benefits.terminate(None, enrolment, reason="request")
    events = notifications(sent)
    assert [(e["type"], e["programme"]) for e in events] == [
        ("enrolment", "disability_nursing"), ("exit", "disability_nursing")]


def test_children_and_people_outside_the_partner_areas_are_not_notified(
        token, people, sent, county, clerk_b) -> None:
    subscribe(token, "death", {"area_code": {"$eq": "320722"}})
    director = make_user("childdir_t", Role.CHILD_DIRECTOR, county[VILLAGE_A])
    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.mark_deceased(Actor.of(director), people["child"], timezone.localdate())
        registry.mark_deceased(Actor.of(clerk_b), people["away"].members.get(),
                               timezone.localdate())
    assert notifications(sent) == []
    assert not RegistryEvent.objects.filter(person=people["child"]).exists()


def test_no_event_is_written_without_a_subscriber(people, clerk) -> None:
    registry.mark_deceased(Actor.of(clerk), people["adult"], timezone.localdate())
    assert RegistryEvent.objects.count() == 0


def test_unsubscribed_partners_are_no_longer_told(token, people, sent, clerk) -> None:
    code = subscribe(token, "death", IN_TOWN_A)
    message = {"transaction_id": "u", "timestamp": timezone.now().isoformat(),
               "subscription_codes": [code]}
    post(Client(), "/registry/unsubscribe", body("unsubscribe", message,
                                                 "/registry/unsubscribe"), token)
    again = post(Client(), "/registry/unsubscribe", body("unsubscribe", message,
                                                         "/registry/unsubscribe"), token)
    assert again.status_code == 202
    answer = Delivery.objects.filter(action="on-unsubscribe").latest("pk").payload["message"]
    assert answer["status_reason_code"] == "rjct.event.already_unsubscribed"
    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.mark_deceased(Actor.of(clerk), people["adult"], timezone.localdate())
    assert notifications(sent) == []


def test_a_second_identical_subscription_is_rejected(token) -> None:
    subscribe(token, "death", IN_TOWN_A)
    subscribe_again = Delivery.objects.count()
    with pytest.raises(KeyError):
        subscribe(token, "death", IN_TOWN_A)  # the answer carries no subscription
    answer = Delivery.objects.filter(action="on-subscribe").latest("pk").payload["message"]
    assert answer["subscribe_response"][0]["status_reason_code"] == \
        "rjct.event.already_subscribed"
    assert Delivery.objects.count() == subscribe_again + 1


@pytest.fixture
def failing(monkeypatch: Any) -> list[str]:
    calls: list[str] = []

    def refuse(url: str, payload: dict[str, Any]) -> None:
        calls.append(payload["header"]["action"])
        raise delivery.DeliveryFailed("HTTP 503")

    monkeypatch.setattr(delivery, "post", refuse)
    return calls


def test_failed_callbacks_are_retried_in_order_then_dead_lettered(
        token, people, clerk, failing, sysadmin, monkeypatch) -> None:
    subscribe(token, "death", IN_TOWN_A)
    subscribe(token, "move", IN_TOWN_A)
    target = make_household(clerk, VILLAGE_A, name="赵六")
    person = registry.add_person(Actor.of(clerk), people["home"], {
        "name": "王二", "relation": "child", "id_number": None, "sex": "M",
        "birth_date": timezone.localdate().replace(year=1970)})
    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.move_person(Actor.of(clerk), person, target, "other")
    with TestCase.captureOnCommitCallbacks(execute=True):
        registry.mark_deceased(Actor.of(clerk), person, timezone.localdate())
    move, death = Delivery.objects.filter(action="notify").order_by("pk")
    assert failing.count("notify") == 1  # the death waits behind the failed move
    later = timezone.now()
    for _ in range(delivery.MAX_ATTEMPTS):
        later += timedelta(hours=3)
        delivery.deliver_due(now=later)
    move.refresh_from_db()
    assert move.status == DeliveryStatus.DEAD and move.attempts == delivery.MAX_ATTEMPTS
    assert move.last_error == "HTTP 503"
    sent: list[str] = []
    monkeypatch.setattr(delivery, "post", lambda url, payload: sent.append(
        payload["message"]["notify_event"][0]["data"]["reg_records"]["event"]["type"]))
    delivery.deliver_due(now=later + timedelta(hours=3))
    assert sent == ["death"]
    services.retry_dead_letter(Actor.of(sysadmin), move)
    delivery.deliver_due()
    assert sent == ["death", "move"]
    death.refresh_from_db()
    assert death.status == DeliveryStatus.DELIVERED


def test_a_household_enrolment_is_told_for_each_living_adult_member(token, people, sent,
                                                                    clerk) -> None:
    subscribe(token, "enrolment", IN_TOWN_A)
    subscribe(token, "exit", IN_TOWN_A)
    spouse = registry.add_person(Actor.of(clerk), people["home"], {
        "name": "刘芳", "relation": "spouse", "id_number": None, "sex": "F",
        "birth_date": timezone.localdate().replace(year=1952)})
    with TestCase.captureOnCommitCallbacks(execute=True):
        enrolment = benefits.enrol(None, program="dibao", household=people["home"],
                                   person=None, approved_on=timezone.localdate(),
                                   amount=Decimal("300"))
    with TestCase.captureOnCommitCallbacks(execute=True):
        benefits.start_gradual_exit(None, enrolment)
    found = [(p["message"]["notify_event"][0]["data"]["reg_records"]["@id"],
              p["message"]["notify_event"][0]["data"]["reg_records"]["event"]["type"])
             for _, p in sent if p["header"]["action"] == "notify"]
    adult = f"urn:safetynet:person:{people['adult'].pk}"
    wife = f"urn:safetynet:person:{spouse.pk}"
    assert sorted(found) == sorted([(adult, "enrolment"), (wife, "enrolment"),
                                    (adult, "exit"), (wife, "exit")])
    assert all(people["child"].name not in str(p) for _, p in sent)
