"""The public notice and the approval as a first-time clerk meets them: the buttons that
end the notice wait, with their date, until the notice is over; a posting date in the past
needs a reason (stored and audited); the approval form shows the rules' amount and
explanation; the approved case links to its enrolment; temporary assistance shows its
one-off amount beside the rules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.intake import selectors
from safetynet.intake.models import Application, Kind, State
from safetynet.intake.services import applications, common, temporary
from safetynet.registry.models import Household
from tests.conftest import client_for
from tests.intake.conftest import CHECK, REVIEW, VISIT, apply, on_notice, ready_for_county


def _reviewed(clerk: User, officer: User, household: Household) -> Application:
    app = apply(clerk, household)
    for actor, action, data in [(clerk, "accept", {}), (clerk, "check", CHECK),
                                (officer, "visit", VISIT), (officer, "review", REVIEW)]:
        app = applications.take_action(Actor.of(actor), app, action, data)
    return app


def test_notice_closers_wait_with_their_date(clerk: User, officer: User,
                                             household: Household) -> None:
    app = on_notice(clerk, officer, household, days_ago=0)
    first = app.notice_end + timedelta(days=1)
    assert selectors.not_before(app, "close_notice") == first
    assert "close_notice" not in [t.action for t in selectors.actions_for(clerk, app)]
    assert [(t.action, day) for t, day in selectors.waiting_actions(clerk, app)] == [
        ("close_notice", first), ("to_appraisal", first)]
    client = client_for(clerk)
    html = client.get(reverse("intake:detail", args=[app.pk])).content.decode()
    assert "/act/close_notice/" not in html and "/act/to_appraisal/" not in html
    assert 'id="waiting-close_notice" disabled' in html
    assert first.isoformat() in html
    # Typing the address does not open the form either: back to the case, with the date.
    response = client.get(reverse("intake:act", args=[app.pk, "close_notice"]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("intake:detail", args=[app.pk])
    assert first.isoformat() in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == State.NOTICE


def test_notice_closers_offered_after_the_last_day(clerk: User, officer: User,
                                                   household: Household) -> None:
    app = on_notice(clerk, officer, household, days_ago=30)
    assert selectors.not_before(app, "close_notice") is None
    assert "close_notice" in [t.action for t in selectors.actions_for(clerk, app)]
    html = client_for(clerk).get(reverse("intake:detail", args=[app.pk])).content.decode()
    assert "/act/close_notice/" in html and "waiting-close_notice" not in html


def test_backdated_notice_needs_a_reason(clerk: User, officer: User,
                                        household: Household) -> None:
    app = _reviewed(clerk, officer, household)
    past = common.today() - timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        applications.take_action(Actor.of(clerk), app, "post_notice", {"notice_start": past})
    assert "backdate_reason" in refused.value.message_dict
    assert past.isoformat() in refused.value.message_dict["backdate_reason"][0]
    assert Application.objects.get(pk=app.pk).state == State.REVIEWED
    app = applications.take_action(Actor.of(clerk), app, "post_notice", {
        "notice_start": past, "backdate_reason": "村务公开栏张贴当日系统故障，补录"})
    step = app.steps.get(action="post_notice")
    assert step.data["backdate_reason"] == "村务公开栏张贴当日系统故障，补录"
    event = AuditEvent.objects.get(action="intake.notice.backdated", object_id=str(app.pk))
    assert event.detail["notice_start"] == past.isoformat()
    assert event.detail["reason"] == "村务公开栏张贴当日系统故障，补录"
    html = client_for(clerk).get(reverse("intake:detail", args=[app.pk])).content.decode()
    assert "村务公开栏张贴当日系统故障，补录" in html


def test_notice_posted_today_needs_no_reason(clerk: User, officer: User,
                                            household: Household) -> None:
    app = applications.take_action(Actor.of(clerk), _reviewed(clerk, officer, household),
                                   "post_notice",
                               {"notice_start": common.today()})
    assert "backdate_reason" not in app.steps.get(action="post_notice").data
    assert not AuditEvent.objects.filter(action="intake.notice.backdated").exists()


def test_notice_form_asks_for_the_reason(clerk: User, officer: User,
                                         household: Household) -> None:
    app = _reviewed(clerk, officer, household)
    client = client_for(clerk)
    url = reverse("intake:act", args=[app.pk, "post_notice"])
    page = client.get(url)
    assert "backdate_reason" in page.context["form"].fields
    assert page.context["form"]["notice_start"].value() == common.today()
    past = (common.today() - timedelta(days=2)).isoformat()
    refused = client.post(url, {"notice_start": past})
    assert refused.status_code == 200 and "backdate_reason" in refused.context["form"].errors
    assert Application.objects.get(pk=app.pk).state == State.REVIEWED
    done = client.post(url, {"notice_start": past, "backdate_reason": "补录"})
    assert done.status_code == 302
    assert Application.objects.get(pk=app.pk).state == State.NOTICE


def test_approval_form_shows_the_rules_amount_and_explanation(
        clerk: User, officer: User, approver: User, household: Household) -> None:
    app = ready_for_county(clerk, officer, household)
    rules = selectors.rules_amounts(app)
    assert len(rules) == 1 and rules[0].amount is not None and rules[0].amount > 0
    assert not rules[0].one_off and rules[0].explanation
    html = client_for(approver).get(
        reverse("intake:act", args=[app.pk, "approve"])).content.decode()
    assert 'id="rules-amounts"' in html
    assert f"{rules[0].amount:,.2f}" in html
    assert rules[0].explanation.split("；")[0][:20] in html


def test_approved_case_links_to_its_enrolment(clerk: User, officer: User, approver: User,
                                              household: Household) -> None:
    app = applications.take_action(Actor.of(approver), ready_for_county(clerk, officer, household),
                                   "approve", {"reason": "符合条件"})
    assert app.enrollment_id
    html = client_for(clerk).get(reverse("intake:detail", args=[app.pk])).content.decode()
    assert reverse("benefits:enrollment", args=[app.enrollment_id]) in html


def test_temporary_assistance_shows_its_one_off_amount(clerk: User, officer: User,
                                                       household: Household) -> None:
    app = apply(clerk, household, kind=Kind.TEMPORARY_EMERGENCY, details={"months": 2})
    app = applications.take_action(Actor.of(clerk), app, "accept", {})
    estimate = temporary.temporary_estimate(app)
    assert estimate.months == 2 and estimate.amount > 0
    found = selectors.temporary_rules(app)
    assert found is not None and found.one_off and found.amount == estimate.amount
    client = client_for(officer)
    html = client.get(reverse("intake:detail", args=[app.pk])).content.decode()
    assert 'id="temporary-rules"' in html
    assert f"{estimate.amount:,.2f}" in html
    grant = client.get(reverse("intake:act", args=[app.pk, "grant_now"])).content.decode()
    assert 'id="rules-amounts"' in grant and f"{estimate.amount:,.2f}" in grant


def test_api_asks_for_the_reason_of_a_backdated_notice(clerk: User, officer: User,
                                                       household: Household) -> None:
    from tests.intake.test_api import Api, errors

    app = _reviewed(clerk, officer, household)
    window = Api(clerk)
    past = (common.today() - timedelta(days=3)).isoformat()
    refused = window.act(app.pk, "post_notice", {"notice_start": past})
    assert refused.status_code == 422 and "backdate_reason" in errors(refused)
    done = window.act(app.pk, "post_notice", {"notice_start": past,
                                              "backdate_reason": "系统故障，补录"})
    assert done.status_code == 200 and done.json()["state"] == State.NOTICE
    assert AuditEvent.objects.filter(action="intake.notice.backdated",
                                     object_id=str(app.pk)).exists()
