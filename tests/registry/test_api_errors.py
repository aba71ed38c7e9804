"""Every API error is JSON of one shape: {"errors": [{"field": ..., "message": ...}]}."""

from __future__ import annotations

from django.test import Client

from safetynet.accounts.roles import Role
from tests.conftest import COUNTY, make_household, make_user
from tests.registry.test_api import URL, Api, errors, new_household_body

WRONG_CHECK_CHARACTER = "110105194912310021"  # the 18th character should be X


def test_wrong_id_number_names_the_expected_check_character(clerk) -> None:
    response = Api(clerk).post("/households", new_household_body(id_number=WRONG_CHECK_CHARACTER))
    assert response.status_code == 422
    assert list(errors(response)) == ["id_number"]
    assert errors(response)["id_number"].endswith("第18位校验码应为 X")


def test_error_messages_follow_the_callers_language(clerk) -> None:
    api = Api(clerk, headers={"Accept-Language": "en"})
    response = api.post("/households", new_household_body(id_number=WRONG_CHECK_CHARACTER))
    assert "should be X" in errors(response)["id_number"]


def test_unknown_fields_are_refused_by_name(clerk) -> None:
    household = make_household(clerk)
    body = new_household_body(nickname="小钱")
    body["colour"] = "red"
    response = Api(clerk).post("/households", body)
    assert response.status_code == 422
    assert set(errors(response)) == {"colour", "head.nickname"}
    patch = Api(clerk).patch(f"/households/{household.pk}", {"number": "1"})
    assert patch.status_code == 422 and list(errors(patch)) == ["number"]


def test_request_validation_names_the_field(clerk) -> None:
    api, household = Api(clerk), make_household(clerk)
    cases = [
        (api.post("/households", {**new_household_body(), "hukou": "nomad"}), "hukou"),
        (api.post("/households", {k: v for k, v in new_household_body().items()
                                  if k != "address"}), "address"),
        (api.patch(f"/households/{household.pk}", {"address": None}), "address"),
        (api.get("/households", page=0), "page"),
        (api.get("/households/abc"), "household_id"),
        (api.post(f"/households/{household.pk}/split", {"member_ids": [], "head_id": 1}),
         "member_ids"),
    ]
    for response, field in cases:
        assert response.status_code == 422, (field, response.content)
        assert list(errors(response)) == [field]


def test_service_validation_is_422_with_the_services_field(clerk) -> None:
    household = make_household(clerk)
    response = Api(clerk).patch(f"/households/{household.pk}", {"area_code": "320722100"})
    assert response.status_code == 422
    assert list(errors(response)) == ["area"]


def test_a_malformed_body_is_400_in_the_same_shape(clerk) -> None:
    client, api = Client(), Api(clerk)
    response = client.post(f"{URL}/households", "{not json", content_type="application/json",
                           headers=api.headers)
    assert response.status_code == 400
    assert list(errors(response)) == ["__all__"]


def test_a_role_without_registry_access_is_403(county) -> None:
    sysadmin = make_user("sys", Role.SYSADMIN, county[COUNTY])
    response = Api(sysadmin).get("/households")
    assert response.status_code == 403
    assert list(errors(response)) == ["__all__"]


def test_missing_record_is_404(clerk) -> None:
    response = Api(clerk).get("/households/424242")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": "__all__",
                                           "message": "在您负责的区域内未找到。"}]}
