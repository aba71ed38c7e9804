"""A clerk opens a household and sees each programme's amount with its explanation in
Chinese (active once registry/household.html includes registry/_benefits.html)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

import safetynet

PAGE = Path(safetynet.__file__).parent / "templates" / "registry" / "household.html"
pytestmark = pytest.mark.skipif("registry/_benefits.html" not in PAGE.read_text(),
                                reason="the household page does not include the benefits yet")


def test_a_clerk_sees_amounts_and_explanations_in_chinese(registry, clerk) -> None:
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/registry/households/{registry['dibao'].pk}/").content.decode()
    assert "低保标准 650 元 × 3 人 − 家庭月收入 700 元 = 1,250 元" in page


def test_a_clerk_of_another_township_cannot_see_them(registry, clerk) -> None:
    client = Client()
    client.force_login(clerk)
    assert client.get(f"/registry/households/{registry['elder'].pk}/").status_code == 404
