"""On a 375-px phone the header keeps the user's name and role, and the module bar shows
that it scrolls sideways to more modules (issue #22)."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.accounts.roles import Role
from tests.browser.conftest import login
from tests.conftest import COUNTY, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_phone_header_names_the_user_and_the_bar_shows_more(browser: Any, live_server: Any,
                                                                county: dict) -> None:
    officer = make_user("officer_phone", Role.OFFICER, county[COUNTY])
    officer.display_name = "李明"
    officer.save()
    page = login(browser, live_server.url, officer)
    who = page.locator(".userbox .who")
    assert who.is_visible() and "李明" in who.inner_text() and "民政" in who.inner_text()
    bar = page.locator("nav.modules")
    widths = bar.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert widths[0] > widths[1], "on a phone the bar holds more than it shows"
    background = bar.evaluate("el => getComputedStyle(el).backgroundImage")
    assert background.count("linear-gradient") == 4  # the edge shadows
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    bar.evaluate("el => el.scrollBy(1000, 0)")
    bar.locator("a").last.click()
    assert page.url != f"{live_server.url}/"
