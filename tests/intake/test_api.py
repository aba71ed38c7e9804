"""Single-window API: creation with idempotency keys, the dibao path by several users,
maker-checker, the approver's one-time code, refused transitions, areas and referrals.

Every call goes through ``Api`` (a bearer token, English messages) and every response is
checked for whole ID numbers.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import translation

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import Area, AuditEvent
from safetynet.intake.models import Application, Referral
from safetynet.intake.services import applications, common, referrals
from safetynet.registry.models import Household
from tests.conftest import COUNTY, issue_token, login_verified, make_household, make_user
from tests.intake.conftest import (
    BACKDATED,
    CHECK,
    REVIEW,
    VISIT,
    apply,
    otp_code,
    ready_for_county,
)
from tests.registry.test_api import FULL_ID_NUMBER, MASKED_ID_NUMBER

URL = "/api/v1/intake"
Response = Any


class Api:
    """The intake API as another system holding ``user``'s token sees it."""

    def __init__(self, user: User, client: Client | None = None, token: bool = True) -> None:
        self.client = client or Client()
        self.headers = {"Accept-Language": "en"}
        if token:
            self.headers["Authorization"] = f"Bearer {issue_token(user)}"

    def get(self, path: str, **params: Any) -> Response:
        with translation.override(translation.get_language()):  # no English left behind
            return checked(self.client.get(URL + path, query_params=params,
                                           headers=self.headers))

    def post(self, path: str, body: Any = None, **headers: str) -> Response:
        with translation.override(translation.get_language()):
            return checked(self.client.post(
                URL + path, json.dumps(body if body is not None else {}, default=str),
                content_type="application/json", headers={**self.headers, **headers}))

    def act(self, app_id: int, action: str, body: Any = None) -> Response:
        return self.post(f"/applications/{app_id}/actions/{action}", body)


def checked(response: Response) -> Response:
    assert not FULL_ID_NUMBER.search(response.content), response.content
    return response


def errors(response: Response) -> dict[str, str]:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def new_application(household: Household, kind: str = "dibao", **extra: Any) -> dict[str, Any]:
    applicant = household.members.order_by("pk")[0]
    return {"kind": kind, "household_id": household.pk, "applicant_id": applicant.pk,
            "reason": "夫妻二人均无劳动能力，无收入", **extra}


def ok(response: Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content.decode()
    return dict(response.json())


# --- creating ------------------------------------------------------------------------------


def test_create_answers_201_with_masked_ids_due_dates_and_the_callers_actions(
        clerk: User, adult_household: Household) -> None:
    body = ok(Api(clerk).post("/applications", new_application(adult_household)), 201)
    app = Application.objects.get()
    assert body["id"] == app.pk and body["state"] == "received" and body["channel"] == "api"
    assert MASKED_ID_NUMBER.match(body["applicant"]["id_number"])
    assert body["due_on"] == app.due_on.isoformat()
    assert [s["action"] for s in body["steps"]] == ["create"]
    assert {"accept", "reject", "withdraw"} <= {a["action"] for a in body["actions"]}


def test_the_same_idempotency_key_twice_makes_one_application(
        clerk: User, adult_household: Household) -> None:
    api = Api(clerk)
    first = ok(api.post("/applications", new_application(adult_household),
                        **{"Idempotency-Key": "4f0c-retry"}), 201)
    again = ok(api.post("/applications", new_application(adult_household),
                        **{"Idempotency-Key": "4f0c-retry"}), 200)
    assert again["id"] == first["id"] and again["number"] == first["number"]
    assert Application.objects.count() == 1


def test_a_key_reused_for_another_request_is_refused(clerk: User,
                                                     adult_household: Household) -> None:
    api = Api(clerk)
    ok(api.post("/applications", new_application(adult_household),
                **{"Idempotency-Key": "k1"}), 201)
    other = api.post("/applications", new_application(adult_household, kind="tekun"),
                     **{"Idempotency-Key": "k1"})
    assert other.status_code == 422
    assert "already used for application" in errors(other)["Idempotency-Key"]
    assert Application.objects.count() == 1


def test_keys_are_per_user(clerk: User, officer: User, adult_household: Household) -> None:
    other = make_household(clerk, name="李四")
    ok(Api(clerk).post("/applications", new_application(adult_household),
                       **{"Idempotency-Key": "same"}), 201)
    ok(Api(officer).post("/applications", new_application(other),
                         **{"Idempotency-Key": "same"}), 201)
    assert Application.objects.count() == 2


def test_a_second_open_application_is_refused_naming_the_open_one(
        clerk: User, adult_household: Household) -> None:
    api = Api(clerk)
    first = ok(api.post("/applications", new_application(adult_household)), 201)
    second = api.post("/applications", new_application(adult_household))
    assert second.status_code == 422
    assert first["number"] in errors(second)["kind"]


def test_the_household_may_be_named_by_its_number(clerk: User,
                                                  adult_household: Household) -> None:
    body = new_application(adult_household)
    del body["household_id"]
    body["household_number"] = adult_household.number
    assert ok(Api(clerk).post("/applications", body), 201)["household_id"] == adult_household.pk


def test_creation_refuses_unknown_fields_and_households_outside_the_areas(
        clerk: User, clerk_b: User, adult_household: Household) -> None:
    unknown = Api(clerk).post("/applications", {**new_application(adult_household), "x": 1})
    assert unknown.status_code == 422 and "x" in errors(unknown)
    outside = Api(clerk_b).post("/applications", new_application(adult_household))
    assert outside.status_code == 422 and "household_id" in errors(outside)
    assert not Application.objects.exists()


# --- the dibao path ------------------------------------------------------------------------


def test_the_whole_dibao_path_through_the_api_by_different_users(
        clerk: User, officer: User, approver: User, adult_household: Household,
        enrolment: Any) -> None:
    window, township, county = Api(clerk), Api(officer), Api(approver)
    app_id = ok(window.post("/applications", new_application(adult_household)), 201)["id"]
    ok(window.act(app_id, "accept"))
    ok(window.act(app_id, "check", CHECK))
    ok(township.act(app_id, "visit", VISIT))
    assert ok(township.act(app_id, "review", {**REVIEW, "amount": "620.00"}))["amount"] == \
        "620.00"
    start = common.today() - timedelta(days=30)
    posted = ok(window.act(app_id, "post_notice", {"notice_start": start,
                                                   "backdate_reason": BACKDATED}))
    assert posted["state"] == "notice" and posted["notice_end"]
    ok(window.act(app_id, "close_notice"))
    decided = ok(county.act(app_id, "approve", {"reason": "符合条件",
                                                 "otp_code": otp_code(approver)}))
    assert decided["state"] == "approved" and decided["decision_reason"] == "符合条件"
    assert [s["action"] for s in decided["steps"]] == [
        "create", "accept", "check", "visit", "review", "post_notice", "close_notice",
        "approve"]
    assert decided["steps"][3]["data"]["investigators"] == ["李强", "王芳"]
    informed = ok(window.act(app_id, "inform", {"informed_on": common.today()}))
    assert informed["resident_informed_on"] == common.today().isoformat()


def test_the_preparer_may_not_decide(officer: User, officer2: User,
                                     adult_household: Household) -> None:
    app = apply(officer, adult_household, kind="temp_emergency")
    applications.take_action(Actor.of(officer), app, "accept", {})
    refused = Api(officer).act(app.pk, "grant_now", {"amount": "300.00", "reason": "火灾"})
    assert refused.status_code == 403
    assert "maker-checker" in errors(refused)["__all__"]
    assert Application.objects.get().state == "accepted"


def test_approval_without_a_one_time_code_is_refused(
        clerk: User, officer: User, approver: User, adult_household: Household,
        enrolment: Any) -> None:
    app = ready_for_county(clerk, officer, adult_household)
    otp_code(approver)  # the approver has a device; the code is simply not sent
    refused = Api(approver).act(app.pk, "approve", {"reason": "符合条件"})
    assert refused.status_code == 403 and "otp_code" in errors(refused)["__all__"]
    assert Application.objects.get().state == "county"


def test_a_wrong_code_is_refused_and_audited(clerk: User, officer: User, approver: User,
                                             adult_household: Household,
                                             enrolment: Any) -> None:
    app = ready_for_county(clerk, officer, adult_household)
    wrong = f"{(int(otp_code(approver)) + 1) % 1000000:06d}"
    refused = Api(approver).act(app.pk, "refuse", {"reason": "收入超标", "otp_code": wrong})
    assert refused.status_code == 403 and "wrong" in errors(refused)["__all__"]
    assert AuditEvent.objects.filter(action="intake.otp_failed", result="failed").exists()
    assert Application.objects.get().state == "county"


def test_a_valid_code_lets_the_approver_decide(clerk: User, officer: User, approver: User,
                                               adult_household: Household,
                                               enrolment: Any) -> None:
    app = ready_for_county(clerk, officer, adult_household)
    body = ok(Api(approver).act(app.pk, "refuse", {"reason": "家庭收入超过标准",
                                                    "otp_code": otp_code(approver)}))
    assert body["state"] == "refused" and body["decided_on"] == common.today().isoformat()


def test_a_verified_session_needs_no_code(client: Client, clerk: User, officer: User,
                                          approver: User, adult_household: Household,
                                          enrolment: Any) -> None:
    app = ready_for_county(clerk, officer, adult_household)
    login_verified(client, approver)
    body = ok(Api(approver, client, token=False).act(app.pk, "refuse", {"reason": "收入超标"}))
    assert body["state"] == "refused"


def test_actions_tell_the_approver_a_code_is_needed(clerk: User, officer: User,
                                                    approver: User,
                                                    adult_household: Household) -> None:
    app = ready_for_county(clerk, officer, adult_household)
    actions = {a["action"]: a for a in ok(Api(approver).get(f"/applications/{app.pk}"))[
        "actions"]}
    assert actions["approve"]["otp_required"] and actions["approve"]["records"] == ["reason"]


# --- refusals ------------------------------------------------------------------------------


def test_an_action_the_state_machine_does_not_allow_is_409_with_the_reason(
        clerk: User, approver: User, adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    early = Api(approver).act(app.pk, "approve", {"reason": "x", "otp_code": "123456"})
    assert early.status_code == 409
    assert errors(early)["__all__"] == ("“Approve” is not possible for a Minimum living "
                                        "allowance (dibao) application that is “Registered, "
                                        "awaiting acceptance”.")
    unknown = Api(clerk).act(app.pk, "fly")  # not an action at all: an unknown code (422)
    assert unknown.status_code == 422 and list(errors(unknown)) == ["action"]
    assert "'accept'" in errors(unknown)["action"] and "'approve'" in errors(unknown)["action"]


def test_an_action_that_records_nothing_needs_no_body(clerk: User,
                                                      adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    api = Api(clerk)
    with translation.override(translation.get_language()):
        response = checked(api.client.post(f"{URL}/applications/{app.pk}/actions/accept",
                                           content_type="application/json",
                                           headers=api.headers))
    assert ok(response)["state"] == "accepted"


def test_missing_and_unexpected_fields_are_named(clerk: User,
                                                 adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    applications.take_action(Actor.of(clerk), app, "accept", {})
    missing = Api(clerk).act(app.pk, "check", {"sources": ["tax"]})
    assert missing.status_code == 422 and set(errors(missing)) == {"check_findings"}
    extra = Api(clerk).act(app.pk, "check", {**CHECK, "opinion": "好"})
    assert extra.status_code == 422 and "does not record" in errors(extra)["opinion"]
    typo = Api(clerk).act(app.pk, "check", {**CHECK, "sorces": []})
    assert typo.status_code == 422 and "sorces" in errors(typo)


def test_a_role_the_step_is_not_for_gets_403(village_worker: User, clerk: User,
                                             adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    assert Api(village_worker).act(app.pk, "accept").status_code == 403


def test_applications_outside_the_areas_answer_404(clerk: User, clerk_b: User,
                                                   adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    outside = Api(clerk_b)
    assert outside.get(f"/applications/{app.pk}").status_code == 404
    assert outside.act(app.pk, "accept").status_code == 404
    assert ok(outside.get("/applications"))["count"] == 0
    assert Application.objects.get().state == "received"


def test_the_list_filters_by_state_kind_and_overdue(clerk: User,
                                                    adult_household: Household) -> None:
    accepted = apply(clerk, adult_household)
    applications.take_action(Actor.of(clerk), accepted, "accept", {})
    apply(clerk, adult_household, kind="tekun")
    Application.objects.filter(kind="tekun").update(due_on=common.today() - timedelta(days=1))
    api = Api(clerk)
    assert ok(api.get("/applications"))["count"] == 2
    assert [a["kind"] for a in ok(api.get("/applications", state="accepted"))["items"]] == [
        "dibao"]
    assert [a["kind"] for a in ok(api.get("/applications", kind="tekun"))["items"]] == ["tekun"]
    late = ok(api.get("/applications", overdue="true"))["items"]
    assert [a["kind"] for a in late] == ["tekun"] and late[0]["overdue"]
    page = ok(api.get("/applications", page=2, page_size=1))
    assert page["count"] == 2 and len(page["items"]) == 1


def test_roles_without_registry_access_are_refused(county: dict[str, Area],
                                                   partner: User) -> None:
    leader = make_user("leader", Role.LEADER, county[COUNTY])
    assert Api(leader).get("/applications").status_code == 403
    assert Api(partner).get("/applications").status_code == 403


def test_no_credentials_answer_401(db: Any) -> None:
    assert Client().get(URL + "/applications").status_code == 401


# --- referrals -----------------------------------------------------------------------------


def test_a_referral_is_answered_by_the_partner_department_and_closed(
        clerk: User, partner: User, county: dict[str, Area],
        adult_household: Household) -> None:
    member = adult_household.members.order_by("pk")[0]
    sent = ok(Api(clerk).post("/referrals", {
        "household_id": adult_household.pk, "person_id": member.pk,
        "department": "health_insurance", "subject": "大病医疗救助",
        "description": "住院费用高，请医保局核定医疗救助"}), 201)
    assert sent["state"] == "sent" and MASKED_ID_NUMBER.match(sent["person"]["id_number"])
    handler = Api(partner)
    inbox = ok(handler.get("/referrals", inbox="true"))["items"]
    assert [r["id"] for r in inbox] == [sent["id"]]
    assert ok(handler.post(f"/referrals/{sent['id']}/accept"))["state"] == "accepted"
    answered = ok(handler.post(f"/referrals/{sent['id']}/answer",
                               {"answer": "已纳入医疗救助，报销比例70%"}))
    assert answered["state"] == "answered" and answered["answer"].startswith("已纳入")
    closed = ok(Api(clerk).post(f"/referrals/{sent['id']}/close",
                                {"informed_on": common.today()}))
    assert closed["state"] == "closed"


def test_another_department_does_not_see_the_referral(clerk: User, partner: User,
                                                      county: dict[str, Area],
                                                      adult_household: Household) -> None:
    referral = referrals.send_referral(Actor.of(clerk), adult_household, {
        "department": "health_insurance", "subject": "医疗救助"})
    housing = make_user("zhujian", Role.PARTNER, county[COUNTY])
    housing.department = "housing"
    housing.save()
    api = Api(housing)
    assert ok(api.get("/referrals"))["count"] == 0
    assert api.post(f"/referrals/{referral.pk}/answer", {"answer": "x"}).status_code == 404
    assert Referral.objects.get().state == "sent"


def test_a_referral_answered_twice_is_a_conflict(clerk: User, partner: User,
                                                 adult_household: Household) -> None:
    referral = referrals.send_referral(Actor.of(clerk), adult_household, {
        "department": "health_insurance", "subject": "医疗救助"})
    handler = Api(partner)
    ok(handler.post(f"/referrals/{referral.pk}/answer", {"answer": "已办理"}))
    again = handler.post(f"/referrals/{referral.pk}/answer", {"answer": "再次"})
    assert again.status_code == 409 and "Answered" in errors(again)["__all__"]


def test_window_staff_may_not_answer_for_the_department(clerk: User,
                                                        adult_household: Household) -> None:
    referral = referrals.send_referral(Actor.of(clerk), adult_household, {
        "department": "health_insurance", "subject": "医疗救助"})
    assert Api(clerk).post(f"/referrals/{referral.pk}/answer",
                           {"answer": "x"}).status_code == 403
