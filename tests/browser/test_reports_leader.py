"""A leader, untrained, on a phone: opens Statistics from the navigation, chooses August
2022, reads how much rural dibao one township was paid, and clicks the number to see who
got it (the drill-down list)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from tests.browser.conftest import login
from tests.conftest import COUNTY, VILLAGE_A, VILLAGE_B, make_household, make_user
from tests.reports.conftest import paid_line  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUG, JUL = date(2022, 8, 1), date(2022, 7, 1)


def test_leader_finds_rural_dibao_of_a_township_in_august(live_server: Any, browser: Any,
                                                         clerk: Any, clerk_b: Any,
                                                         county: Any, paid_line: Any) -> None:  # noqa: F811
    from django.core.cache import cache

    from safetynet.accounts.roles import Role

    cache.clear()
    leader = make_user("leader_c", Role.LEADER, county[COUNTY])
    a = make_household(clerk, village=VILLAGE_A, name="王小明", members=1)
    b = make_household(clerk_b, village=VILLAGE_B, name="赵五", members=2)
    paid_line(a, "dibao", AUG, "650.00", persons=2)
    paid_line(b, "dibao", JUL, "1200.00", persons=3)
    paid_line(b, "dibao", AUG, "1300.00", persons=3)
    base = live_server.url
    page = login(browser, base, leader)
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.get_by_role("link", name=re.compile("统计")).first.click()
    page.wait_for_url(re.compile(r".*/reports/dashboard/leader/.*"))
    page.fill("#id_from", "2022-08")
    page.fill("#id_to", "2022-08")
    page.click("form.dash-form button.primary")
    page.wait_for_url(re.compile(r".*from=2022-08&to=2022-08.*"))

    cell = page.locator('#dash-townships-table tr[data-area="320722101"] '
                        'a[data-figure="dibao_rural"]')
    assert cell.inner_text().strip() == "1,300.00"
    row = page.locator('#dash-townships-table tr[data-area="320722101"]')
    assert "白塔埠镇" in row.inner_text()
    page.locator("div.chart canvas").first.wait_for()  # the charts draw under the CSP
    assert not problems, problems

    with page.expect_response(lambda r: "/reports/records/" in r.url) as answer:
        cell.click()
    response = answer.value
    assert response.url == (f"{base}/reports/records/dibao_rural/"
                            "?from=2022-08&to=2022-08&area=320722101")
    assert response.status == 200
    page.wait_for_url(re.compile(r".*/reports/records/dibao_rural/\?.*"))
    listed = page.inner_text("main")
    assert "赵*" in listed and "1300.00" in listed.replace(",", "")  # who, masked, and how much
    assert "王" not in listed  # the other township's household is not on this list
    page.context.close()
