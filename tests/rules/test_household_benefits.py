"""A household's benefits for the household page: each amount with the engine's explanation
(Chinese by default), the categories and the need assessment."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from safetynet.registry.models import Household
from safetynet.rules.selectors import first_of_month, household_benefits
from tests.rules.conftest import ON, add_household, member, members_of


def test_each_programme_with_its_explanation_in_chinese(registry) -> None:
    view = household_benefits(registry["dibao"], on=ON, lang="zh")
    [dibao] = view.benefits
    assert (dibao.program, dibao.person, dibao.monthly_amount) == ("dibao", None, 1250)
    assert dibao.explanation == "低保标准 650 元 × 3 人 − 家庭月收入 700 元 = 1,250 元"
    assert view.monthly_total == 1250 and view.per_capita_income == 233.33
    assert view.need is not None and view.need.level in ("none", "low", "medium", "high")
    assert any(label for label, _reason in view.need.recommendations)


def test_person_benefits_name_the_member(registry) -> None:
    view = household_benefits(registry["elder"], on=ON, lang="zh")
    name = members_of(registry["elder"])[0].name
    programs = {b.program: b for b in view.benefits}
    assert set(programs) == {"tekun_basic", "tekun_care", "elderly_allowance", "home_care"}
    assert programs["tekun_basic"].person == name and programs["tekun_basic"].monthly_amount == 845
    assert "尊老金" in programs["elderly_allowance"].explanation


def test_categories_are_explained(registry) -> None:
    view = household_benefits(registry["near"], on=ON, lang="zh")
    assert view.benefits == []
    assert [c.name for c in view.categories] == ["low_income"]
    assert "低保边缘" in view.categories[0].explanation


def test_english_explanations_follow_the_active_language(registry) -> None:
    with translation.override("en"):
        view = household_benefits(registry["dibao"], on=ON)
    assert view.benefits[0].explanation.startswith("dibao standard 650 yuan")


def test_closed_members_are_not_named(clerk) -> None:
    household = add_household(clerk, [member(date(1980, 1, 1), 5000),
                                      member(date(2015, 1, 1), orphan_status="orphan")])
    child = members_of(household)[1]
    view = household_benefits(household, closed={child.pk}, on=ON)
    [orphan] = view.benefits
    assert orphan.program == "orphan_allowance" and orphan.hidden and orphan.person is None
    html = render_to_string("rules/_household_benefits.html", {"benefits": view})
    assert child.name not in html and "1646" in html.replace(",", "")


def test_defaults_to_the_first_day_of_the_current_month(registry) -> None:
    assert household_benefits(registry["dibao"]).on == first_of_month()
    assert first_of_month(date(2022, 9, 17)) == date(2022, 9, 1)


def test_a_dissolved_household_has_no_benefits(registry) -> None:
    Household.objects.filter(pk=registry["dibao"].pk).update(active=False)
    household = Household.objects.get(pk=registry["dibao"].pk)
    view = household_benefits(household, on=ON)
    assert not view.active and view.benefits == []
    assert "<table" not in render_to_string("rules/_household_benefits.html", {"benefits": view})


def test_the_partial_shows_amounts_explanations_and_need(registry) -> None:
    view = household_benefits(registry["elder"], on=ON, lang="zh")
    html = render_to_string("rules/_household_benefits.html", {"benefits": view})
    assert "845" in html and "低保标准 650 元 × 1.3 = 845 元" in html
    assert 'class="recommendations"' in html


def test_a_fixed_number_of_queries(registry) -> None:
    household = Household.objects.prefetch_related("members").get(pk=registry["elder"].pk)
    with CaptureQueriesContext(connection) as queries:
        household_benefits(household, on=ON)
    assert len(queries) <= 6  # five for the columns, one for approved parameter changes
