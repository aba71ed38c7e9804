"""The children's service functions no other test named (issue #18): permission answers,
facts and categories, notices, exports, and the hotline's hand-over and assignment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safetynet.accounts.roles import Role
from safetynet.children import rules
from safetynet.children.models import CaseState, Notice, Urgency
from safetynet.children.services import access, common, exports, registry
from safetynet.children.services import hotline as child_hotline
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from tests.children.conftest import add_child, register, years_ago
from tests.children.test_hotline import CASE
from tests.conftest import VILLAGE_A, VILLAGE_B, make_user


def test_may_edit_is_for_child_workers_of_the_village(director, supervisor, clerk,
                                                      county) -> None:
    assert access.may_edit(director, VILLAGE_A) and access.may_edit(supervisor, VILLAGE_A)
    assert not access.may_edit(director, VILLAGE_B)
    assert not access.may_edit(clerk, VILLAGE_A)
    director.is_active = False
    assert not access.may_edit(director, VILLAGE_A)


def test_is_hotline_needs_the_partner_role_and_the_hotline_department(hotline, clerk) -> None:
    assert access.is_hotline(hotline) and access.is_hotline(Actor.of(hotline))
    assert not access.is_hotline(clerk) and not access.is_hotline(Actor.of(clerk))
    hotline.department = "education"
    # An actor has no department of its own: its user's is read.
    assert not access.is_hotline(hotline) and not access.is_hotline(Actor.of(hotline))


def test_may_handle_case_covers_workers_and_the_hotline(director, hotline, clerk) -> None:
    assert access.may_handle_case(director, VILLAGE_A)
    assert access.may_handle_case(hotline, VILLAGE_B)  # the county's hotline
    assert not access.may_handle_case(director, VILLAGE_B)
    assert not access.may_handle_case(clerk, VILLAGE_A)


def test_may_review_is_the_village_child_director_only(director, supervisor) -> None:
    assert registry.may_review(Actor.of(director), VILLAGE_A)
    assert not registry.may_review(Actor.of(director), VILLAGE_B)
    assert not registry.may_review(Actor.of(supervisor), VILLAGE_A)


def test_refresh_derives_categories_and_the_next_visit_without_saving(director,
                                                                       family) -> None:
    child = register(director, add_child(director, family, years_ago(10)))
    child.father_status = child.mother_status = "at_home"
    found = registry.refresh(child, common.today())
    assert found == {} and child.categories == "" and not child.active
    assert child.next_visit_due is None
    child.refresh_from_db()
    assert child.category_list == ["left_behind"]  # not saved
    child.father_status = "migrant"
    child.mother_status = "migrant"
    assert list(registry.refresh(child, common.today())) == ["left_behind"]
    assert child.next_visit_due == rules.add_months(child.registered_on, 1)


def test_update_child_saves_the_facts_and_rederives(director, clerk, family) -> None:
    child = register(director, add_child(director, family, years_ago(10)))
    updated = registry.update_child(Actor.of(director), child, {"father_status": "at_home",
                                                      "mother_status": "at_home"})
    assert updated.category_list == [] and not updated.active
    event = AuditEvent.objects.filter(action="children.update").get()
    assert event.detail["before"] == ["left_behind"] and event.detail["after"] == []
    with pytest.raises(ValidationError) as err:
        registry.update_child(Actor.of(director), child, {"father_status": "abroad-ish"})
    assert "father_status" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        registry.update_child(Actor.of(clerk), child, {"father_status": "migrant"})
    child.refresh_from_db()
    assert child.father_status == "at_home"


def test_read_notice_marks_it_read_by_the_editor(director, county, family) -> None:
    child = register(director, add_child(director, family, years_ago(10)))
    notice = Notice.objects.create(child=child, area=child.area, kind="age", message="16",
                                   created_on=common.today())
    other = make_user("childdir_b", Role.CHILD_DIRECTOR, county[VILLAGE_B])
    with pytest.raises(PermissionDenied):
        registry.read_notice(Actor.of(other), notice)
    assert Notice.objects.get(pk=notice.pk).read_by is None
    registry.read_notice(Actor.of(director), notice)
    assert Notice.objects.get(pk=notice.pk).read_by == director
    assert AuditEvent.objects.filter(action="children.notice_read").count() == 1


def test_audit_export_needs_a_child_worker_and_a_reason(director, clerk) -> None:
    with pytest.raises(PermissionDenied):
        exports.audit_export(Actor.of(clerk), "list", "年度核查名单", 3)
    with pytest.raises(ValidationError) as err:
        exports.audit_export(Actor.of(director), "list", " ", 3)
    assert "reason" in err.value.message_dict
    assert not AuditEvent.objects.filter(action="children.export").exists()
    exports.audit_export(Actor.of(director), "list", "年度核查名单上报", 3)
    event = AuditEvent.objects.get(action="children.export")
    assert event.detail["rows"] == 3 and event.object_id == "list"


def test_hand_over_makes_an_open_case_an_emergency(hotline, director, clerk) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    with pytest.raises(ValidationError) as err:
        child_hotline.hand_over(Actor.of(director), case, {"service": "119"})
    assert "service" in err.value.message_dict
    at = timezone.now() - dt.timedelta(minutes=5)
    with pytest.raises(PermissionDenied):
        child_hotline.hand_over(Actor.of(clerk), case, {"service": "110", "handed_over_at": at})
    case = child_hotline.hand_over(Actor.of(director), case,
                                   {"service": "110", "handed_over_at": at})
    assert case.urgency == Urgency.EMERGENCY and case.handed_over_at == at
    assert [s.action for s in case.steps.all()] == ["open", "hand_over"]
    closed = child_hotline.close_case(Actor.of(director), case, "已由派出所处置")
    assert closed.state == CaseState.CLOSED
    with pytest.raises(ValidationError):
        child_hotline.hand_over(Actor.of(director), closed,
                                {"service": "110", "handed_over_at": at})


def test_assign_case_to_a_child_worker_of_the_village(hotline, director, supervisor,
                                                      county) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    assert case.responsible == director
    case = child_hotline.assign_case(Actor.of(hotline), case, supervisor)
    assert case.responsible == supervisor
    assert case.steps.filter(action="assign").exists()
    stranger = make_user("childdir_b", Role.CHILD_DIRECTOR, county[VILLAGE_B])
    with pytest.raises(ValidationError) as err:
        child_hotline.assign_case(Actor.of(hotline), case, stranger)
    assert "responsible" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        child_hotline.assign_case(Actor.of(stranger), case, director)
    case.refresh_from_db()
    assert case.responsible == supervisor
