"""Registry API, households: list, detail, create, edit, members, split, merge.

``Api`` (also used by the other test_api_* modules) calls the API as another system
would, with a bearer token, and checks that no response ever carries a whole ID number.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safetynet.accounts.models import User
from safetynet.registry.models import Asset, Household, IncomeItem, Person, RigidExpense
from tests.conftest import VILLAGE_A, VILLAGE_A2, issue_token, make_household, new_id

URL = "/api/v1/registry"
Response = Any  # the test client's response, with .json()
# A whole ID number: 17 digits and a check character, not part of a longer number.
FULL_ID_NUMBER = re.compile(rb"(?<![0-9Xx])[0-9]{17}[0-9Xx](?![0-9Xx])")
MASKED_ID_NUMBER = re.compile(r"^\d{6}\*{8}\d{3}[\dX]$")


class Api:
    """The registry API seen by a system holding ``user``'s token (or no token)."""

    def __init__(self, user: User | None = None, client: Client | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.client = client or Client()
        self.headers = dict(headers or {})
        if user is not None:
            self.headers["Authorization"] = f"Bearer {issue_token(user)}"

    def get(self, path: str, **params: Any) -> Response:
        return checked(self.client.get(URL + path, query_params=params, headers=self.headers))

    def post(self, path: str, body: Any) -> Response:
        return self._send("post", path, body)

    def patch(self, path: str, body: Any) -> Response:
        return self._send("patch", path, body)

    def _send(self, method: str, path: str, body: Any) -> Response:
        send = getattr(self.client, method)
        return checked(send(URL + path, json.dumps(body, default=str),
                            content_type="application/json", headers=self.headers))


def checked(response: Response) -> Response:
    assert not FULL_ID_NUMBER.search(response.content), response.content
    return response


def errors(response: Response) -> dict[str, str]:
    """{field: message} of an error response."""
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def new_household_body(**head: Any) -> dict[str, Any]:
    return {"area_code": VILLAGE_A, "hukou": "rural", "address": "东村3组8号",
            "phone": "13812345678", "bank_name": "农商银行",
            "bank_account": "6228480012345678903",
            "head": {"name": "钱七", "id_number": new_id(date(1970, 5, 6)), **head}}


# --- list -----------------------------------------------------------------------------


def test_list_is_paginated_in_household_number_order(clerk) -> None:
    numbers = [make_household(clerk, name=f"户{i}").number for i in range(3)]
    first = Api(clerk).get("/households", page_size=2).json()
    second = Api(clerk).get("/households", page_size=2, page=2).json()
    assert (first["count"], first["page"], first["page_size"]) == (3, 1, 2)
    assert [h["number"] for h in first["items"] + second["items"]] == numbers
    assert second["page"] == 2 and len(second["items"]) == 1


def test_list_searches_like_the_web_ui_and_narrows_by_area(clerk) -> None:
    zhang = make_household(clerk, name="张三", members=1)
    li = make_household(clerk, village=VILLAGE_A2, name="李四")
    api = Api(clerk)
    member_id = zhang.members.exclude(relation="head").get().id_number
    assert [h["id"] for h in api.get("/households", q="李").json()["items"]] == [li.pk]
    assert [h["id"] for h in api.get("/households", q=member_id).json()["items"]] == [zhang.pk]
    assert [h["id"] for h in api.get("/households", area=VILLAGE_A2).json()["items"]] == [li.pk]
    assert api.get("/households", q="王").json() == {"count": 0, "page": 1, "page_size": 20,
                                                     "items": []}


# --- detail ---------------------------------------------------------------------------


def test_detail_shows_every_member_with_ids_phones_and_accounts_masked(clerk) -> None:
    household = make_household(clerk, members=2, phone="13900001111")
    Household.objects.filter(pk=household.pk).update(phone="13812345678",
                                                      bank_account="6228480012345678903")
    body = Api(clerk).get(f"/households/{household.pk}").json()
    assert body["number"] == household.number and body["area_name"] == "东村"
    assert (body["phone"], body["bank_account"]) == ("138****5678", "**** 8903")
    assert len(body["members"]) == 3
    assert all(MASKED_ID_NUMBER.match(m["id_number"]) for m in body["members"])
    head = next(m for m in body["members"] if m["relation"] == "head")
    assert head["phone"] == "139****1111"
    assert head["household_number"] == household.number


def test_detail_shows_incomes_assets_and_rigid_expenditures_in_yuan(clerk) -> None:
    household = make_household(clerk)
    IncomeItem.objects.create(person=household.members.get(), kind="wages",
                              monthly_amount="1200.5")
    Asset.objects.create(household=household, kind="deposit", value="8000")
    RigidExpense.objects.create(household=household, kind="medical", monthly_amount="300")
    body = Api(clerk).get(f"/households/{household.pk}").json()
    assert body["members"][0]["incomes"] == [
        {"kind": "wages", "monthly_amount": "1200.50", "note": ""}]
    assert body["assets"] == [{"kind": "deposit", "value": "8000.00", "note": ""}]
    assert body["rigid_expenses"] == [{"kind": "medical", "monthly_amount": "300.00", "note": ""}]


def test_list_and_detail_queries_do_not_grow_with_the_data(clerk) -> None:
    small, large = make_household(clerk, name="小"), make_household(clerk, name="大", members=6)
    api = Api(clerk)
    assert query_count(api, f"/households/{small.pk}") == query_count(
        api, f"/households/{large.pk}")
    one_page = query_count(api, "/households")
    for i in range(4):
        make_household(clerk, name=f"多{i}")
    assert query_count(api, "/households") == one_page


def query_count(api: Api, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(path).status_code == 200
    return len(queries)


# --- create and edit ------------------------------------------------------------------


def test_create_household_with_its_head(clerk) -> None:
    response = Api(clerk).post("/households", new_household_body())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == f"{VILLAGE_A}00001"
    [head] = body["members"]
    assert (head["name"], head["relation"], head["sex"]) == ("钱七", "head", "M")
    assert head["birth_date"] == "1970-05-06"  # filled from the ID number
    household = Household.objects.get(pk=body["id"])
    assert household.bank_account == "6228480012345678903"  # stored whole, shown masked
    assert household.history.get().history_user == clerk


def test_patch_household_changes_only_the_fields_sent(clerk) -> None:
    household = make_household(clerk)
    response = Api(clerk).patch(f"/households/{household.pk}",
                                {"phone": "13700001234", "hukou": "urban"})
    assert response.status_code == 200, response.content
    assert (response.json()["phone"], response.json()["hukou"]) == ("137****1234", "urban")
    household.refresh_from_db()
    assert (household.phone, household.hukou, household.address) == (
        "13700001234", "urban", "东村1组")


def test_patch_household_area_moves_its_members(clerk) -> None:
    household = make_household(clerk, members=1)
    response = Api(clerk).patch(f"/households/{household.pk}", {"area_code": VILLAGE_A2})
    assert response.status_code == 200, response.content
    assert {m["area_code"] for m in response.json()["members"]} == {VILLAGE_A2}
    assert set(household.members.values_list("area_id", flat=True)) == {VILLAGE_A2}


def test_add_member(clerk) -> None:
    household = make_household(clerk)
    response = Api(clerk).post(f"/households/{household.pk}/members", {
        "name": "钱小妹", "id_number": new_id(date(2012, 8, 1), male=False),
        "relation": "child", "education": "primary"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["relation"], body["sex"], body["education"]) == ("child", "F", "primary")
    assert body["household_id"] == household.pk
    assert household.members.count() == 2


# --- split and merge ------------------------------------------------------------------


def test_split_moves_the_chosen_members_into_a_new_household(clerk) -> None:
    household = make_household(clerk, members=2)
    leaving = list(household.members.exclude(relation="head").order_by("pk"))
    response = Api(clerk).post(f"/households/{household.pk}/split", {
        "member_ids": [p.pk for p in leaving], "head_id": leaving[0].pk, "address": "东村5组"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"] != household.pk and body["address"] == "东村5组"
    assert {m["id"]: m["relation"] for m in body["members"]} == {
        leaving[0].pk: "head", leaving[1].pk: "child"}
    assert household.members.count() == 1


def test_merge_moves_every_member_and_dissolves_the_household(clerk) -> None:
    source, target = make_household(clerk, name="甲", members=1), make_household(clerk, name="乙")
    response = Api(clerk).post(f"/households/{source.pk}/merge",
                               {"target_household_id": target.pk})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == target.pk and len(response.json()["members"]) == 3
    source.refresh_from_db()
    assert not source.active and Person.objects.filter(household=source).count() == 0
