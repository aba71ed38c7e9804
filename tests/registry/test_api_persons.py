"""Registry API, persons: search, edit, move, mark deceased."""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import make_household
from tests.registry.test_api import MASKED_ID_NUMBER, Api, errors


def test_search_by_name_prefix_id_number_and_phone(clerk) -> None:
    household = make_household(clerk, name="孙八", phone="13811112222", members=1)
    head = household.members.get(relation="head")
    api = Api(clerk)
    by_name = api.get("/persons", q="孙八").json()
    assert [p["name"] for p in by_name] == ["孙八", "孙八家0"]
    [by_id] = api.get("/persons", q=head.id_number).json()
    assert by_id["id"] == head.pk and MASKED_ID_NUMBER.match(by_id["id_number"])
    assert [p["id"] for p in api.get("/persons", q="13811112222").json()] == [head.pk]
    assert api.get("/persons", q="").json() == []


def test_patch_person_changes_only_the_fields_sent(clerk) -> None:
    head = make_household(clerk).members.get()
    response = Api(clerk).patch(f"/persons/{head.pk}", {
        "phone": "13698765432", "disability_category": "physical", "disability_grade": 2})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["phone"], body["disability_category"], body["disability_grade"]) == (
        "136****5432", "physical", 2)
    head.refresh_from_db()
    assert (head.name, head.phone, head.disability_grade) == ("张三", "13698765432", 2)
    assert head.history.first().history_user == clerk


def test_move_person_into_another_household(clerk) -> None:
    source = make_household(clerk, name="周九", members=1)
    target = make_household(clerk, name="吴十")
    child = source.members.get(relation="child")
    response = Api(clerk).post(f"/persons/{child.pk}/move",
                               {"target_household_id": target.pk, "relation": "other"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["household_id"], body["household_number"], body["relation"]) == (
        target.pk, target.number, "other")


def test_moving_a_head_with_members_left_behind_is_refused(clerk) -> None:
    source, target = make_household(clerk, name="周九", members=1), make_household(clerk)
    head = source.members.get(relation="head")
    response = Api(clerk).post(f"/persons/{head.pk}/move",
                               {"target_household_id": target.pk, "relation": "other"})
    assert response.status_code == 422
    assert source.number in errors(response)["relation"]


def test_mark_deceased(clerk) -> None:
    head = make_household(clerk).members.get()
    response = Api(clerk).post(f"/persons/{head.pk}/deceased", {"deceased_on": "2024-03-01"})
    assert response.status_code == 200, response.content
    assert response.json()["deceased_on"] == "2024-03-01"
    head.refresh_from_db()
    assert head.deceased_on == date(2024, 3, 1)


def test_date_of_death_in_the_future_is_a_field_error(clerk) -> None:
    head = make_household(clerk).members.get()
    tomorrow = date.today() + timedelta(days=1)
    response = Api(clerk).post(f"/persons/{head.pk}/deceased", {"deceased_on": str(tomorrow)})
    assert response.status_code == 422
    assert list(errors(response)) == ["deceased_on"]


def test_new_member_with_an_id_number_already_registered_is_refused_masked(clerk) -> None:
    household = make_household(clerk)
    taken = household.members.get().id_number
    response = Api(clerk).post(f"/households/{household.pk}/members",
                               {"name": "别人", "id_number": taken, "relation": "other"})
    assert response.status_code == 422
    message = errors(response)["id_number"]
    assert household.number in message
    assert f"{taken[:6]}********{taken[-4:]}" in message  # Api checks nothing is whole


def test_new_member_without_id_number_needs_birth_date_and_sex(clerk) -> None:
    household = make_household(clerk)
    response = Api(clerk).post(f"/households/{household.pk}/members",
                               {"name": "无证", "relation": "child"})
    assert response.status_code == 422
    assert set(errors(response)) == {"birth_date", "sex"}
    ok = Api(clerk).post(f"/households/{household.pk}/members", {
        "name": "无证", "relation": "child", "birth_date": "2019-04-05", "sex": "F"})
    assert ok.status_code == 201 and ok.json()["id_number"] == ""
