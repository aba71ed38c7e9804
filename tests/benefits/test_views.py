"""The enrolment screens: list, reviews due, one enrolment and its actions, the panel."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from safetynet.benefits import services
from safetynet.benefits.models import Status
from safetynet.core.actor import Actor
from safetynet.core.worklist import work_list_for
from tests.benefits.conftest import APPROVED, dibao_household
from tests.conftest import login_verified


def test_list_detail_and_suspend_through_the_screen(approver, clerk):
    household = dibao_household(clerk)
    enrollment = services.enrol(Actor.of(approver), program="dibao", household=household,
                                person=None,
                                approved_on=APPROVED)
    client = Client()
    login_verified(client, approver)
    assert household.number in client.get(reverse("benefits:home")).content.decode()
    page = client.get(reverse("benefits:enrollment", args=[enrollment.pk])).content.decode()
    assert 'name="suspend-reason"' in page and 'name="review-facts"' in page
    response = client.post(reverse("benefits:act", args=[enrollment.pk, "suspend"]),
                           {"suspend-reason": "入户核查", "suspend-from_month": "2022-10-05"})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Status.SUSPENDED
    assert enrollment.suspensions.get().from_month == date(2022, 10, 1)
    bad = client.post(reverse("benefits:act", args=[enrollment.pk, "change"]),
                      {"change-reason": ""})
    assert bad.status_code == 302  # the error is shown as a message on the page


def test_household_page_lists_enrolments(approver, clerk):
    household = dibao_household(clerk)
    services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                   approved_on=APPROVED)
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("registry:household", args=[household.pk])).content.decode()
    assert reverse("benefits:home") + "enrolments/" in page


def test_reviews_due_are_in_the_work_list(approver, clerk):
    household = dibao_household(clerk)
    services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                   approved_on=APPROVED)  # next review in 2023: long due
    items = [item for item in work_list_for(approver) if "benefits" in item.url]
    assert items and items[0].count == 1
    client = Client()
    client.force_login(clerk)
    assert client.get(reverse("benefits:enrollment", args=[1_000_000])).status_code == 404
