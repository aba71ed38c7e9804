"""Referrals (转办): the partner department's handler sees its inbox, accepts and answers
or returns; late referrals show as overdue; the window tells the resident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.intake import selectors
from safetynet.intake.models import Referral, ReferralState
from safetynet.intake.services import referrals
from safetynet.registry.models import Household
from tests.conftest import COUNTY, login_verified, make_user


def _refer(clerk: User, household: Household, department: str = "health_insurance") -> Referral:
    return referrals.send_referral(Actor.of(clerk), household, {
        "department": department, "subject": "大病医疗救助", "description": "住院自付 3 万元"})


def test_partner_inbox_holds_only_its_department(clerk: User, partner: User,
                                                 household: Household, county: dict) -> None:
    mine = _refer(clerk, household)
    _refer(clerk, household, "education")
    assert list(selectors.referral_queue(partner)) == [mine]
    other = make_user("jiaoyu", Role.PARTNER, county[COUNTY])
    other.department = "education"
    other.save()
    with pytest.raises(PermissionDenied):
        referrals.accept_referral(Actor.of(other), mine)


def test_referral_is_accepted_answered_and_closed(clerk: User, partner: User,
                                                  household: Household) -> None:
    referral = _refer(clerk, household)
    assert referral.due_on > timezone.localdate()
    referral = referrals.accept_referral(Actor.of(partner), referral)
    with pytest.raises(ValidationError):
        referrals.answer_referral(Actor.of(partner), referral, "  ")
    referral = referrals.answer_referral(Actor.of(partner), referral, "已纳入医疗救助，报销 2 万元")
    assert referral.state == ReferralState.ANSWERED and referral.handler == partner
    assert list(selectors.referral_queue(clerk)) == [referral]
    referral = referrals.close_referral(Actor.of(clerk), referral, timezone.localdate())
    assert referral.state == ReferralState.CLOSED
    with pytest.raises(ValidationError):
        referrals.answer_referral(Actor.of(partner), referral, "again")


def test_returned_referral_goes_back_to_the_window(clerk: User, partner: User,
                                                   household: Household) -> None:
    referral = referrals.return_referral(Actor.of(partner), _refer(clerk, household),
                                         "不属于医保范围")
    assert referral.state == ReferralState.RETURNED
    assert list(selectors.referral_queue(clerk)) == [referral]


def test_late_referral_is_on_the_overdue_report(clerk: User, officer: User,
                                                household: Household) -> None:
    referral = _refer(clerk, household)
    Referral.objects.filter(pk=referral.pk).update(due_on=timezone.localdate()
                                                   - timedelta(days=1))
    report = selectors.overdue_report(officer)
    assert [r.pk for r in report.late_referrals] == [referral.pk]
    assert report.rows[0].referrals_overdue == 1


def test_partner_answers_in_the_browser_pages(clerk: User, partner: User,
                                              household: Household) -> None:
    referral = _refer(clerk, household)
    client = Client()
    login_verified(client, partner)
    inbox = client.get(reverse("intake:home"), follow=True)
    assert referral.number in inbox.content.decode()
    client.post(reverse("intake:referral_action", args=[referral.pk, "accept"]))
    client.post(reverse("intake:referral_action", args=[referral.pk, "answer"]),
                {"answer": "已办理"})
    assert Referral.objects.get(pk=referral.pk).state == ReferralState.ANSWERED
    # The partner never opens the household's application pages.
    assert client.get(reverse("intake:detail", args=[1])).status_code == 403
