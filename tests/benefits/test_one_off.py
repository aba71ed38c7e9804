"""A one-off grant (temporary assistance) reads as one: an amount in yuan, once, and a
status that says where its payment stands (to be paid, in a payroll run, paid), not
"ended" before anything was paid."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from safetynet.benefits import selectors, services
from safetynet.benefits.models import Enrollment
from safetynet.core.actor import Actor
from safetynet.payments.models import PaymentLine, PayrollRun
from tests.benefits.conftest import APPROVED, dibao_household
from tests.conftest import client_for


def _grant(approver, clerk) -> Enrollment:
    household = dibao_household(clerk)
    return services.enrol(Actor.of(approver), program="temporary", household=household,
                          person=household.members.order_by("pk").first(),
                          approved_on=APPROVED, amount=Decimal("1300"), explanation="火灾")


def _line(grant: Enrollment, status: str) -> PaymentLine:
    run = PayrollRun.objects.create(program="temporary", period=grant.start_month)
    return PaymentLine.objects.create(
        run=run, program="temporary", period=grant.start_month, beneficiary=grant.beneficiary,
        enrollment=grant, household=grant.household, person=grant.person,
        area=grant.household.area, township=grant.household.area.code[:9], months=1,
        monthly_amount=grant.monthly_amount, amount=grant.monthly_amount, status=status)


def _state(grant: Enrollment) -> str:
    return selectors.mark_one_off([Enrollment.objects.get(pk=grant.pk)])[0].one_off_state


def test_unpaid_grant_is_to_be_paid(approver, clerk):
    grant = _grant(approver, clerk)
    assert grant.one_off
    assert _state(grant) == "待发放"


def test_state_follows_the_payment_lines(approver, clerk):
    grant = _grant(approver, clerk)
    line = _line(grant, "pending")
    assert _state(grant) == "发放中"
    PaymentLine.objects.filter(pk=line.pk).update(status="failed")
    assert _state(grant) == "发放失败"
    PaymentLine.objects.filter(pk=line.pk).update(status="paid")
    assert _state(grant) == "已发放"


def test_monthly_enrolments_are_left_alone(approver, clerk):
    household = dibao_household(clerk)
    dibao = services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                           approved_on=APPROVED)
    assert not dibao.one_off
    assert not hasattr(selectors.mark_one_off([dibao])[0], "one_off_state")


def test_pages_show_yuan_once_and_the_payment_state(approver, clerk):
    grant = _grant(approver, clerk)
    client = client_for(clerk)
    for url in (reverse("registry:household", args=[grant.household_id]),
                reverse("benefits:enrollment", args=[grant.pk]), reverse("benefits:home")):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "1,300.00 元（一次性）" in html, url
        assert "待发放" in html, url
        assert "<td>已终止</td>" not in html and "<strong>已终止</strong>" not in html, url
    _line(grant, "paid")
    html = client.get(reverse("benefits:enrollment", args=[grant.pk])).content.decode()
    assert "已发放" in html
