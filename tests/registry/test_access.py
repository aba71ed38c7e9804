"""Masking with audited reveal, and children's records closed to other roles."""

from datetime import date

import pytest
from django.urls import reverse

from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.registry import services
from tests.conftest import TOWN_A, VILLAGE_A, make_household, make_user, new_id

CHILD_ID = "320722201803150021"


@pytest.fixture
def family(clerk):
    household = make_household(clerk, name="何大", id_number="320722198001010014",
                               phone="13912345678")
    services.add_person(Actor.of(clerk), household, {"name": "何小妹", "id_number": CHILD_ID,
                                                     "relation": "child"})
    return household


def test_household_view_is_audited(client, clerk, family) -> None:
    client.force_login(clerk)
    client.get(reverse("registry:household", args=[family.pk]))
    event = AuditEvent.objects.get(action="view_household")
    assert event.username == "clerk_a" and event.object_id == str(family.pk)


def test_reveal_needs_a_reason_and_is_audited(client, clerk, family) -> None:
    client.force_login(clerk)
    head = family.members.get(relation="head")
    url = reverse("registry:reveal_person", args=[head.pk, "id_number"])
    assert "320722198001010014" not in client.post(url, {"reason": ""}).content.decode()
    page = client.post(url, {"reason": "核对银行开户信息"}).content.decode()
    assert "320722198001010014" in page
    event = AuditEvent.objects.get(action="reveal")
    assert event.detail == {"field": "id_number", "reason": "核对银行开户信息"}


def test_roles_without_the_permission_cannot_reveal(client, county, family) -> None:
    village = make_user("vw", Role.VILLAGE, county[VILLAGE_A])
    client.force_login(village)
    head = family.members.get(relation="head")
    url = reverse("registry:reveal_person", args=[head.pk, "id_number"])
    assert "320722198001010014" not in client.post(url, {"reason": "想看看"}).content.decode()
    assert not AuditEvent.objects.filter(action="reveal").exists()


def test_child_under_14_is_closed_to_a_clerk(client, clerk, family) -> None:
    client.force_login(clerk)
    page = client.get(reverse("registry:household", args=[family.pk])).content.decode()
    assert "何小妹" not in page and "何大" in page
    child = family.members.get(relation="child")
    assert client.get(reverse("registry:person_edit", args=[family.pk, child.pk])).status_code \
        == 403
    results = client.post(reverse("registry:search"), {"q": CHILD_ID}).content.decode()
    assert "何小妹" not in results


def test_child_director_opens_the_childs_record_and_the_view_is_audited(client, county,
                                                                        family) -> None:
    director = make_user("cd", Role.CHILD_DIRECTOR, county[VILLAGE_A])
    client.force_login(director)
    page = client.get(reverse("registry:household", args=[family.pk])).content.decode()
    assert "何小妹" in page
    child = family.members.get(relation="child")
    event = AuditEvent.objects.get(action="view_household", username="cd")
    assert event.detail == {"minors": [child.pk]}


def test_fourteen_year_old_is_no_longer_closed(clerk, county) -> None:
    from safetynet.registry.access import can_open

    household = make_household(clerk, name="满十四", id_number=new_id(date(2000, 1, 1)))
    teen = services.add_person(Actor.of(clerk), household, {
        "name": "少年", "id_number": new_id(date(2010, 6, 1)), "relation": "child"})
    assert not can_open(clerk, teen, date(2024, 5, 31))
    assert can_open(clerk, teen, date(2024, 6, 1))


def test_township_officer_also_sees_masked_numbers(client, county, family) -> None:
    officer = make_user("off", Role.OFFICER, county[TOWN_A])
    client.force_login(officer)
    page = client.get(reverse("registry:household", args=[family.pk])).content.decode()
    assert "320722********0014" in page
    assert "320722198001010014" not in page and "13912345678" not in page


def test_api_leaves_out_children_under_14_for_a_clerk(client, clerk, family) -> None:
    client.force_login(clerk)
    body = client.get(f"/api/v1/registry/households/{family.pk}").json()
    assert [m["name"] for m in body["members"]] == ["何大"] and body["closed_members"] == 1
    child = family.members.get(relation="child")
    response = client.post(f"/api/v1/registry/persons/{child.pk}/deceased",
                           {"deceased_on": "2024-01-01"}, content_type="application/json")
    assert response.status_code == 403
