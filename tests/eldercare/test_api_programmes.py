"""/api/v1/eldercare/ ability assessments, care institutions and age-friendly modifications:
the pages' checks, jurisdiction and service functions, ID numbers masked."""

from __future__ import annotations

import json
from datetime import date, timedelta
from functools import partial
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.core.actor import Actor
from safetynet.core.models import Area, AuditEvent
from safetynet.eldercare import ability, institutions, modifications, services
from safetynet.eldercare.models import Assessment, Institution, PlanStatus, Stay
from safetynet.registry.models import Person
from tests.conftest import (
    COUNTY,
    TOWN_A,
    TOWN_B,
    VILLAGE_B,
    api_call,
    error_fields,
    issue_token,
    make_user,
)
from tests.eldercare.conftest import elderly

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


call = partial(api_call, "/api/v1/eldercare")
fields = error_fields


@pytest.fixture
def leader(county: dict[str, Area]) -> User:
    return make_user("ec_leader", Role.LEADER, county[COUNTY])


@pytest.fixture
def partner(county: dict[str, Area]) -> User:
    return make_user("ec_partner", Role.PARTNER, county[COUNTY])


@pytest.fixture
def old_b(clerk_b: User) -> Person:
    return elderly(clerk_b, "西村老人", date(1938, 4, 4), village=VILLAGE_B)


@pytest.fixture
def old_a(clerk: User) -> Person:
    return elderly(clerk, "低保老人", date(1938, 4, 4))


# --- ability assessments --------------------------------------------------------------------


def form(**changes: Any) -> dict[str, Any]:
    return {"assessed_on": str(services.today() - timedelta(days=1)),
            "scores": ability.full_marks(), "dementia": False, "risk_events": 0, **changes}


def test_a_clerk_records_an_assessment_and_reads_it_back(clerk: User, old_a: Person) -> None:
    status, body, text = call(clerk, "post", f"/persons/{old_a.pk}/assessments", form())
    assert status == 201, body
    assert (body["total"], body["grade"], body["person"]["id"]) == (90, 0, old_a.pk)
    old_a.refresh_from_db()
    assert old_a.ability_grade == 0
    assert old_a.id_number not in text and body["person"]["id_number"].count("*") == 8
    status, page, text = call(clerk, "get", "/assessments", person=str(old_a.pk))
    assert status == 200 and [a["id"] for a in page["items"]] == [body["id"]]
    assert page["count"] == 1 and old_a.id_number not in text
    status, one, _text = call(clerk, "get", f"/assessments/{body['id']}")
    assert status == 200 and one["parts"]["self_care"] == body["parts"]["self_care"]


def test_assessments_due_list_the_latest_only(clerk: User, old_a: Person) -> None:
    first = services.record_assessment(Actor.of(clerk), old_a, scores=ability.full_marks(),
                                       assessed_on=date(2020, 1, 1))
    status, page, _text = call(clerk, "get", "/assessments", due="true")
    assert status == 200 and [a["id"] for a in page["items"]] == [first.pk]
    services.record_assessment(Actor.of(clerk), old_a, scores=ability.full_marks(),
                               assessed_on=services.today())
    assert call(clerk, "get", "/assessments", due="true")[1]["count"] == 0


def test_roles_the_pages_refuse_are_refused(approver: User, worker: User,
                                            old_a: Person) -> None:
    status, body, _text = call(approver, "post", f"/persons/{old_a.pk}/assessments", form())
    assert status == 403 and body["errors"][0]["field"] == "__all__"
    assert call(worker, "get", "/assessments")[0] == 403
    assert Assessment.objects.count() == 0


def test_another_township_answers_404(clerk: User, clerk_b: User, old_b: Person) -> None:
    assert call(clerk, "post", f"/persons/{old_b.pk}/assessments", form())[0] == 404
    theirs = services.record_assessment(Actor.of(clerk_b), old_b, scores=ability.full_marks(),
                                        assessed_on=date(2022, 1, 1))
    assert call(clerk, "get", f"/assessments/{theirs.pk}")[0] == 404
    assert call(clerk, "get", "/assessments")[1]["count"] == 0
    assert call(clerk_b, "get", "/assessments")[1]["count"] == 1


def test_bad_assessments_name_the_field(clerk: User, old_a: Person) -> None:
    scores = {**ability.full_marks(), "eating": 9}
    status, body, _text = call(clerk, "post", f"/persons/{old_a.pk}/assessments",
                               form(scores=scores))
    assert status == 422 and fields(body) == ["eating"]
    missing = {code: score for code, score in ability.full_marks().items() if code != "bathing"}
    status, body, _text = call(clerk, "post", f"/persons/{old_a.pk}/assessments",
                               form(scores=missing))
    assert status == 422 and fields(body) == ["bathing"]
    future = str(services.today() + timedelta(days=3))
    status, body, _text = call(clerk, "post", f"/persons/{old_a.pk}/assessments",
                               form(assessed_on=future))
    assert status == 422 and fields(body) == ["assessed_on"]
    status, body, _text = call(clerk, "post", f"/persons/{old_a.pk}/assessments",
                               form(colour="red"))
    assert status == 422 and fields(body) == ["colour"]


# --- institutions ---------------------------------------------------------------------------


@pytest.fixture
def home(officer: User) -> Institution:
    return institutions.create_institution(Actor.of(officer),
                                           name="牛山镇区域养老中心", kind="regional",
                                           area_code=TOWN_A, beds={"nursing": 2, "ordinary": 1},
                                           reserved_beds=1)


@pytest.fixture
def home_b(officer: User) -> Institution:
    return institutions.create_institution(Actor.of(officer),
                                           name="白塔埠镇敬老院", kind="welfare_home",
                                           area_code=TOWN_B, beds={"ordinary": 4})


def test_an_officer_admits_and_discharges(officer: User, home: Institution,
                                          old_a: Person) -> None:
    status, page, _text = call(officer, "get", "/institutions", area=TOWN_A)
    assert status == 200 and [i["id"] for i in page["items"]] == [home.pk]
    assert page["items"][0]["occupancy"]["beds"] == 3
    status, stay, text = call(officer, "post", f"/institutions/{home.pk}/admissions", {
        "id_number": old_a.id_number, "kind": "tekun", "bed_type": "nursing",
        "admitted_on": "2022-08-01"})
    assert status == 201, stay
    assert old_a.id_number not in text and stay["person"]["name"] == "低保老人"
    old_a.refresh_from_db()
    assert old_a.in_institution
    status, detail, text = call(officer, "get", f"/institutions/{home.pk}")
    assert status == 200 and [r["id"] for r in detail["residents"]] == [stay["id"]]
    assert detail["occupancy"]["tekun"] == 1 and old_a.id_number not in text
    status, done, _text = call(officer, "post", f"/stays/{stay['id']}/discharge", {
        "discharged_on": str(services.today()), "reason": "回家居住"})
    assert status == 200 and done["discharged_on"] == str(services.today())


def test_viewers_read_but_only_managers_admit(clerk: User, partner: User, home: Institution,
                                             old_a: Person) -> None:
    assert call(clerk, "get", f"/institutions/{home.pk}")[0] == 200
    status, _body, _text = call(clerk, "post", f"/institutions/{home.pk}/admissions", {
        "id_number": old_a.id_number, "kind": "day_care", "admitted_on": "2022-08-01"})
    assert status == 403 and not Stay.objects.exists()
    assert call(partner, "get", "/institutions")[0] == 403


def test_another_townships_institution_and_stay_answer_404(
        officer: User, town_officer: User, home_b: Institution, old_b: Person) -> None:
    assert call(town_officer, "get", f"/institutions/{home_b.pk}")[0] == 404
    assert call(town_officer, "get", "/institutions")[1]["count"] == 0
    stay = institutions.admit(Actor.of(officer), home_b, old_b, kind="social", bed_type="ordinary",
                              admitted_on=date(2022, 8, 1))
    status, _body, _text = call(town_officer, "post", f"/stays/{stay.pk}/discharge", {
        "discharged_on": str(services.today()), "reason": "回家居住"})
    assert status == 404


def test_bad_admissions_and_discharges_name_the_field(officer: User, home: Institution,
                                                      old_a: Person) -> None:
    path = f"/institutions/{home.pk}/admissions"
    status, body, _text = call(officer, "post", path, {
        "id_number": "320722199001010000", "kind": "day_care", "admitted_on": "2022-08-01"})
    assert status == 422 and fields(body) == ["id_number"]
    assert "320722199001010000" not in json.dumps(body)
    status, body, _text = call(officer, "post", path, {
        "id_number": old_a.id_number, "kind": "tekun", "admitted_on": "2022-08-01"})
    assert status == 422 and fields(body) == ["bed_type"]
    stay = institutions.admit(Actor.of(officer), home, old_a, kind="day_care",
                              admitted_on=date(2022, 8, 1))
    status, body, _text = call(officer, "post", f"/stays/{stay.pk}/discharge", {
        "discharged_on": "2022-07-01", "reason": "回家居住"})
    assert status == 422 and fields(body) == ["discharged_on"]


# --- modifications --------------------------------------------------------------------------


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.png", PNG, content_type="image/png")


def test_an_officer_agrees_starts_and_accepts_a_plan(officer: User, old_a: Person) -> None:
    status, plan, text = call(officer, "post", f"/households/{old_a.household_id}/modifications",
                              {"person_id": old_a.pk, "items": {"grab_bars": 2,
                                                                "walking_stick": 1}})
    assert status == 201, plan
    assert plan["status"] == "planned" and plan["government_cost"] == "380.00"
    assert len(plan["items"]) == 2 and old_a.id_number not in text
    status, page, _text = call(officer, "get", "/modifications", status="planned")
    assert status == 200 and [p["id"] for p in page["items"]] == [plan["id"]]
    path = f"/modifications/{plan['id']}"
    status, started, _text = call(officer, "post", f"{path}/start", {
        "contractor": "安居装饰", "started_on": "2022-08-01"}, files={"before_photo": photo()})
    assert status == 200 and (started["status"], started["before_photo"]) == ("in_work", True)
    client, token = Client(), issue_token(officer)
    shown = client.get(f"/api/v1/eldercare{path}/photos/before",
                       headers={"Authorization": f"Bearer {token}"})
    assert shown.status_code == 200 and b"".join(shown.streaming_content) == PNG
    assert call(officer, "get", f"{path}/photos/after")[0] == 404
    assert AuditEvent.objects.filter(action="eldercare.photo.view").count() == 1
    status, done, _text = call(officer, "post", f"{path}/accept", {
        "accepted_on": "2022-08-05", "note": "按方案完成"}, files={"after_photo": photo()})
    assert status == 200 and done["status"] == PlanStatus.DONE
    status, progress, _text = call(officer, "get", "/modifications/progress")
    assert status == 200 and progress["done"] == 1
    assert call(officer, "get", path)[1]["accepted_on"] == "2022-08-05"


def test_only_managers_change_plans(clerk: User, worker: User, officer: User,
                                    old_a: Person) -> None:
    status, _body, _text = call(clerk, "post", f"/households/{old_a.household_id}/modifications",
                                {"person_id": old_a.pk, "items": {"grab_bars": 1}})
    assert status == 403
    plan = modifications.create_plan(Actor.of(officer),
                                     old_a.household, old_a, items={"grab_bars": 1})
    assert call(clerk, "get", f"/modifications/{plan.pk}")[0] == 200
    status, _body, _text = call(clerk, "post", f"/modifications/{plan.pk}/start", {
        "contractor": "安居装饰", "started_on": "2022-08-01"}, files={})
    assert status == 403
    assert call(worker, "get", "/modifications")[0] == 403


def test_another_townships_household_and_plan_answer_404(officer: User, town_officer: User,
                                                         old_b: Person) -> None:
    status, _body, _text = call(town_officer, "post",
                                f"/households/{old_b.household_id}/modifications",
                                {"person_id": old_b.pk, "items": {"grab_bars": 1}})
    assert status == 404
    plan = modifications.create_plan(Actor.of(officer),
                                     old_b.household, old_b, items={"grab_bars": 1})
    assert call(town_officer, "get", f"/modifications/{plan.pk}")[0] == 404
    assert call(town_officer, "get", f"/modifications/{plan.pk}/photos/before")[0] == 404
    assert call(town_officer, "post", f"/modifications/{plan.pk}/start", {
        "contractor": "安居装饰", "started_on": "2022-08-01"}, files={})[0] == 404
    assert call(town_officer, "get", "/modifications")[1]["count"] == 0


def test_bad_plans_name_the_field(officer: User, old_a: Person, old_b: Person) -> None:
    path = f"/households/{old_a.household_id}/modifications"
    status, body, _text = call(officer, "post", path, {"person_id": old_a.pk,
                                                       "items": {"ramp": 1}})
    assert status == 422 and fields(body) == ["items"]
    status, body, _text = call(officer, "post", path, {"person_id": old_b.pk,
                                                       "items": {"grab_bars": 1}})
    assert status == 422 and fields(body) == ["person_id"]
    plan = modifications.create_plan(Actor.of(officer),
                                     old_a.household, old_a, items={"grab_bars": 1})
    status, body, _text = call(officer, "post", f"/modifications/{plan.pk}/start",
                               {"started_on": "2022-08-01"}, files={})
    assert status == 422 and fields(body) == ["contractor"]
    modifications.start_work(Actor.of(officer),
                             plan, contractor="安居装饰", started_on=date(2022, 8, 1))
    status, body, _text = call(officer, "post", f"/modifications/{plan.pk}/accept",
                               {"accepted_on": "2022-08-05", "note": "完成"}, files={})
    assert status == 422 and fields(body) == ["after_photo"]


def test_a_manager_creates_an_institution_in_their_areas(officer: User, town_officer: User,
                                                         clerk: User) -> None:
    body = {"name": "牛山镇敬老院", "kind": "welfare_home", "area_code": TOWN_A,
            "beds": {"ordinary": 5, "nursing": 1}, "reserved_beds": 2}
    status, home, _text = call(town_officer, "post", "/institutions", body)
    assert status == 201, home
    assert (home["occupancy"]["beds"], home["residents"]) == (6, [])
    assert Institution.objects.get(pk=home["id"]).area_id == TOWN_A
    assert call(clerk, "post", "/institutions", {**body, "name": "别的"})[0] == 403
    status, _body, _text = call(town_officer, "post", "/institutions",
                                {**body, "name": "白塔埠敬老院", "area_code": TOWN_B})
    assert status == 403
    status, errors, _text = call(town_officer, "post", "/institutions",
                                 {**body, "name": "另一家", "kind": "castle"})
    assert status == 422 and fields(errors) == ["kind"]
    status, errors, _text = call(town_officer, "post", "/institutions",
                                 {**body, "name": "再一家", "reserved_beds": 9})
    assert status == 422 and fields(errors) == ["reserved_beds"]


def queries(user: User, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client, token = Client(), issue_token(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/api/v1/eldercare{path}",
                          headers={"Authorization": f"Bearer {token}"}).status_code == 200
    return len(captured)


def test_lists_cost_the_same_queries_for_one_row_or_many(clerk: User, officer: User) -> None:
    people = [elderly(clerk, f"老人{i}", date(1938, 4, 4)) for i in range(4)]
    services.record_assessment(Actor.of(clerk), people[0], scores=ability.full_marks(),
                               assessed_on=date(2022, 1, 1))
    modifications.create_plan(Actor.of(officer),
                              people[0].household, people[0], items={"grab_bars": 1})
    one = queries(officer, "/assessments"), queries(officer, "/modifications")
    for person in people[1:]:
        services.record_assessment(Actor.of(clerk), person, scores=ability.full_marks(),
                                   assessed_on=date(2022, 1, 1))
        modifications.create_plan(Actor.of(officer),
                                  person.household, person, items={"grab_bars": 1})
    assert (queries(officer, "/assessments"), queries(officer, "/modifications")) == one
