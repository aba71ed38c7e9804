"""The export screen: only one's own areas, masked unless asked (and recorded)."""

from __future__ import annotations

import io

import python_calamine
from django.urls import reverse

from safetynet.core.models import AuditEvent
from tests.conftest import VILLAGE_B, login_verified, make_household
from tests.registry.test_import import ID_MAN, ID_WOMAN


def download(client, **params: str) -> list[list[object]]:
    response = client.get(reverse("registry:export"), {"download": "1", **params})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    return python_calamine.CalamineWorkbook.from_filelike(
        io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_export_page_shows_the_form(client, clerk) -> None:
    client.force_login(clerk)
    page = client.get(reverse("registry:export")).content.decode()
    assert 'name="area"' in page and 'name="unmasked"' in page


def test_the_export_is_masked_and_limited_to_the_township(client, clerk, clerk_b) -> None:
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    make_household(clerk_b, village=VILLAGE_B, name="外镇人", id_number=ID_WOMAN)
    client.force_login(clerk)
    rows = download(client)
    text = repr(rows)
    assert "本镇人" in text and "外镇人" not in text
    assert ID_MAN not in text and "320722********0019" in text
    event = AuditEvent.objects.get(action="registry_export")
    assert event.detail["masked"] is True and event.detail["rows"] == 1


def test_editors_may_ask_for_full_numbers(client, clerk) -> None:
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    client.force_login(clerk)
    assert ID_MAN in repr(download(client, unmasked="on"))
    assert AuditEvent.objects.get(action="registry_export").detail["masked"] is False


def test_another_townships_area_cannot_be_chosen(client, clerk) -> None:
    client.force_login(clerk)
    response = client.get(reverse("registry:export"), {"download": "1", "area": VILLAGE_B})
    assert response.status_code == 200 and "attachment" not in response.get(
        "Content-Disposition", "")


def test_readers_get_masked_numbers_only(client, approver, clerk) -> None:
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    login_verified(client, approver)
    assert 'name="unmasked"' not in client.get(reverse("registry:export")).content.decode()
    assert ID_MAN not in repr(download(client, unmasked="on"))
