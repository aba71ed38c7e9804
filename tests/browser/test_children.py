"""Child protection in a real browser on a phone-sized screen (375 px): the child director
records a visit for a left-behind child and sees the list of due visits shrink; a hotline
case is opened by the 12345 hotline, referred and closed by the child director; the
township supervisor sees at a glance which villages have unsigned confirmations and
overdue visits."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.children.models import HotlineCase, Visit
from safetynet.children.services import common, registry
from safetynet.core.actor import Actor
from tests.browser.conftest import login
from tests.children.conftest import MIGRANTS, add_child, years_ago
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A, make_household, make_user, new_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(county: dict) -> dict[str, User]:
    hotline = make_user("hotline_w", Role.PARTNER, county[COUNTY])
    hotline.department = "hotline"
    hotline.save()
    return {"clerk": make_user("clerk_w", Role.CLERK, county[TOWN_A]),
            "director": make_user("childdir_w", Role.CHILD_DIRECTOR, county[VILLAGE_A]),
            "supervisor": make_user("childsup_w", Role.CHILD_SUPERVISOR, county[TOWN_A]),
            "hotline": hotline}


def _children(people: dict[str, User]) -> list[Any]:
    from datetime import date

    home = make_household(people["clerk"], name="王奶奶",
                          id_number=new_id(date(1955, 3, 3), male=False))
    long_ago = common.today() - timedelta(days=120)
    return [registry.register_child(Actor.of(people["director"]),
                                    add_child(people["director"], home, years_ago(age),
                                              name=name),
                                    MIGRANTS, registered_on=long_ago)
            for name, age in (("王小明", 9), ("王小红", 12))]


def test_director_records_a_visit_and_the_due_list_shrinks(live_server: Any, browser: Any,
                                                           people: dict[str, User]) -> None:
    first, second = _children(people)
    base = live_server.url
    page = login(browser, base, people["director"])
    assert page.locator("a[href='/children/visits/']").count() >= 1  # work list: visits due
    page.goto(f"{base}/children/visits/")
    assert page.locator("#due-visits li[data-child]").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
    page.click(f"li[data-child='{first.pk}'] a.button.primary")
    page.fill("#id_present", "本人、祖母")
    page.fill("#id_findings", "学习生活正常，祖母照顾良好")
    page.fill("#id_needs", "")
    page.click("form.card button.primary")
    page.wait_for_url(re.compile(r"^[^?]*/children/visits/$"))
    assert page.locator("#due-visits li[data-child]").count() == 1
    assert page.locator(f"li[data-child='{second.pk}']").count() == 1
    assert page.inner_text("#due-count") == "1"
    assert Visit.objects.get().child_id == first.pk


def test_hotline_case_opened_referred_and_closed(live_server: Any, browser: Any,
                                                 people: dict[str, User]) -> None:
    base = live_server.url
    hotline = login(browser, base, people["hotline"])
    hotline.goto(f"{base}/children/cases/new/")
    hotline.select_option("#id_kind", "complaint")
    hotline.select_option("#id_urgency", "urgent")
    hotline.fill("#id_caller_name", "邻居")
    hotline.fill("#id_child_name", "小红")
    hotline.fill("#id_child_age", "8")
    hotline.select_option("#id_area_code", VILLAGE_A)
    hotline.fill("#id_what_happened", "孩子经常一个人在家，没人做饭")
    hotline.click("form.card button.primary")
    hotline.wait_for_url("**/children/cases/*/")
    case = HotlineCase.objects.get()
    assert case.responsible == people["director"] and case.state == "open"

    director = login(browser, base, people["director"])
    assert director.locator("a[href='/children/cases/']").count() >= 1  # on the work list
    director.goto(f"{base}/children/cases/{case.pk}/")
    director.select_option("#id_refer-department", "education")
    director.fill("#id_refer-note", "请学校安排午餐和课后看护")
    director.click("#action-refer button")
    director.wait_for_selector(".flash")
    case.refresh_from_db()
    assert case.state == "referred" and case.due_on is not None
    director.fill("#id_close-outcome", "学校已安排午餐和课后看护，祖母回家照顾")
    director.click("#action-close button")
    director.wait_for_selector(".flash")
    case.refresh_from_db()
    assert case.state == "closed"
    assert director.inner_text("#case-state").strip() == str(case.get_state_display())


def test_supervisor_sees_villages_at_a_glance(live_server: Any, browser: Any,
                                              people: dict[str, User]) -> None:
    _children(people)
    base = live_server.url
    page = login(browser, base, people["supervisor"])
    page.goto(f"{base}/children/")
    row = page.locator(f"tr[data-village='{VILLAGE_A}']")
    text = row.inner_text()
    assert "⚠ 2" in text  # two unsigned confirmations, two overdue visits
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1
