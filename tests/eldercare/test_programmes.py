"""Institutions (tekun first, spare beds for social elderly), modifications (eligibility
from the rules, one plan per household, costs split, acceptance, progress) and insurance
rosters (who, from when, pro-rata premium, changes)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.eldercare import institutions, insurance, modifications
from safetynet.eldercare.models import Institution, PlanStatus
from safetynet.registry import services as registry
from safetynet.registry.models import IncomeItem, Person
from tests.conftest import COUNTY, TOWN_A
from tests.eldercare.conftest import elderly

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def photo(name: str = "p.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.fixture
def home(officer: User) -> Institution:
    return institutions.create_institution(Actor.of(officer),
                                           name="牛山镇区域养老中心", kind="regional",
                                           area_code=TOWN_A, beds={"nursing": 2, "ordinary": 1},
                                           reserved_beds=2)


def test_social_elderly_only_on_beds_not_kept_for_tekun(officer: User, clerk: User,
                                                        home: Institution) -> None:
    a, b, c, d = (elderly(clerk, n, date(1935, 1, 1)) for n in "甲乙丙丁")
    institutions.admit(Actor.of(officer), home, a, kind="social", bed_type="ordinary",
                       admitted_on=date(2022, 8, 1))
    with pytest.raises(ValidationError) as caught:
        institutions.admit(Actor.of(officer), home, b, kind="social", bed_type="nursing",
                           admitted_on=date(2022, 8, 2))
    assert "kind" in caught.value.message_dict
    institutions.admit(Actor.of(officer), home, b, kind="tekun", bed_type="nursing",
                       admitted_on=date(2022, 8, 2))
    b.refresh_from_db()
    assert b.in_institution  # the registry (and so the rules) know
    institutions.admit(Actor.of(officer), home, c, kind="day_care", admitted_on=date(2022, 8, 2))
    now = institutions.occupancy(home, date(2022, 8, 3))
    assert (now.beds, now.occupied, now.tekun, now.social, now.day_care) == (3, 2, 1, 1, 1)
    with pytest.raises(ValidationError):
        institutions.admit(Actor.of(officer), home, c, kind="tekun", bed_type="nursing",
                           admitted_on=date(2022, 8, 3))  # already a day-care user


def test_discharge_frees_the_bed_and_tells_the_registry(officer: User, clerk: User,
                                                        home: Institution) -> None:
    person = elderly(clerk, "甲", date(1935, 1, 1))
    stay = institutions.admit(Actor.of(officer), home, person, kind="tekun", bed_type="nursing",
                              admitted_on=date(2022, 8, 1))
    with pytest.raises(ValidationError) as caught:
        institutions.discharge(Actor.of(officer),
                               stay, discharged_on=date(2022, 7, 1), reason="回家")
    assert "discharged_on" in caught.value.message_dict
    institutions.discharge(Actor.of(officer),
                           stay, discharged_on=date(2022, 9, 1), reason="回家居住")
    person.refresh_from_db()
    assert not person.in_institution
    assert institutions.occupancy(home, date(2022, 9, 2)).occupied == 0
    history = institutions.occupancy_by_month(home, date(2022, 9, 30), 2)
    assert [o.occupied for _end, o in history] == [1, 0]


@pytest.fixture
def poor_old(clerk: User) -> Person:
    return elderly(clerk, "低保老人", date(1938, 4, 4))


def test_modification_eligibility_comes_from_the_rules(clerk: User, poor_old: Person) -> None:
    assert modifications.eligibility(poor_old).eligible
    rich = elderly(clerk, "富裕老人", date(1938, 4, 4))
    registry.add_means_item(Actor.of(clerk), rich.household, IncomeItem(
        person=rich, kind="pension", monthly_amount=Decimal("5000")))
    found = modifications.eligibility(rich)
    assert not found.eligible and found.reason
    young = elderly(clerk, "青年", date(1990, 1, 1))
    assert not modifications.eligibility(young).eligible


def test_one_plan_per_household_with_costs_split(officer: User, poor_old: Person) -> None:
    plan = modifications.create_plan(Actor.of(officer), poor_old.household, poor_old, items={
        "anti_slip": 10, "grab_bars": 2, "care_bed": 1, "night_light": 0})
    assert plan.government_cost == Decimal("900.00")  # 10 × 60 + 2 × 150
    assert plan.own_cost == Decimal("1800.00")
    assert plan.items.count() == 3
    with pytest.raises(ValidationError) as caught:
        modifications.create_plan(Actor.of(officer),
                                  poor_old.household, poor_old, items={"ramp": 1})
    assert "items" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        modifications.create_plan(Actor.of(officer), poor_old.household, poor_old,
                                  items={"walking_stick": 1})
    assert "household" in caught.value.message_dict


def test_work_photos_acceptance_and_progress(officer: User, poor_old: Person) -> None:
    plan = modifications.create_plan(Actor.of(officer), poor_old.household, poor_old,
                                     items={"walking_stick": 1})
    with pytest.raises(ValidationError):
        modifications.accept(Actor.of(officer), plan, accepted_on=date(2022, 8, 1), note="好")
    modifications.start_work(Actor.of(officer),
                             plan, contractor="安居装饰", started_on=date(2022, 8, 1),
                             before_photo=photo())
    with pytest.raises(ValidationError) as caught:
        modifications.accept(Actor.of(officer), plan, accepted_on=date(2022, 8, 5), note="完成")
    assert "after_photo" in caught.value.message_dict
    modifications.accept(Actor.of(officer), plan, accepted_on=date(2022, 8, 5), note="按方案完成",
                         after_photo=photo())
    assert plan.status == PlanStatus.DONE and plan.after_photo
    progress = modifications.progress(officer, plan.year, COUNTY)
    assert (progress.target, progress.done, progress.done_total) == (450, 1, 839)


def test_a_photo_must_be_an_image(officer: User, poor_old: Person) -> None:
    plan = modifications.create_plan(Actor.of(officer), poor_old.household, poor_old,
                                     items={"walking_stick": 1})
    fake = SimpleUploadedFile("x.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(ValidationError):
        modifications.start_work(Actor.of(officer), plan, contractor="安居装饰",
                                 started_on=date(2022, 8, 1), before_photo=fake)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED


def test_insurance_roster_pro_rata_and_changes(officer: User, clerk: User,
                                               home: Institution) -> None:
    assert insurance.pro_rata(Decimal("50"), 1, date(2022, 1, 1), date(2022, 12, 31),
                              date(2022, 7, 2)) == Decimal("25.07")
    policy = insurance.create_policy(Actor.of(officer), kind="accident", insurer="人寿财险",
                                     number="YW-1", starts_on=date(2022, 1, 1),
                                     ends_on=date(2022, 12, 31), premium="50",
                                     area_code=COUNTY)
    person = elderly(clerk, "特困老人", date(1940, 1, 1))
    cover = insurance.add_cover(Actor.of(officer), policy, person=person, on=date(2022, 1, 1))
    assert cover.premium == Decimal("50.00")
    with pytest.raises(ValidationError):
        insurance.add_cover(Actor.of(officer), policy, person=person, on=date(2022, 3, 1))
    insurance.remove_cover(Actor.of(officer), cover, on=date(2022, 6, 30), note="死亡")
    assert cover.removed_on == date(2022, 6, 30)
    liability = insurance.create_policy(Actor.of(officer), kind="liability", insurer="人保财险",
                                        number="ZR-1", starts_on=date(2022, 1, 1),
                                        ends_on=date(2022, 12, 31), area_code=COUNTY)
    assert insurance.fill_roster(Actor.of(officer), liability, on=date(2022, 1, 1)) == 1
    assert liability.covers.get().premium == Decimal("300.00")  # 3 beds
    assert insurance.fill_roster(Actor.of(officer), liability, on=date(2022, 2, 1)) == 0


def test_only_managers_change_institutions_and_rosters(clerk: User, home: Institution) -> None:
    person = elderly(clerk, "甲", date(1935, 1, 1))
    with pytest.raises(PermissionDenied):
        institutions.admit(Actor.of(clerk),
                           home, person, kind="day_care", admitted_on=date(2022, 8, 1))


def test_export_roster_has_the_id_number(officer: User, clerk: User) -> None:
    from safetynet.eldercare.exports import roster_book

    policy = insurance.create_policy(Actor.of(officer), kind="accident", insurer="人寿财险",
                                     number="YW-2", starts_on=date(2022, 1, 1),
                                     ends_on=date(2022, 12, 31), premium="50",
                                     area_code=COUNTY)
    person = elderly(clerk, "特困老人", date(1940, 1, 1))
    insurance.add_cover(Actor.of(officer), policy, person=person, on=date(2022, 1, 1))
    content = roster_book(policy, policy.covers.select_related("person", "area"))
    assert io.BytesIO(content).read(2) == b"PK"


def test_the_approved_single_window_application_is_linked(officer: User, clerk: User,
                                                          poor_old: Person) -> None:
    from safetynet.intake.models import Application
    from safetynet.intake.services import applications

    app = applications.create_application(Actor.of(clerk), kind="modification",
                                          household=poor_old.household,
                                          applicant=poor_old, reason="卫生间加装扶手，自愿申请")
    assert modifications.approved_application(poor_old.household) is None
    with pytest.raises(ValidationError) as caught:
        modifications.create_plan(Actor.of(officer), poor_old.household, poor_old,
                                  items={"grab_bars": 2}, application=app)
    assert "application" in caught.value.message_dict
    Application.objects.filter(pk=app.pk).update(state="approved")
    app.refresh_from_db()
    assert modifications.approved_application(poor_old.household) == app
    plan = modifications.create_plan(Actor.of(officer), poor_old.household, poor_old,
                                     items={"grab_bars": 2}, application=app)
    assert plan.application_id == app.pk


def test_the_roster_covers_supported_elderly_and_ends_at_death(officer: User,
                                                               clerk: User) -> None:
    from safetynet.benefits import services as benefits

    person = elderly(clerk, "特困老人", date(1940, 1, 1))
    benefits.enrol(None, program="tekun_basic", household=person.household, person=person,
                   approved_on=date(2022, 1, 5), amount=Decimal("845"))
    policy = insurance.create_policy(Actor.of(officer), kind="accident", insurer="人寿财险",
                                     number="YW-3", starts_on=date(2022, 1, 1),
                                     ends_on=date(2022, 12, 31), area_code=COUNTY)
    assert insurance.fill_roster(Actor.of(officer), policy, on=date(2022, 2, 1)) == 1
    registry.mark_deceased(Actor.of(clerk), person, date(2022, 5, 6))
    assert insurance.fill_roster(Actor.of(officer), policy, on=date(2022, 6, 1)) == 0
    assert policy.covers.get().removed_on == date(2022, 5, 6)


def test_a_visit_photo_is_kept_and_shown_only_in_scope(worker: User, officer: User,
                                                       county: dict, order) -> None:
    from django.test import Client
    from django.urls import reverse

    from safetynet.accounts.roles import Role
    from tests.conftest import TOWN_B, make_user
    from tests.eldercare.conftest import at, record

    visit = record(worker, order, at(10), photo=photo())
    assert visit.photo
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("eldercare:visit_photo", args=[visit.pk])).status_code == 200
    other = make_user("ec_b2", Role.OFFICER, county[TOWN_B])
    client.force_login(other)
    assert client.get(reverse("eldercare:visit_photo", args=[visit.pk])).status_code == 404
