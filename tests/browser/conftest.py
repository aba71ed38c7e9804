"""Playwright with Debian's Chromium (Playwright's own browser download is not used)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetynet.accounts.models import User

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run `make browser-deps` as root")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def login(browser: Any, base: str, user: User) -> Any:
    """A fresh phone-sized browser page logged in as ``user`` (with TOTP when required)."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "Test-pass-2022")
    page.click("button.primary")
    if user.otp_required:
        device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
        page.wait_for_url("**/otp/**")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.fill("#id_token", f"{code:0{device.digits}d}")
        page.click("button.primary")
    page.wait_for_url(f"{base}/")
    return page
