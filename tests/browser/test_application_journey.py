"""A dibao application walked as the roles would, on a 375-px phone: the village worker
registers it by phone (the channel defaults to the phone and survives the type-change
refresh; a young child of the household is masked in the applicant list), the clerk and the
township officer prepare it, the clerk posts the notice a day late (the reason is asked
for) and sees the closing buttons wait with their date, the notice ends, and the county
approver decides beside the rules' amount and explanation and follows the case to its
enrolment (issue #21)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.benefits.models import Enrollment
from safetynet.core.actor import Actor
from safetynet.intake.models import Application, Channel, State
from safetynet.intake.services import common
from safetynet.registry import services as registry
from tests.browser.conftest import login
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A, make_household, make_user, new_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The type changes and, before the refresh lands, the user picks another channel.
RACE = """() => {
  const kind = document.querySelector('#id_kind');
  kind.value = 'temp_emergency';
  kind.dispatchEvent(new Event('change', {bubbles: true}));
  const channel = document.querySelector('#id_channel');
  channel.value = 'window';
  channel.dispatchEvent(new Event('change', {bubbles: true}));
}"""


def act(page: Any, action: str, fields: dict[str, str] | None = None) -> None:
    page.click(f"a[href$='/act/{action}/']")
    for selector, value in (fields or {}).items():
        page.fill(selector, value)
    page.click("form.card button.primary")
    page.wait_for_selector(".flash")


def fits_the_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth") <= 376)


@pytest.fixture
def staff(county: dict) -> dict[str, User]:
    return {"village": make_user("village_j", Role.VILLAGE, county[VILLAGE_A]),
            "clerk": make_user("clerk_j", Role.CLERK, county[TOWN_A]),
            "officer": make_user("officer_j", Role.OFFICER, county[TOWN_A]),
            "approver": make_user("approver_j", Role.APPROVER, county[COUNTY])}


def _register_by_phone(village: Any, base: str, household: Any) -> None:
    village.goto(f"{base}/registry/households/{household.pk}/")
    village.click(f"a[href$='/intake/new/{household.pk}/']")
    assert village.input_value("#id_channel") == Channel.VILLAGE  # by role
    options = " ".join(village.locator("#id_applicant option").all_inner_texts())
    assert "周大山" in options and "周小宝" not in options and "不满14周岁儿童" in options
    village.evaluate(RACE)
    village.wait_for_selector("#id_months")  # the refresh landed after the choice
    assert village.input_value("#id_channel") == Channel.WINDOW  # and kept it
    village.select_option("#id_kind", "dibao")
    village.wait_for_selector("#id_months", state="detached")
    village.select_option("#id_channel", Channel.VILLAGE)
    village.fill("#id_reason", "夫妻二人无劳动能力，无收入")
    assert fits_the_phone(village)
    village.click("#application-form button.primary")
    village.wait_for_url("**/intake/*/")


def _prepare(clerk: Any, officer: Any, base: str, app: Application) -> None:
    clerk.goto(f"{base}/intake/{app.pk}/")
    act(clerk, "accept")
    clerk.click("a[href$='/act/check/']")
    for source in ("hukou", "tax", "social_insurance", "property", "vehicles", "bank"):
        clerk.check(f"input[name=sources][value={source}]")
    clerk.fill("#id_check_findings", "未发现车辆、房产、存款")
    clerk.click("form.card button.primary")
    clerk.wait_for_selector(".flash")
    officer.goto(f"{base}/intake/{app.pk}/")
    act(officer, "visit", {"#id_visited_on": date.today().isoformat(),
                           "#id_investigator_1": "李强", "#id_investigator_2": "王芳",
                           "#id_findings": "房屋破旧，家中无收入"})
    officer.click("a[href$='/act/review/']")
    assert officer.locator("#rules-amounts").is_visible()  # the rules beside the opinion
    officer.fill("#id_opinion", "经入户调查，符合低保条件，建议批准")
    officer.select_option("#id_recommendation", "approve")
    officer.click("form.card button.primary")
    officer.wait_for_selector(".flash")


def _post_the_notice_a_day_late(clerk: Any, app: Application) -> None:
    yesterday = (common.today() - timedelta(days=1)).isoformat()
    clerk.click("a[href$='/act/post_notice/']")
    assert clerk.input_value("#id_notice_start") == common.today().isoformat()
    clerk.fill("#id_notice_start", yesterday)
    clerk.click("form.card button.primary")
    error = clerk.locator(".field.invalid #id_backdate_reason")
    error.wait_for()
    assert Application.objects.get(pk=app.pk).state == State.REVIEWED
    clerk.fill("#id_backdate_reason", "公告栏昨日已张贴，今日补录")
    clerk.click("form.card button.primary")
    clerk.wait_for_selector(".flash")
    assert "公告栏昨日已张贴，今日补录" in clerk.content()  # in the steps


def test_dibao_journey_from_the_village_phone_to_enrolment(live_server: Any, browser: Any,
                                                           staff: dict[str, User]) -> None:
    household = make_household(staff["clerk"], name="周大山", members=1,
                               id_number=new_id(date(1958, 4, 4)))
    young = date.today().replace(year=date.today().year - 6, month=1, day=1)
    registry.add_person(Actor.of(staff["clerk"]), household, {
        "name": "周小宝", "id_number": new_id(young), "relation": "grandchild"})
    base = live_server.url

    village = login(browser, base, staff["village"])
    _register_by_phone(village, base, household)
    app = Application.objects.get()
    assert app.channel == Channel.VILLAGE and app.applicant.name == "周大山"

    clerk = login(browser, base, staff["clerk"])
    officer = login(browser, base, staff["officer"])
    _prepare(clerk, officer, base, app)
    clerk.goto(f"{base}/intake/{app.pk}/")
    _post_the_notice_a_day_late(clerk, app)

    # During the notice the closing buttons wait, with the day they become available.
    app.refresh_from_db()
    first = (app.notice_end + timedelta(days=1)).isoformat()
    assert clerk.locator("a[href$='/act/close_notice/']").count() == 0
    waiting = clerk.locator("#waiting-close_notice")
    assert waiting.is_disabled() and first in waiting.inner_text()
    assert first in clerk.locator("#notice-wait").inner_text()
    assert fits_the_phone(clerk)

    # The notice days pass.
    Application.objects.filter(pk=app.pk).update(
        notice_start=common.today() - timedelta(days=20),
        notice_end=common.today() - timedelta(days=10))
    clerk.reload()
    act(clerk, "close_notice")
    assert Application.objects.get(pk=app.pk).state == State.COUNTY

    approver = login(browser, base, staff["approver"])
    approver.goto(f"{base}/intake/{app.pk}/")
    approver.click("a[href$='/act/approve/']")
    rules = approver.locator("#rules-amounts")
    assert "元/月" in rules.inner_text() and "低保" in rules.inner_text()
    assert len(rules.locator("p.muted").inner_text()) > 10  # the explanation
    approver.fill("#id_reason", "经审核，符合低保条件")
    approver.click("form.card button.primary")
    approver.wait_for_selector(".flash")
    app.refresh_from_db()
    assert app.state == State.APPROVED
    approver.click("#enrollment-link")
    approver.wait_for_url(f"**/benefits/enrolments/{app.enrollment_id}/")
    assert Enrollment.objects.get(pk=app.enrollment_id).program == "dibao"
    for page in (village, clerk, officer, approver):
        page.context.close()
