"""Registering children, reviewing categories, visits and their due dates, the age sweep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safetynet.children import rules, selectors
from safetynet.children.models import Notice
from safetynet.children.services import common, registry, visits
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from tests.children.conftest import add_child, register, years_ago


def test_left_behind_child_is_registered_with_reason_and_first_visit_due(director,
                                                                          family) -> None:
    child = register(director, add_child(director, family, years_ago(10)))
    assert child.category_list == ["left_behind"]
    assert child.needs_review
    assert child.next_visit_due == rules.add_months(child.registered_on, 1)
    reasons = selectors.reasons(child, common.today())
    assert "10" in reasons["left_behind"]
    assert AuditEvent.objects.filter(action="children.register").exists()


def test_only_child_workers_of_the_village_register(clerk, supervisor, family, county) -> None:
    person = add_child(clerk, family, years_ago(8))
    with pytest.raises(PermissionDenied):
        registry.register_child(Actor.of(clerk), person, {})
    assert registry.register_child(Actor.of(supervisor), person, {}).pk


def test_adult_and_twice_registered_children_are_refused(director, family) -> None:
    adult = add_child(director, family, years_ago(20), name="成年")
    with pytest.raises(ValidationError) as err:
        register(director, adult)
    assert "person" in err.value.message_dict
    child = add_child(director, family, years_ago(9))
    register(director, child)
    with pytest.raises(ValidationError):
        register(director, child)


def test_medium_risk_needs_reasons(director, family) -> None:
    with pytest.raises(ValidationError) as err:
        register(director, add_child(director, family, years_ago(9)), risk="medium")
    assert "risk_reasons" in err.value.message_dict


@pytest.mark.parametrize("facts,months", [
    ({}, 3),                                                      # left-behind: quarterly
    ({"father_status": "deceased", "mother_status": "deceased"}, 1),   # orphan: monthly
    ({"father_status": "imprisoned", "mother_status": "missing"}, 1),  # no de facto carer
    ({"father_status": "at_home", "mother_status": "at_home", "poverty": True}, 3),
])
def test_next_visit_is_due_by_category_after_each_visit(director, family, facts,
                                                        months) -> None:
    child = register(director, add_child(director, family, years_ago(9)),
                     registered_on=date(2022, 1, 10), **facts)
    visits.record_visit(Actor.of(director), child, {"visited_on": date(2022, 3, 31), "present":
                                          "祖母", "findings": "学习生活正常"})
    child.refresh_from_db()
    assert child.last_visit_on == date(2022, 3, 31)
    assert child.next_visit_due == rules.add_months(date(2022, 3, 31), months)


def test_a_visit_leaves_the_due_list(director, family) -> None:
    child = register(director, add_child(director, family, years_ago(9)),
                     registered_on=common.today() - timedelta(days=120))
    today = common.today()
    assert list(selectors.due_visits(director, today)) == [child]
    assert list(selectors.overdue_visits(director, today)) == [child]
    visits.record_visit(Actor.of(director), child, {"visited_on": today, "present": "祖母、本人",
                                          "findings": "身体健康"})
    assert not selectors.due_visits(director, today).exists()


def test_visit_needs_fields_and_no_future_date(director, family) -> None:
    child = register(director, add_child(director, family, years_ago(9)))
    with pytest.raises(ValidationError) as err:
        visits.record_visit(Actor.of(director), child, {"visited_on": common.today() +
                                              timedelta(days=1), "present": "x",
                                              "findings": "y"})
    assert "visited_on" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        visits.record_visit(Actor.of(director), child, {"visited_on": common.today()})
    assert "present" in err.value.message_dict


def test_a_needs_finding_opens_a_referral_in_the_single_window(director, family) -> None:
    from safetynet.intake.models import Referral

    child = register(director, add_child(director, family, years_ago(9)))
    visit = visits.record_visit(Actor.of(director), child, {
        "visited_on": common.today(), "present": "祖母", "findings": "视力下降",
        "needs": "需要配眼镜", "open": "referral", "department": "health_insurance"})
    referral = Referral.objects.get(number=visit.referral_number)
    assert referral.person_id == child.person_id and referral.description == "需要配眼镜"


def test_a_needs_finding_opens_an_application(director, family) -> None:
    from safetynet.intake.models import Application

    child = register(director, add_child(director, family, years_ago(9)),
                     father_status="deceased", mother_status="deceased")
    visit = visits.record_visit(Actor.of(director), child, {
        "visited_on": common.today(), "present": "祖母", "findings": "孤儿",
        "needs": "申请孤儿基本生活费", "open": "orphan"})
    app = Application.objects.get(number=visit.referral_number)
    assert app.kind == "orphan" and app.beneficiary_id == child.person_id


def test_review_confirms_categories_and_marks_orphans_in_the_registry(director, family) -> None:
    child = register(director, add_child(director, family, years_ago(9)),
                     father_status="deceased", mother_status="imprisoned")
    child = registry.review_categories(Actor.of(director), child)
    assert not child.needs_review and child.reviewed_by == director
    child.person.refresh_from_db()
    assert child.person.orphan_status == "no_de_facto_carer"


def test_turning_16_leaves_the_left_behind_list_with_a_notice(director, family) -> None:
    today = common.today()
    birth = date(today.year - 16, today.month, min(today.day, 28)) + timedelta(days=10)
    child = register(director, add_child(director, family, birth))
    assert child.person.age_on(today) == 15 and child.category_list == ["left_behind"]
    assert registry.sweep_ages(today) == 0
    birthday = date(birth.year + 16, birth.month, birth.day)
    assert registry.sweep_ages(birthday - timedelta(days=1)) == 0
    assert registry.sweep_ages(birthday) == 1
    child.refresh_from_db()
    assert child.category_list == [] and not child.active
    notice = Notice.objects.get(child=child)
    assert "16" in notice.message
    assert list(selectors.notices_for(director)) == [notice]
    assert registry.sweep_ages(birthday) == 0  # idempotent
    assert child not in selectors.in_category(selectors.followed(director), "left_behind")
