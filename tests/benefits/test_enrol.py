"""enrol(): the interface the single window calls when an application is approved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from safetynet.benefits import services
from safetynet.benefits.models import Enrollment, EventKind, Status
from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from tests.benefits.conftest import APPROVED, SEPTEMBER, dibao_household, elderly_household


def test_dibao_amount_and_explanation_come_from_the_engine(approver, clerk):
    household = dibao_household(clerk)
    enrollment = services.enrol(Actor.of(approver), program="dibao", household=household,
                                person=None, approved_on=APPROVED, application_id=42)
    assert enrollment.start_month == SEPTEMBER
    assert enrollment.monthly_amount == Decimal("1350.00")  # 650 × 3 − 600
    assert enrollment.persons == 3
    assert "650" in enrollment.explanation
    assert enrollment.application_id == 42
    assert enrollment.review_months in (6, 12) and enrollment.next_review is not None
    event = enrollment.events.get()
    assert event.kind == EventKind.ENROLLED and event.amount == Decimal("1350.00")
    assert AuditEvent.objects.filter(action="benefits_enrolled",
                                     object_id=str(enrollment.pk)).exists()


def test_not_eligible_is_refused_naming_the_field(approver, clerk_b):
    household = elderly_household(clerk_b)
    with pytest.raises(ValidationError) as exc:
        services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                       approved_on=APPROVED)
    assert "household" in exc.value.message_dict
    assert not Enrollment.objects.exists()


def test_person_programme_needs_a_member(approver, clerk_b):
    household = elderly_household(clerk_b)
    with pytest.raises(ValidationError) as exc:
        services.enrol(Actor.of(approver), program="elderly_allowance", household=household,
                       person=None, approved_on=APPROVED)
    assert "person" in exc.value.message_dict
    person = household.members.get()
    enrollment = services.enrol(Actor.of(approver), program="elderly_allowance",
                                household=household, person=person, approved_on=APPROVED)
    assert enrollment.monthly_amount == Decimal("50.00")
    assert enrollment.review_months == 0 and enrollment.next_review is None


def test_second_enrolment_is_refused(approver, clerk):
    household = dibao_household(clerk)
    services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                   approved_on=APPROVED)
    with pytest.raises(ValidationError) as exc:
        services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                       approved_on=date(2022, 10, 3))
    assert "program" in exc.value.message_dict
    assert Enrollment.objects.count() == 1


def test_database_refuses_a_second_live_enrolment(approver, clerk):
    household = dibao_household(clerk)
    first = services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                           approved_on=APPROVED)
    twin = Enrollment(program="dibao", household=household, beneficiary=first.beneficiary,
                      approved_on=APPROVED, start_month=date(2023, 1, 1),
                      monthly_amount=Decimal(1), amount_from=date(2023, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_explicit_temporary_grant_is_paid_once_in_the_month_of_approval(approver, clerk):
    household = dibao_household(clerk)
    head = household.members.order_by("pk").first()
    grant = services.enrol(Actor.of(approver), program="temporary", household=household,
                           person=head, approved_on=APPROVED, amount=Decimal("1300"),
                           explanation="fire")
    assert (grant.start_month, grant.end_month) == (date(2022, 8, 1), date(2022, 8, 1))
    assert grant.status == Status.ENDED and grant.monthly_amount == Decimal("1300.00")
    living = household.members.filter(deceased_on__isnull=True).count()
    assert living > 1 and grant.persons == living  # a grant covers the whole household


def test_temporary_without_amount_is_refused(approver, clerk):
    household = dibao_household(clerk)
    with pytest.raises(ValidationError) as exc:
        services.enrol(Actor.of(approver), program="temporary", household=household,
                       person=household.members.first(), approved_on=APPROVED)
    assert "amount" in exc.value.message_dict


def test_outside_areas_and_wrong_role_are_refused(clerk, clerk_b, officer):
    household = dibao_household(clerk_b, village="320722101201")
    with pytest.raises(PermissionDenied):
        services.enrol(Actor.of(officer), program="dibao", household=household, person=None,
                       approved_on=APPROVED)
    with pytest.raises(PermissionDenied):
        services.enrol(Actor.of(clerk_b), program="dibao", household=household, person=None,
                       approved_on=APPROVED)


def test_unknown_programme_and_future_approval(approver, clerk):
    household = dibao_household(clerk)
    with pytest.raises(ValidationError) as exc:
        services.enrol(Actor.of(approver), program="bogus", household=household, person=None,
                       approved_on=APPROVED)
    assert "program" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                       approved_on=date(2999, 1, 1))
    assert "approved_on" in exc.value.message_dict


def test_enrol_joins_the_callers_transaction(approver, clerk):
    household = dibao_household(clerk)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enrol(Actor.of(approver), program="dibao", household=household, person=None,
                       approved_on=APPROVED)
        raise RuntimeError("the application's approval failed later")
    assert not Enrollment.objects.exists()
