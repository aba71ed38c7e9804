"""The export screen: only one's own areas, masked unless asked (and recorded)."""

from __future__ import annotations

import io
from datetime import date

import python_calamine
from django.urls import reverse

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.registry import services
from tests.conftest import (
    VILLAGE_A,
    VILLAGE_B,
    login_verified,
    make_household,
    make_user,
    new_id,
)
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


def test_full_numbers_need_a_reason_and_are_recorded(client, clerk) -> None:
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    client.force_login(clerk)
    refused = client.get(reverse("registry:export"), {"download": "1", "unmasked": "on"})
    assert "attachment" not in refused.get("Content-Disposition", "")
    assert ID_MAN in repr(download(client, unmasked="on", reason="迁移到新系统"))
    event = AuditEvent.objects.get(action="registry_export")
    assert event.detail["masked"] is False and event.detail["reason"] == "迁移到新系统"


def test_another_townships_area_cannot_be_chosen(client, clerk) -> None:
    client.force_login(clerk)
    response = client.get(reverse("registry:export"), {"download": "1", "area": VILLAGE_B})
    assert response.status_code == 200 and "attachment" not in response.get(
        "Content-Disposition", "")


def test_roles_that_may_not_reveal_get_masked_numbers_only(client, clerk, county) -> None:
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    client.force_login(make_user("village_a", Role.VILLAGE, county[VILLAGE_A]))
    assert 'name="unmasked"' not in client.get(reverse("registry:export")).content.decode()
    assert ID_MAN not in repr(download(client, unmasked="on", reason="想看全号"))


def test_approvers_in_the_county_export_every_township(client, approver, clerk, clerk_b):
    make_household(clerk, name="本镇人", id_number=ID_MAN)
    make_household(clerk_b, village=VILLAGE_B, name="外镇人", id_number=ID_WOMAN)
    login_verified(client, approver)
    text = repr(download(client))
    assert "本镇人" in text and "外镇人" in text


def test_children_under_14_are_left_out_unless_one_works_with_children(
        client, clerk, county) -> None:
    household = make_household(clerk, name="家长", id_number=ID_MAN)
    services.add_person(Actor.of(clerk), household, {"name": "小孩", "relation": "child",
                                                     "id_number": new_id(date.today().replace(
                                               year=date.today().year - 5, day=1))})
    client.force_login(clerk)
    assert "小孩" not in repr(download(client))
    client.force_login(make_user("childdir_a", Role.CHILD_DIRECTOR, county[VILLAGE_A]))
    assert "小孩" in repr(download(client))
