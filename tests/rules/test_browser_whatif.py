"""A leader asks "what if the dibao standard were 700?" in a real browser and reads the cost
by township, with the chart drawn under the site's Content-Security-Policy.

Playwright runs in a thread of its own, so that this test may share a process with the
session-wide browser of tests/browser (the sync API allows one per thread).
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.rules.conftest import add_household, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_what_if(base: str, username: str) -> tuple[str, list[str]]:
    """Log in, ask for dibao.standard = 700, wait for the chart; (page text, console errors)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` as root")
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1024, "height": 800}, locale="zh-CN")
        page.set_default_timeout(20_000)
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{base}/login/")
        page.fill("#id_username", username)
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
        browser.close()
    return text, problems


def test_leader_runs_what_if_and_sees_the_chart(live_server: Any, clerk: Any, clerk_b: Any,
                                                leader: Any) -> None:
    add_household(clerk, [member(income=300), member(income=400), member()])
    add_household(clerk_b, [member(income=700)], village="320722101201")
    with ThreadPoolExecutor(max_workers=1) as pool:
        text, problems = pool.submit(run_what_if, live_server.url, leader.username).result()
    assert "牛山镇" in text and "白塔埠镇" in text
    assert "+1,800" in text  # (700 × 3 − 700) − 1,250 = +150 a month, +1,800 a year
    assert not problems, problems
