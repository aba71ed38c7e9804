"""/api/v1/children/: delegated-guardianship confirmations (list, detail, the missing ones,
record with a scan) and the hotline cases' tabs, steps and actions, with the pages' checks,
jurisdiction and masking."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.children.models import ChildProfile, GuardianshipConfirmation, HotlineCase
from safetynet.children.services import guardianship
from safetynet.children.services import hotline as child_hotline
from safetynet.core.actor import Actor
from safetynet.core.models import Area
from tests.children.conftest import add_child, register, years_ago
from tests.children.test_hotline import CASE
from tests.conftest import (
    TOWN_B,
    VILLAGE_B,
    api_call,
    error_fields,
    issue_token,
    make_household,
    make_user,
)

SIGNED = {"signed_on": "2022-03-01", "signed_by": "王父", "signer_relation": "父亲",
          "guardian_name": "王奶奶", "guardian_relation": "祖母", "guardian_phone": "13800001111"}
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


call = partial(api_call, "/api/v1/children")
fields = error_fields


@pytest.fixture
def child(director: User, family: Any) -> ChildProfile:
    return register(director, add_child(director, family, years_ago(9)))


@pytest.fixture
def director_b(county: dict[str, Area]) -> User:
    return make_user("childdir_b", Role.CHILD_DIRECTOR, county[VILLAGE_B])


@pytest.fixture
def child_b(director_b: User, clerk_b: User) -> ChildProfile:
    home = make_household(clerk_b, VILLAGE_B, name="西户")
    return register(director_b, add_child(director_b, home, years_ago(8), name="西娃"))


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("确认书.pdf", PDF, content_type="application/pdf")


# --- guardianship confirmations -------------------------------------------------------------


def test_a_director_records_a_confirmation_and_reads_it(director: User, supervisor: User,
                                                        child: ChildProfile) -> None:
    status, missing, _text = call(director, "get", "/guardianship/missing")
    assert status == 200 and [c["id"] for c in missing["items"]] == [child.pk]
    status, body, text = call(director, "post", f"/profiles/{child.pk}/confirmations",
                              SIGNED, files={"scan": scan()})
    assert status == 201, body
    assert body["scan"] and body["child"]["guardianship_signed_on"] == "2022-03-01"
    assert body["guardian_phone"] == "138****1111" and "13800001111" not in text
    assert child.person.id_number not in text and body["child"]["name"] == "王小明"
    child.refresh_from_db()
    assert child.guardianship_signed_on == date(2022, 3, 1)
    status, page, text = call(supervisor, "get", "/confirmations", child=str(child.pk))
    assert status == 200 and [c["id"] for c in page["items"]] == [body["id"]]
    assert child.person.id_number not in text
    assert call(director, "get", f"/confirmations/{body['id']}")[0] == 200
    client, token = Client(), issue_token(supervisor)
    shown = client.get(f"/api/v1/children/confirmations/{body['id']}/scan",
                       headers={"Authorization": f"Bearer {token}"})
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == PDF
    assert shown["Cache-Control"] == "no-store, private"
    assert call(director, "get", "/guardianship/missing")[1]["count"] == 0


def test_roles_without_children_work_are_refused(clerk: User, hotline: User,
                                                 child: ChildProfile) -> None:
    assert call(clerk, "get", "/confirmations")[0] == 403
    assert call(clerk, "get", "/confirmations/1/scan")[0] == 403
    assert call(hotline, "get", "/guardianship/missing")[0] == 403
    status, body, _text = call(clerk, "post", f"/profiles/{child.pk}/confirmations", SIGNED,
                               files={})
    assert status == 403 and fields(body) == ["__all__"]
    assert not GuardianshipConfirmation.objects.exists()


def test_another_townships_child_answers_404(director: User, director_b: User,
                                             child_b: ChildProfile) -> None:
    assert call(director, "post", f"/profiles/{child_b.pk}/confirmations", SIGNED,
                files={})[0] == 404
    theirs = guardianship.record_confirmation(Actor.of(director_b), child_b, {
        **SIGNED, "signed_on": date(2022, 3, 1)})
    assert call(director, "get", f"/confirmations/{theirs.pk}")[0] == 404
    assert call(director, "get", f"/confirmations/{theirs.pk}/scan")[0] == 404
    assert call(director, "get", "/confirmations")[1]["count"] == 0
    assert call(director_b, "get", "/confirmations")[1]["count"] == 1


def test_bad_confirmations_name_the_field(director: User, child: ChildProfile) -> None:
    path = f"/profiles/{child.pk}/confirmations"
    status, body, _text = call(director, "post", path, {**SIGNED, "guardian_name": " "},
                               files={})
    assert status == 422 and fields(body) == ["guardian_name"]
    status, body, _text = call(director, "post", path, {**SIGNED, "signed_on": "2099-01-01"},
                               files={})
    assert status == 422 and fields(body) == ["signed_on"]
    bad = SimpleUploadedFile("x.pdf", b"MZ....", content_type="application/pdf")
    status, body, _text = call(director, "post", path, SIGNED, files={"scan": bad})
    assert status == 422 and fields(body) == ["scan"]
    assert not GuardianshipConfirmation.objects.exists()


# --- hotline cases --------------------------------------------------------------------------


def test_the_hotline_follows_a_case_to_its_close(hotline: User, director: User) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    status, page, text = call(hotline, "get", "/worklist/cases", show="open")
    assert status == 200 and [c["id"] for c in page["items"]] == [case.pk]
    assert "13900002222" not in text
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/refer",
                               {"department": "education", "note": "请核实"})
    assert status == 200 and (body["state"], body["department"]) == ("referred", "education")
    status, body, _text = call(director, "post", f"/cases/{case.pk}/escalate",
                               {"note": "逾期未办"})
    assert status == 200 and body["escalation_level"] == 1
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/close",
                               {"outcome": "学校已安排家访"})
    assert status == 200 and body["state"] == "closed"
    status, steps, _text = call(director, "get", f"/cases/{case.pk}/steps")
    assert status == 200
    assert [s["action"] for s in steps] == ["open", "refer", "escalate", "close"]
    assert call(director, "get", "/worklist/cases", show="all")[1]["count"] == 1
    assert call(director, "get", "/worklist/cases")[1]["count"] == 0


def test_an_open_case_is_handed_over(hotline: User, director: User) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/hand_over", {
        "service": "110", "handed_over_at": timezone.now().isoformat()})
    assert status == 200 and (body["state"], body["urgency"]) == ("handed_over", "emergency")


def test_clerks_may_not_act_on_cases(clerk: User, hotline: User, director: User) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    assert call(clerk, "post", f"/cases/{case.pk}/close", {"outcome": "结"})[0] == 403
    assert call(clerk, "get", "/worklist/cases")[0] == 403
    assert call(clerk, "get", f"/cases/{case.pk}/steps")[0] == 403
    assert HotlineCase.objects.get().state == "open"


def test_another_townships_case_answers_404(director: User, director_b: User,
                                            hotline: User) -> None:
    case = child_hotline.open_case(Actor.of(hotline),
                                   {**CASE, "kind": "complaint", "area_code": VILLAGE_B})
    assert case.area.parent_id == TOWN_B
    assert call(director, "post", f"/cases/{case.pk}/close", {"outcome": "结案"})[0] == 404
    assert call(director, "get", f"/cases/{case.pk}/steps")[0] == 404
    assert call(director, "get", "/worklist/cases")[1]["count"] == 0
    assert call(director_b, "get", "/worklist/cases")[1]["count"] == 1


def test_bad_case_actions_name_the_field(hotline: User, director: User) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/refer",
                               {"department": "hotline"})
    assert status == 422 and fields(body) == ["department"]
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/close", {"outcome": " "})
    assert status == 422 and fields(body) == ["outcome"]
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/hand_over",
                               {"service": "999", "handed_over_at": timezone.now().isoformat()})
    assert status == 422 and fields(body) == ["service"]
    status, body, _text = call(hotline, "get", "/worklist/cases", show="everything")
    assert status == 422 and fields(body) == ["show"]
    child_hotline.close_case(Actor.of(hotline), case, "已处理")
    status, body, _text = call(hotline, "post", f"/cases/{case.pk}/escalate", {"note": "再办"})
    assert status == 422 and fields(body) == ["__all__"]


def queries(user: User, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, token = Client(), issue_token(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/children{path}",
                          headers={"Authorization": f"Bearer {token}"}).status_code == 200
    return len(captured)


def test_lists_cost_the_same_queries_for_one_row_or_many(director: User, hotline: User,
                                                         family: Any) -> None:
    kids = [register(director, add_child(director, family, years_ago(9), name=f"娃{i}"))
            for i in range(3)]
    signed = {**SIGNED, "signed_on": date(2022, 3, 1)}
    guardianship.record_confirmation(Actor.of(director), kids[0], signed)
    child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    paths = ("/confirmations", "/worklist/cases?show=all", "/guardianship/missing")
    one = [queries(director, p) for p in paths]
    for kid in kids[1:]:
        guardianship.record_confirmation(Actor.of(director), kid, signed)
        child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    assert [queries(director, p) for p in paths] == one
