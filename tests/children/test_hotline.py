"""12345 minors' hotline cases: routing by type, deadlines, escalation, closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safetynet.children import selectors
from safetynet.children.models import CaseState, HotlineCase
from safetynet.children.services import common
from safetynet.children.services import hotline as child_hotline
from safetynet.core.actor import Actor
from safetynet.core.workdays import add_working_days
from tests.conftest import VILLAGE_A, VILLAGE_B

CASE = {"caller_name": "邻居", "caller_phone": "13900002222", "child_name": "小红",
        "child_age": 9, "area_code": VILLAGE_A, "what_happened": "孩子长期独自在家"}


def test_advice_is_closed_at_once(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline),
                                   {**CASE, "kind": "advice", "outcome": "告知申请渠道"})
    assert case.state == CaseState.CLOSED and case.closed_at and case.due_on is None
    assert case.responsible == director


def test_advice_needs_the_answer(hotline, director) -> None:
    with pytest.raises(ValidationError) as err:
        child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "advice"})
    assert "outcome" in err.value.message_dict


def test_complaint_becomes_a_work_order_with_a_deadline(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint",
                                             "department": "education"})
    received = timezone.localdate(case.received_at)
    assert case.state == CaseState.REFERRED and case.department == "education"
    assert case.due_on == add_working_days(received, 5)


def test_open_complaint_is_due_for_referral_then_referred_and_closed(hotline,
                                                                      director) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint"})
    assert case.state == CaseState.OPEN
    assert case.due_on == add_working_days(timezone.localdate(case.received_at), 1)
    case = child_hotline.refer_case(Actor.of(director), case, "education", "请教育局核查")
    assert case.state == CaseState.REFERRED
    assert case.due_on == add_working_days(common.today(), 5)
    case = child_hotline.close_case(Actor.of(director), case, "学校已安排寄宿")
    assert case.state == CaseState.CLOSED
    assert [s.action for s in case.steps.all()] == ["open", "refer", "close"]


def test_emergency_is_handed_over_with_the_time(hotline, director) -> None:
    with pytest.raises(ValidationError) as err:
        child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "emergency", "service": "110"})
    assert "handed_over_at" in err.value.message_dict
    at = timezone.now() - dt.timedelta(minutes=3)
    case = child_hotline.open_case(Actor.of(hotline),
                                   {**CASE, "kind": "emergency", "service": "120",
                                             "handed_over_at": at})
    assert case.state == CaseState.HANDED_OVER and case.handed_over_at == at
    assert case.urgency == "emergency" and case.service == "120"


def test_hardship_goes_to_civil_affairs(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "hardship"})
    assert case.department == "civil_affairs" and case.state == CaseState.OPEN
    assert case.due_on == add_working_days(timezone.localdate(case.received_at), 5)


def test_no_case_without_a_responsible_person(hotline, county) -> None:
    with pytest.raises(ValidationError) as err:
        child_hotline.open_case(Actor.of(hotline),
                                {**CASE, "area_code": VILLAGE_B, "kind": "hardship"})
    assert "responsible" in err.value.message_dict


def test_supervisor_is_responsible_when_the_village_has_no_director(hotline,
                                                                    supervisor) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "hardship"})
    assert case.responsible == supervisor


def test_a_clerk_cannot_open_cases(clerk, director) -> None:
    with pytest.raises(PermissionDenied):
        child_hotline.open_case(Actor.of(clerk), {**CASE, "kind": "hardship"})


def test_overdue_cases_escalate_to_the_township_then_the_county(hotline, director,
                                                                supervisor) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "complaint",
                                             "department": "education"})
    due = case.due_on
    assert child_hotline.escalation_due(case, due) == 0
    day_after = add_working_days(due, 1)
    assert child_hotline.escalation_due(case, day_after) == 1
    assert child_hotline.escalation_due(case, add_working_days(due, 3)) == 1
    assert child_hotline.escalation_due(case, add_working_days(due, 4)) == 2
    assert child_hotline.escalate_overdue(day_after) == 1
    assert child_hotline.escalate_overdue(day_after) == 0
    case.refresh_from_db()
    assert case.escalation_level == 1
    assert list(selectors.escalated_cases(supervisor, day_after)) == [case]
    assert child_hotline.escalate_overdue(add_working_days(due, 4)) == 1
    case.refresh_from_db()
    assert case.escalation_level == 2


def test_escalation_by_hand_needs_a_reason(hotline, director, supervisor) -> None:
    case = child_hotline.open_case(Actor.of(hotline), {**CASE, "kind": "hardship"})
    with pytest.raises(ValidationError):
        child_hotline.escalate(Actor.of(director), case, "")
    case = child_hotline.escalate(Actor.of(director), case, "家长拒绝配合")
    assert case.escalation_level == 1
    assert list(selectors.escalated_cases(supervisor, common.today())) == [case]


def test_closed_cases_cannot_be_closed_again(hotline, director) -> None:
    case = child_hotline.open_case(Actor.of(hotline),
                                   {**CASE, "kind": "advice", "outcome": "已解答"})
    with pytest.raises(ValidationError):
        child_hotline.close_case(Actor.of(director), case, "again")
    assert HotlineCase.objects.count() == 1
