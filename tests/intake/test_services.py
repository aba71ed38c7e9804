"""The single window's services: the dibao path to enrolment, refusals, maker-checker, the
public notice, minors, duplicates and the help-first path of temporary assistance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.benefits.models import Enrollment
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.intake.models import Application, Kind, State
from safetynet.intake.services import applications, temporary
from safetynet.registry.models import Household
from tests.conftest import make_household, new_id
from tests.intake.conftest import CHECK, REVIEW, VISIT, apply, walk


def _long_ago() -> date:
    return timezone.localdate() - timedelta(days=40)


def _to_notice(app: Application, clerk: User, officer: User, start: date) -> Application:
    return walk(app, (clerk, "accept", {}), (clerk, "check", CHECK), (officer, "visit", VISIT),
                (officer, "review", REVIEW), (clerk, "post_notice", {"notice_start": start}))


def test_dibao_walks_from_window_to_enrolment(clerk: User, officer: User, approver: User,
                                              household: Household) -> None:
    app = _to_notice(apply(clerk, household), clerk, officer, _long_ago())
    app = walk(app, (clerk, "close_notice", {}), (approver, "approve", {"reason": "符合条件"}))
    assert app.state == State.APPROVED
    assert app.open_key is None
    enrollment = Enrollment.objects.get(pk=app.enrollment_id)
    assert enrollment.program == "dibao" and enrollment.household_id == household.pk
    assert [s.action for s in app.steps.all()] == [
        "create", "accept", "check", "visit", "review", "post_notice", "close_notice",
        "approve"]
    assert AuditEvent.objects.filter(action="intake.approve", object_id=str(app.pk)).exists()
    # The decision letter is due, then the applicant is told.
    assert app.due_on is not None
    app = applications.take_action(Actor.of(clerk), app, "inform",
                                   {"informed_on": timezone.localdate()})
    assert app.due_on is None


def test_refusal_needs_written_reasons(clerk: User, officer: User, approver: User,
                                       household: Household) -> None:
    app = walk(_to_notice(apply(clerk, household), clerk, officer, _long_ago()),
               (clerk, "close_notice", {}))
    with pytest.raises(ValidationError) as exc:
        applications.take_action(Actor.of(approver), app, "refuse", {"reason": ""})
    assert "reason" in exc.value.message_dict
    app = applications.take_action(Actor.of(approver), app, "refuse",
                                   {"reason": "家庭存款超过标准"})
    assert app.state == State.REFUSED and app.decision_reason == "家庭存款超过标准"
    assert app.enrollment_id is None


def test_reviewer_may_never_decide(clerk: User, officer: User, officer2: User,
                                   household: Household) -> None:
    app = walk(apply(clerk, Household.objects.get(pk=household.pk), Kind.TEMPORARY_EMERGENCY),
               (clerk, "accept", {}), (clerk, "check", CHECK), (officer, "visit", VISIT),
               (officer, "review", REVIEW))
    with pytest.raises(PermissionDenied, match="maker-checker|经办"):
        applications.take_action(Actor.of(officer), app, "township_approve",
                             {"amount": "300", "reason": "急难"})
    app = applications.take_action(Actor.of(officer2), app, "township_approve",
                               {"amount": "300", "reason": "急难"})
    assert app.state == State.APPROVED and app.amount == Decimal("300")


def test_approval_impossible_before_the_notice_ends(clerk: User, officer: User,
                                                    approver: User,
                                                    household: Household) -> None:
    app = _to_notice(apply(clerk, household), clerk, officer, timezone.localdate())
    with pytest.raises(ValidationError, match="notice|公示"):
        applications.take_action(Actor.of(clerk), app, "close_notice", {})
    with pytest.raises(ValidationError, match="Approve|批准"):
        applications.take_action(Actor.of(approver), app, "approve", {"reason": "x"})
    assert Application.objects.get(pk=app.pk).state == State.NOTICE


def test_objections_lead_to_democratic_appraisal(clerk: User, officer: User, approver: User,
                                                 household: Household) -> None:
    app = _to_notice(apply(clerk, household), clerk, officer, _long_ago())
    app = applications.take_action(Actor.of(clerk), app, "object", {"received_on": _long_ago(),
                                                          "content": "他家有车"})
    with pytest.raises(ValidationError, match="appraisal|评议"):
        applications.take_action(Actor.of(clerk), app, "close_notice", {})
    app = walk(app, (clerk, "to_appraisal", {}),
               (officer, "appraise", {"appraisal": "村民代表 7 人评议", "outcome": "车辆已报废"}))
    assert app.state == State.COUNTY
    assert app.objections.get().handled


def test_minors_are_never_put_on_a_notice(clerk: User, officer: User, approver: User) -> None:
    child_home = make_household(clerk, name="小明", id_number=new_id(date(2015, 3, 3)))
    app = walk(apply(clerk, child_home, Kind.TEKUN), (clerk, "accept", {}),
               (clerk, "check", CHECK), (officer, "visit", VISIT), (officer, "review", REVIEW))
    with pytest.raises(ValidationError, match="Minors|未成年"):
        applications.take_action(Actor.of(clerk), app, "post_notice",
                                 {"notice_start": timezone.localdate()})
    app = applications.take_action(Actor.of(officer), app, "submit", {})
    assert app.state == State.COUNTY and app.notice_start is None


def test_adults_cannot_skip_the_notice(clerk: User, officer: User,
                                       household: Household) -> None:
    app = walk(apply(clerk, household), (clerk, "accept", {}), (clerk, "check", CHECK),
               (officer, "visit", VISIT), (officer, "review", REVIEW))
    with pytest.raises(ValidationError, match="notice|公示"):
        applications.take_action(Actor.of(officer), app, "submit", {})


def test_actions_outside_the_state_machine_are_refused(clerk: User,
                                                       household: Household) -> None:
    app = apply(clerk, household)
    with pytest.raises(ValidationError) as exc:
        applications.take_action(Actor.of(clerk), app, "close_notice", {})
    assert exc.value.code == "transition"
    with pytest.raises(ValidationError):
        applications.take_action(Actor.of(clerk), app, "grant_now", {"amount": "1"})


def test_roles_are_enforced(clerk: User, village_worker: User, household: Household) -> None:
    app = apply(clerk, household)
    with pytest.raises(PermissionDenied):
        applications.take_action(Actor.of(village_worker), app, "accept", {})


def test_out_of_area_staff_cannot_act(clerk: User, clerk_b: User, household: Household) -> None:
    app = apply(clerk, household)
    with pytest.raises(PermissionDenied):
        applications.take_action(Actor.of(clerk_b), app, "accept", {})
    with pytest.raises(PermissionDenied):
        apply(clerk_b, household)


def test_required_records_are_named(clerk: User, officer: User, household: Household) -> None:
    app = walk(apply(clerk, household), (clerk, "accept", {}), (clerk, "check", CHECK))
    with pytest.raises(ValidationError) as exc:
        applications.take_action(Actor.of(officer), app, "visit", {"visited_on": date(2022, 1, 1)})
    assert {"investigator_1", "investigator_2", "findings"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError) as exc:
        applications.take_action(Actor.of(officer), app, "visit",
                                 {**VISIT, "investigator_2": "李强"})
    assert "investigator_2" in exc.value.message_dict
    assert Application.objects.get(pk=app.pk).state == State.CHECKED


def test_second_open_application_is_refused_with_the_open_one(clerk: User,
                                                               household: Household) -> None:
    first = apply(clerk, household)
    with pytest.raises(ValidationError) as exc:
        apply(clerk, household)
    assert first.number in str(exc.value)
    # Another programme, or the same once the first is closed, is fine.
    apply(clerk, household, Kind.TEMPORARY_EXPENDITURE)
    applications.take_action(Actor.of(clerk), first, "withdraw", {"reason": "申请人撤回"})
    assert apply(clerk, household).pk != first.pk


def test_idempotency_key_returns_the_same_application(clerk: User,
                                                      household: Household) -> None:
    first = apply(clerk, household, idempotency_key="k-1")
    again = apply(clerk, household, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Application.objects.count() == 1


def test_help_first_grant_within_the_township_limit(clerk: User, officer: User,
                                                    household: Household) -> None:
    app = walk(apply(clerk, household, Kind.TEMPORARY_EMERGENCY), (clerk, "accept", {}))
    limit = temporary.township_limit(app)
    with pytest.raises(ValidationError) as exc:
        applications.take_action(Actor.of(officer), app, "grant_now",
                                 {"amount": limit + 1, "reason": "火灾"})
    assert "amount" in exc.value.message_dict
    app = applications.take_action(Actor.of(officer), app, "grant_now",
                                   {"amount": limit, "reason": "火灾"})
    assert app.state == State.GRANTED
    grant = Enrollment.objects.get(pk=app.enrollment_id)
    assert grant.program == "temporary"
    app = applications.take_action(Actor.of(officer), app, "complete", VISIT)
    assert app.state == State.APPROVED


def test_extension_moves_the_whole_procedure_due_date(clerk: User, officer: User,
                                                      household: Household) -> None:
    app = walk(apply(clerk, household), (clerk, "accept", {}))
    before = app.overall_due_on
    app = applications.take_action(Actor.of(officer), app, "extend", {"reason": "需补充材料"})
    assert app.overall_due_on > before
    with pytest.raises(ValidationError):
        applications.take_action(Actor.of(officer), app, "extend", {"reason": "again"})


def test_other_need_is_referred(clerk: User, household: Household) -> None:
    app = apply(clerk, household, Kind.OTHER_NEED, reason="孩子上学需要资助")
    app = applications.take_action(Actor.of(clerk), app, "refer", {
        "department": "education", "subject": "教育资助", "description": "高中学费"})
    assert app.state == State.REFERRED
    referral = app.referrals.get()
    assert referral.department == "education" and referral.due_on > timezone.localdate()
