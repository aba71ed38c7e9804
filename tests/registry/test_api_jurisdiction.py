"""A clerk of township A cannot reach township B's records through the API by any path:
outside the caller's areas is 404, exactly like a record that does not exist."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import VILLAGE_B, make_household
from tests.registry.test_api import Api, errors

MISSING = 999_999


@pytest.fixture
def b_household(clerk_b) -> Any:
    return make_household(clerk_b, village=VILLAGE_B, name="郑十一", members=1)


def not_found(response: Any) -> bool:
    return response.status_code == 404 and response.json() == {
        "errors": [{"field": "__all__", "message": "在您负责的区域内未找到。"}]}


def test_reading_another_townships_household_is_404_like_a_missing_one(clerk, b_household):
    api = Api(clerk)
    assert not_found(api.get(f"/households/{b_household.pk}"))
    assert api.get(f"/households/{b_household.pk}").content == (
        api.get(f"/households/{MISSING}").content)


def test_another_townships_household_cannot_be_changed(clerk, b_household) -> None:
    api, pk = Api(clerk), b_household.pk
    member = b_household.members.get(relation="child")
    assert not_found(api.patch(f"/households/{pk}", {"address": "改"}))
    assert not_found(api.post(f"/households/{pk}/members",
                              {"name": "新", "relation": "child", "birth_date": "2020-01-01",
                               "sex": "M"}))
    assert not_found(api.post(f"/households/{pk}/split",
                              {"member_ids": [member.pk], "head_id": member.pk}))
    assert not_found(api.post(f"/households/{pk}/merge", {"target_household_id": pk}))
    b_household.refresh_from_db()
    assert b_household.address == "东村1组" and b_household.members.count() == 2


def test_another_townships_person_cannot_be_changed(clerk, b_household) -> None:
    api, own = Api(clerk), make_household(clerk)
    person = b_household.members.get(relation="child")
    assert not_found(api.patch(f"/persons/{person.pk}", {"name": "改"}))
    assert not_found(api.post(f"/persons/{person.pk}/move",
                              {"target_household_id": own.pk, "relation": "other"}))
    assert not_found(api.post(f"/persons/{person.pk}/deceased", {"deceased_on": "2024-01-01"}))
    person.refresh_from_db()
    assert (person.name, person.household_id, person.deceased_on) == (
        "郑十一家0", b_household.pk, None)


def test_searching_by_another_townships_id_number_finds_nothing(clerk, b_household) -> None:
    api, id_number = Api(clerk), b_household.members.get(relation="head").id_number
    assert api.get("/persons", q=id_number).json() == []
    assert api.get("/persons", q="郑十一").json() == []
    assert api.get("/households", q=id_number).json()["count"] == 0
    assert api.get("/households", q=b_household.number).json()["count"] == 0


def test_the_list_holds_only_households_in_the_callers_areas(clerk, b_household) -> None:
    own = make_household(clerk)
    body = Api(clerk).get("/households").json()
    assert [h["id"] for h in body["items"]] == [own.pk]
    assert Api(clerk).get("/households", area=VILLAGE_B).json()["count"] == 0


def test_another_townships_household_as_a_target_is_unknown(clerk, b_household) -> None:
    api, own = Api(clerk), make_household(clerk, members=1)
    child = own.members.get(relation="child")
    outside = api.post(f"/persons/{child.pk}/move",
                       {"target_household_id": b_household.pk, "relation": "other"})
    missing = api.post(f"/persons/{child.pk}/move",
                       {"target_household_id": MISSING, "relation": "other"})
    assert outside.status_code == missing.status_code == 422
    assert list(errors(outside)) == list(errors(missing)) == ["target_household_id"]
    merge = api.post(f"/households/{own.pk}/merge", {"target_household_id": b_household.pk})
    assert merge.status_code == 422 and "target_household_id" in errors(merge)


def test_county_approver_reads_every_township_but_cannot_write(approver, b_household):
    api = Api(approver)
    assert api.get(f"/households/{b_household.pk}").status_code == 200
    response = api.patch(f"/households/{b_household.pk}", {"address": "改"})
    assert response.status_code == 403
    assert list(errors(response)) == ["__all__"]
