from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safetynet.core.actor import Actor
from safetynet.registry import services
from tests.conftest import VILLAGE_A, VILLAGE_B, make_household, new_id


@pytest.fixture
def other_household(clerk_b):
    return make_household(clerk_b, village=VILLAGE_B, name="外乡人", id_number="320722199001010019")


def test_login_page_is_chinese_by_default(client, db) -> None:
    response = client.get(reverse("login"))
    assert "登录" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client, db) -> None:
    response = client.get(reverse("registry:search"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_search_finds_by_name_id_and_household_number(client, clerk) -> None:
    household = make_household(clerk, name="孙悟空", id_number="320722201003150023")
    client.force_login(clerk)
    for text in ("孙悟", "320722201003150023", household.number):
        page = client.post(reverse("registry:search"), {"q": text},
                           headers={"HX-Request": "true"}).content.decode()
        assert "孙悟空" in page, text
        assert "320722201003150023" not in page and "320722********0023" in page


def test_clerk_cannot_open_another_townships_household_by_url(client, clerk, other_household):
    client.force_login(clerk)
    assert client.get(reverse("registry:household", args=[other_household.pk])).status_code == 404
    person = other_household.members.get()
    assert client.get(reverse("registry:person_edit",
                              args=[other_household.pk, person.pk])).status_code == 404
    assert client.get(reverse("registry:person_deceased", args=[person.pk])).status_code == 404


def test_clerk_cannot_find_another_townships_person_by_search(client, clerk, other_household):
    client.force_login(clerk)
    for text in ("外乡", "320722199001010019", other_household.number):
        assert "外乡人" not in client.post(reverse("registry:search"), {"q": text}).content.decode()


def test_household_page_query_count_does_not_grow_with_members(client, clerk) -> None:
    small = make_household(clerk, name="小家", members=1)
    big = make_household(clerk, name="大家", members=8)
    client.force_login(clerk)
    counts = []
    for household in (small, big):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("registry:household", args=[household.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_household_page_shows_members_and_history(client, clerk) -> None:
    household = make_household(clerk, name="周八", members=2)
    person = household.members.exclude(relation="head").first()
    services.update_person(Actor.of(clerk), person, {"phone": "13800001111"})
    client.force_login(clerk)
    page = client.get(reverse("registry:household", args=[household.pk])).content.decode()
    assert "周八家0" in page and "周八家1" in page
    assert "clerk_a" in page  # who changed it
    assert "138****1111" in page and "13800001111" not in page


def test_add_member_with_wrong_id_shows_inline_error_then_saves(client, clerk) -> None:
    household = make_household(clerk, name="吴九")
    client.force_login(clerk)
    url = reverse("registry:person_add", args=[household.pk])
    data = {"name": "吴小九", "id_number": "320722201003150024", "relation": "child",
            "self_care": "full"}
    page = client.post(url, data).content.decode()
    assert "第18位校验码应为 3" in page or "should be 3" in page
    assert household.members.count() == 1
    response = client.post(url, {**data, "id_number": "320722201003150023"})
    assert response.status_code == 302
    assert household.members.count() == 2


def test_create_household_through_the_form(client, clerk) -> None:
    client.force_login(clerk)
    response = client.post(reverse("registry:household_create"), {
        "hh-area_code": VILLAGE_A, "hh-hukou": "rural", "hh-address": "东村2组5号",
        "head-name": "郑十", "head-id_number": new_id(date(1950, 6, 1)), "head-self_care": "full",
    })
    assert response.status_code == 302


def test_language_switch_to_english(client, clerk) -> None:
    client.force_login(clerk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Work list" in client.get(reverse("home")).content.decode()


def test_english_browser_still_gets_chinese_until_the_user_switches(client, db) -> None:
    page = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "登录" in page.content.decode()


def test_refused_and_missing_pages_explain_themselves_in_chinese(client, county) -> None:
    from safetynet.accounts.roles import Role
    from tests.conftest import COUNTY, make_user

    client.force_login(make_user("prov", Role.PROVIDER, county[COUNTY]))
    refused = client.get(reverse("registry:search"))
    assert refused.status_code == 403 and "返回待办事项" in refused.content.decode()
    missing = client.get("/registry/households/999999/")
    assert missing.status_code in (403, 404)
