"""A township window clerk's first minutes with SafetyNet, on a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_household

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "Test-pass-2022")
    page.click("button.primary")
    page.wait_for_url(f"{base}/")


def test_clerk_finds_household_adds_member_and_switches_language(
        live_server: Any, page: Any, clerk: Any) -> None:
    household = make_household(clerk, name="欧阳明", members=1)
    base = live_server.url
    login(page, base, "clerk_a")
    assert "待办" in page.content()

    page.goto(f"{base}/registry/")
    page.fill("main input[name=q]", "欧阳")
    page.get_by_role("link", name="欧阳明", exact=True).click()
    page.wait_for_url(f"**/households/{household.pk}/")
    assert page.locator("table.members tbody tr").count() == 2

    page.click("text=添加成员")
    page.fill("#id_name", "欧阳小红")
    page.fill("#id_id_number", "320722201003150024")
    page.select_option("#id_relation", "child")
    page.click("#person-form button.primary")
    error = page.locator("#person-form .error")
    error.wait_for()
    assert "第18位校验码应为 3" in error.inner_text()

    page.fill("#id_id_number", "320722201003150023")
    page.click("#person-form button.primary")
    page.wait_for_url(f"**/households/{household.pk}/")
    assert page.locator("table.members tbody tr").count() == 3
    assert "欧阳小红" in page.content()
    assert "320722201003150023" not in page.content()

    page.click("button[value=en]")
    page.wait_for_load_state()
    assert "Members" in page.content()
