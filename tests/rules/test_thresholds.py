"""Every threshold moved out of the business code is a dated parameter: a new dated value
(an approved parameter change, laid over the YAML files from its date) changes what the
code does, and the one helper refuses to guess when no value is in force."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone, translation

from safetynet.accounts.models import User
from safetynet.benefits.schedule import able_and_unstable
from safetynet.children import rules as child_rules
from safetynet.children.categories import limits_for
from safetynet.core.actor import Actor
from safetynet.discovery.campaigns import BY_CODE
from safetynet.eldercare import modifications, roster
from safetynet.eldercare import services as eldercare
from safetynet.eldercare.ability import full_marks
from safetynet.intake.services.notices import has_minor
from safetynet.policy import ParameterError
from safetynet.registry import access
from safetynet.registry.excel import minor_cutoff
from safetynet.registry.models import Person
from safetynet.rules.models import ChangeStatus, ParameterChange
from safetynet.rules.parameters import (
    highest_in_force,
    lowest_in_force,
    parameter_value,
)
from tests.conftest import TOWN_A, VILLAGE_A, make_household, new_id

AREA = VILLAGE_A
FROM = dt.date(2025, 1, 1)  # after every value in the files


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def dated_value(clerk: User, approver: User) -> Any:
    """Add an approved dated value of a parameter (every key, or one ``key``)."""

    def add(name: str, value: object, key: str = "", scope: str = "32",
            start: dt.date = FROM) -> None:
        ParameterChange.objects.create(
            parameter=name, key=key, scope=scope, value=str(value), effective_from=start,
            reason="test", reference="test", status=ChangeStatus.APPROVED, proposed_by=clerk,
            decided_by=approver, decided_at=timezone.now())

    return add


def today() -> dt.date:
    return timezone.localdate()


def aged(years: int, area: str = AREA) -> Person:
    """An unsaved person who turned ``years`` a month ago."""
    on = today()
    birth = (on.replace(day=1) - dt.timedelta(days=31)).replace(year=on.year - years)
    return Person(name="测试", birth_date=birth, area_id=area)


# --- the helper ------------------------------------------------------------------------------


def test_the_helper_reads_the_value_in_force_and_a_new_dated_value(dated_value: Any) -> None:
    assert parameter_value("children.minor_age", AREA, today()) == 18
    dated_value("children.minor_age", 16)
    assert parameter_value("children.minor_age", AREA, today()) == 16
    assert parameter_value("children.minor_age", AREA, FROM - dt.timedelta(days=1)) == 18


def test_the_helper_reads_one_key_and_refuses_a_keyed_parameter_without_key(db: Any) -> None:
    assert parameter_value("discovery.working_age", AREA, today(), "max") == 60
    with pytest.raises(ParameterError, match="name the key"):
        parameter_value("discovery.working_age", AREA, today())


def test_the_helper_refuses_when_no_value_is_in_force(db: Any) -> None:
    with pytest.raises(ParameterError, match="no value in force for area 320722100201 on 1990"):
        parameter_value("children.minor_age", AREA, dt.date(1990, 1, 1))
    with pytest.raises(ParameterError, match="unknown parameter"):
        parameter_value("children.nothing", AREA, today())


def test_lowest_and_highest_in_force_span_every_area(dated_value: Any) -> None:
    dated_value("children.left_behind_age", 14, scope=TOWN_A)
    assert lowest_in_force("children.left_behind_age", today()) == 14
    assert highest_in_force("children.left_behind_age", today()) == 16
    assert parameter_value("children.left_behind_age", AREA, today()) == 14
    assert parameter_value("children.left_behind_age", "320722101201", today()) == 16
    assert lowest_in_force("home_care.ages", today()) == 60  # the lowest entry


# --- children and intake: minors ------------------------------------------------------------


def test_minor_age_decides_who_is_never_named_on_a_notice(dated_value: Any) -> None:
    app = SimpleNamespace(applicant=aged(17), beneficiary=None, area_id=AREA)
    assert has_minor(app, today())  # type: ignore[arg-type]
    dated_value("children.minor_age", 17)
    assert not has_minor(app, today())  # type: ignore[arg-type]
    assert child_rules.minor_age(AREA, today()) == 17


def test_child_protection_limits_follow_their_parameters(dated_value: Any) -> None:
    before = limits_for(AREA, today())
    assert (before.left_behind_age, before.child_age) == (16, 18)
    dated_value("children.left_behind_age", 15)
    dated_value("orphan_allowance.age_limit", 17)
    after = limits_for(AREA, today())
    assert (after.left_behind_age, after.child_age) == (15, 17)


def test_the_pipl_child_age_decides_whose_record_is_closed(dated_value: Any) -> None:
    child = aged(13)
    assert access.is_minor(child, today())
    assert minor_cutoff(today()).year == today().year - 14
    dated_value("registry.pipl_child_age", 12)
    assert not access.is_minor(child, today())
    assert minor_cutoff(today()).year == today().year - 12


# --- eldercare -------------------------------------------------------------------------------


def test_elderly_age_decides_home_modification_and_the_household_section(
        dated_value: Any) -> None:
    person = aged(58)
    assert modifications.eligibility(person, today()).reason == "aged under 60"
    assert roster.elderly_age(AREA, today()) == 60
    dated_value("eldercare.elderly_age", 55)
    assert modifications.eligibility(person, today()).reason == (
        "not very old, disabled or in need of care")
    assert roster.elderly_age(AREA, today()) == 55


def test_very_old_age_and_care_grade_decide_the_need_for_a_modification(
        clerk: User, dated_value: Any) -> None:
    birth = today().replace(day=1, year=today().year - 75) - dt.timedelta(days=40)
    person = make_household(clerk, id_number=new_id(birth)).members.get()
    not_needed = "not very old, disabled or in need of care"
    assert modifications.eligibility(person, today()).reason == not_needed
    dated_value("eldercare.very_old_age", 75)
    assert modifications.eligibility(person, today()).reason != not_needed


def test_care_grade_decides_the_need_for_a_modification(clerk: User,
                                                        dated_value: Any) -> None:
    birth = today().replace(day=1, year=today().year - 65) - dt.timedelta(days=40)
    person = make_household(clerk, id_number=new_id(birth)).members.get()
    Person.objects.filter(pk=person.pk).update(ability_grade=1)
    person.refresh_from_db()
    not_needed = "not very old, disabled or in need of care"
    assert modifications.eligibility(person, today()).reason == not_needed
    dated_value("need.care_ability_grade", 1)
    assert modifications.eligibility(person, today()).reason != not_needed


def test_assessment_age_decides_who_may_be_assessed(clerk: User, dated_value: Any) -> None:
    from django.core.exceptions import ValidationError

    birth = today().replace(day=1, year=today().year - 58) - dt.timedelta(days=40)
    person = make_household(clerk, id_number=new_id(birth)).members.get()
    with pytest.raises(ValidationError, match="under 60"):
        eldercare.record_assessment(Actor.of(clerk), person, scores=full_marks(),
                                    assessed_on=today())
    dated_value("eldercare.assessment_age", 55)
    assessment = eldercare.record_assessment(Actor.of(clerk), person, scores=full_marks(),
                                             assessed_on=today())
    assert assessment.person_id == person.pk


def test_the_reassessment_interval_is_read_without_a_default(dated_value: Any) -> None:
    assert roster.reassessment_months(AREA, today()) == 12
    dated_value("eldercare.reassessment", 6)
    assert roster.reassessment_months(AREA, today()) == 6


# --- benefits: working age -------------------------------------------------------------------


def test_working_age_decides_the_shorter_review_of_dibao(clerk: User, dated_value: Any) -> None:
    birth = today().replace(day=1, year=today().year - 40) - dt.timedelta(days=40)
    household = make_household(clerk, id_number=new_id(birth))
    assert able_and_unstable(household, today())
    dated_value("discovery.working_age", 40, key="max")
    assert not able_and_unstable(household, today())


# --- discovery: screening campaign groups ----------------------------------------------------


def test_campaign_ages_and_grade_decide_the_groups(clerk: User, dated_value: Any) -> None:
    birth = today().replace(day=1, year=today().year - 65) - dt.timedelta(days=40)
    household = make_household(clerk, id_number=new_id(birth), marital_status="widowed")
    person = household.members.get()
    Person.objects.filter(pk=person.pk).update(disability_grade=3)
    persons = Person.objects.all()

    def selected(group: str) -> bool:
        return BY_CODE[group].select(persons, today(), "320722").filter(pk=person.pk).exists()

    assert not selected("widowed_elderly") and not selected("severe_disability")
    dated_value("discovery.campaign_ages", 65, key="widowed_elderly")
    dated_value("discovery.campaign_disability_grade", 3)
    assert selected("widowed_elderly") and selected("severe_disability")


def test_compliance_thresholds_are_read_without_defaults(dated_value: Any) -> None:
    assert roster.thresholds(AREA, today()).min_minutes == 60
    dated_value("eldercare.compliance", 45, key="min_minutes")
    assert roster.thresholds(AREA, today()).min_minutes == 45
    with pytest.raises(ParameterError, match="no keyed value in force"):
        roster.thresholds(AREA, dt.date(2000, 1, 1))


def test_the_automatic_old_age_allowance_window_is_a_parameter(clerk: User,
                                                               dated_value: Any) -> None:
    from safetynet.benefits.models import Enrollment
    from safetynet.eldercare import allowance

    october = dt.date(2022, 10, 1)
    birth = dt.date(1942, 5, 15)  # 80 five months before October
    person = make_household(clerk, id_number=new_id(birth)).members.get()
    allowance.update_brackets(None, october)
    assert not Enrollment.objects.filter(person=person).exists()  # outside 3 months
    dated_value("eldercare.allowance_enrolment_months", 6, start=dt.date(2022, 1, 1))
    allowance.update_brackets(None, october)
    assert Enrollment.objects.filter(person=person, program="elderly_allowance").exists()


def test_the_first_visit_of_a_new_child_is_due_by_the_parameter(dated_value: Any) -> None:
    from safetynet.core.dates import add_months

    registered = today().replace(day=10)
    assert child_rules.first_visit_due(registered, AREA) == add_months(registered, 1)
    dated_value("children.first_visit_months", 2, start=registered - dt.timedelta(days=400))
    assert child_rules.first_visit_due(registered, AREA) == add_months(registered, 2)


def test_modification_prices_are_a_dated_parameter(dated_value: Any) -> None:
    from decimal import Decimal

    from safetynet.eldercare import catalogue

    assert catalogue.prices(AREA, today())["care_bed"] == Decimal("1800.00")
    assert set(catalogue.prices(AREA, today())) == set(catalogue.BY_CODE)
    dated_value("eldercare.modification_prices", "1950.50", key="care_bed")
    assert catalogue.prices(AREA, today())["care_bed"] == Decimal("1950.50")
    assert catalogue.prices(AREA, today())["walker"] == Decimal("200.00")
