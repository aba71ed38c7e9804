"""A leader asks "what if the dibao standard were 700?" in a real browser and reads the cost
by township, with the chart drawn under the site's Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import COUNTY, make_user
from tests.rules.conftest import add_household, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_runs_what_if_and_sees_the_chart(live_server: Any, page: Any, clerk: Any,
                                                clerk_b: Any, county: Any) -> None:
    from safetynet.accounts.roles import Role

    leader = make_user("leader_c", Role.LEADER, county[COUNTY])
    add_household(clerk, [member(income=300), member(income=400), member()])
    add_household(clerk_b, [member(income=700)], village="320722101201")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_viewport_size({"width": 1024, "height": 800})
    page.set_default_timeout(20_000)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.fill("#id_username", leader.username)
    page.fill("#id_password", "Test-pass-2022")
    page.click("button.primary")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/rules/whatif/")
    page.fill("#id_on", "2022-09-01")
    page.select_option("#id_set-0-parameter", "dibao.standard")
    page.fill("#id_set-0-value", "700")
    page.click("form.whatif button.primary")
    page.wait_for_url("**/rules/whatif/*/")
    page.locator("div.chart canvas").first.wait_for()
    text = page.inner_text("main")
    assert "牛山镇" in text and "白塔埠镇" in text
    assert "+1,800" in text  # (700 × 3 − 700) − 1,250 = +150 a month, +1,800 a year
    assert not problems, problems
