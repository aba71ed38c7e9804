"""A clerk opens a household and sees each programme's amount with its explanation in
Chinese (the rules app's panel on the registry's household page)."""

from __future__ import annotations

from django.test import Client


def test_a_clerk_sees_amounts_and_explanations_in_chinese(registry, clerk) -> None:
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/registry/households/{registry['dibao'].pk}/").content.decode()
    assert "低保标准 650 元 × 3 人 − 家庭月收入 700 元 = 1,250 元" in page


def test_a_clerk_of_another_township_cannot_see_them(registry, clerk) -> None:
    client = Client()
    client.force_login(clerk)
    assert client.get(f"/registry/households/{registry['elder'].pk}/").status_code == 404
