"""The single window in a real browser: a dibao application from the clerk's window to
enrolment, a refusal, a referral answered by the health-insurance handler, and a late
step shown as overdue."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.benefits.models import Enrollment
from safetynet.intake.models import Application, Referral, ReferralState, State
from safetynet.intake.services import common
from tests.browser.conftest import login
from tests.conftest import COUNTY, TOWN_A, make_household, make_user, new_id
from tests.intake.conftest import CHECK, REVIEW, VISIT, apply, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def act(page: Any, action: str, fields: dict[str, str] | None = None) -> None:
    page.click(f"a[href$='/act/{action}/']")
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    page.click("form.card button.primary")
    page.wait_for_selector(".flash")


@pytest.fixture
def staff(county: dict) -> dict[str, User]:
    return {"clerk": make_user("clerk_w", Role.CLERK, county[TOWN_A]),
            "officer": make_user("officer_w", Role.OFFICER, county[TOWN_A]),
            "approver": make_user("approver_w", Role.APPROVER, county[COUNTY])}


def test_dibao_from_window_to_enrolment(live_server: Any, browser: Any,
                                        staff: dict[str, User]) -> None:
    household = make_household(staff["clerk"], name="孙大山", members=1,
                               id_number=new_id(date(1958, 4, 4)))
    base = live_server.url
    clerk = login(browser, base, staff["clerk"])
    assert "待办" in clerk.content()
    clerk.goto(f"{base}/registry/households/{household.pk}/")
    clerk.click(f"a[href$='/intake/new/{household.pk}/']")
    clerk.fill("#id_reason", "夫妻二人无劳动能力，无收入")
    clerk.click("#application-form button.primary")
    clerk.wait_for_url("**/intake/*/")
    app = Application.objects.get()
    act(clerk, "accept")
    clerk.click("a[href$='/act/check/']")
    for source in ("hukou", "tax", "social_insurance", "property", "vehicles", "bank"):
        clerk.check(f"input[name=sources][value={source}]")
    clerk.fill("#id_check_findings", "未发现车辆、房产、存款")
    clerk.click("form.card button.primary")
    clerk.wait_for_selector(".flash")

    officer = login(browser, base, staff["officer"])
    officer.goto(f"{base}/intake/")
    officer.click(f"a[href='/intake/{app.pk}/']")
    act(officer, "visit", {"#id_visited_on": "2022-09-01", "#id_investigator_1": "李强",
                           "#id_investigator_2": "王芳", "#id_findings": "房屋破旧，家中无收入"})
    officer.click("a[href$='/act/review/']")
    officer.fill("#id_opinion", "经入户调查，符合低保条件，建议批准")
    officer.select_option("#id_recommendation", "approve")
    officer.click("form.card button.primary")
    officer.wait_for_selector(".flash")
    posted = (timezone.localdate() - timedelta(days=30)).isoformat()
    act(officer, "post_notice", {"#id_notice_start": posted,
                                 "#id_backdate_reason": "补录：公示已于村务公开栏张贴"})
    act(officer, "close_notice")
    assert Application.objects.get().state == State.COUNTY

    approver = login(browser, base, staff["approver"])
    approver.goto(f"{base}/intake/")
    approver.click(f"a[href='/intake/{app.pk}/']")
    assert approver.locator("#benefits, .benefits").count() >= 1  # the rules beside it
    act(approver, "approve", {"#id_reason": "经审核，符合低保条件"})
    app.refresh_from_db()
    assert app.state == State.APPROVED
    assert Enrollment.objects.get(pk=app.enrollment_id).program == "dibao"
    for page in (clerk, officer, approver):
        page.context.close()


def test_refusal_with_written_reasons(live_server: Any, browser: Any,
                                      staff: dict[str, User]) -> None:
    household = make_household(staff["clerk"], name="钱多多", members=1,
                               id_number=new_id(date(1970, 4, 4)))
    app = walk(apply(staff["clerk"], household), (staff["clerk"], "accept", {}),
               (staff["clerk"], "check", CHECK), (staff["officer"], "visit", VISIT),
               (staff["officer"], "review", {**REVIEW, "recommendation": "refuse"}),
               (staff["officer"], "post_notice", {
                   "notice_start": timezone.localdate() - timedelta(days=30)}),
               (staff["officer"], "close_notice", {}))
    base = live_server.url
    approver = login(browser, base, staff["approver"])
    approver.goto(f"{base}/intake/{app.pk}/")
    approver.click("a[href$='/act/refuse/']")
    approver.click("form.card button.primary")  # no reasons: the form does not go
    assert approver.locator("#id_reason:invalid").count() == 1
    assert Application.objects.get(pk=app.pk).state == State.COUNTY
    approver.fill("#id_reason", "家庭人均收入高于低保标准")
    approver.click("form.card button.primary")
    approver.wait_for_selector(".flash")
    app.refresh_from_db()
    assert app.state == State.REFUSED and "高于低保标准" in app.decision_reason
    clerk = login(browser, base, staff["clerk"])
    clerk.goto(f"{base}/intake/")
    clerk.click(f"a[href='/intake/{app.pk}/']")  # the decision is to be told: in my queue
    act(clerk, "inform", {"#id_informed_on": timezone.localdate().isoformat()})
    app.refresh_from_db()
    assert app.resident_informed_on == timezone.localdate()


def test_referral_answered_by_health_insurance(live_server: Any, browser: Any,
                                               staff: dict[str, User], county: dict) -> None:
    partner = make_user("yibao_w", Role.PARTNER, county[COUNTY])
    partner.department = "health_insurance"
    partner.save()
    household = make_household(staff["clerk"], name="周病", id_number=new_id(date(1966, 1, 1)))
    app = apply(staff["clerk"], household)
    base = live_server.url
    clerk = login(browser, base, staff["clerk"])
    clerk.goto(f"{base}/intake/{app.pk}/")
    clerk.click("a[href*='/intake/referrals/new/']")
    clerk.select_option("#id_department", "health_insurance")
    clerk.fill("#id_subject", "大病医疗救助")
    clerk.fill("#id_description", "住院自付 3 万元，申请医疗救助")
    clerk.click("form.card button.primary")
    clerk.wait_for_selector(".flash")
    referral = Referral.objects.get()

    handler = login(browser, base, partner)
    handler.click(".worklist a[href$='/intake/referrals/']")  # the work list leads there
    handler.click(f".worklist a[href$='/intake/referrals/{referral.pk}/']")
    handler.click("form[action$='/accept/'] button")
    handler.wait_for_selector(".flash")
    handler.fill("#id_answer", "已纳入医疗救助，报销 2 万元")
    handler.click("form[action$='/answer/'] button")
    handler.wait_for_selector(".flash")
    assert Referral.objects.get().state == ReferralState.ANSWERED

    clerk.goto(f"{base}/intake/referrals/{referral.pk}/")
    assert "报销 2 万元" in clerk.content()
    clerk.fill("#id_informed_on", timezone.localdate().isoformat())
    clerk.click("form[action$='/close/'] button")
    clerk.wait_for_selector(".flash")
    assert Referral.objects.get().state == ReferralState.CLOSED


def test_late_step_shows_as_overdue(live_server: Any, browser: Any,
                                    staff: dict[str, User]) -> None:
    household = make_household(staff["clerk"], name="吴迟", id_number=new_id(date(1950, 1, 1)))
    app = apply(staff["clerk"], household)
    Application.objects.filter(pk=app.pk).update(
        due_on=timezone.localdate() - timedelta(days=5))
    page = login(browser, live_server.url, staff["officer"])
    assert page.locator(".worklist").inner_text().count("1") >= 1
    page.goto(f"{live_server.url}/intake/overdue/")
    assert page.locator("td.due.overdue").inner_text() == "1"
    page.goto(f"{live_server.url}/intake/?show=overdue")
    assert page.locator("span.due.overdue").count() == 1
    assert common.today() > Application.objects.get().due_on
