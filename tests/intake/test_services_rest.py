"""The single window's service functions no other test named (issue #18): attaching
documents, the duplicate lookup, the notice's end, who prepared a case, and who may handle
or close a referral."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.accounts.models import User
from safetynet.core.actor import Actor
from safetynet.intake.models import Attachment, Kind
from safetynet.intake.services import applications, attachments, common, notices, referrals
from safetynet.registry.models import Household
from tests.intake.conftest import CHECK, VISIT, apply, walk

PDF = b"%PDF-1.4\n%test\n"


def test_attach_stores_the_document_for_window_staff_of_the_area(
        clerk: User, clerk_b: User, partner: User, household: Household, settings,
        tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    app = apply(clerk, household)
    for stranger in (clerk_b, partner):
        with pytest.raises(PermissionDenied):
            attachments.attach(Actor.of(stranger), app, SimpleUploadedFile("a.pdf", PDF), "other")
    with pytest.raises(ValidationError) as err:
        attachments.attach(Actor.of(clerk), app, SimpleUploadedFile("a.exe", b"MZ"), "other")
    assert "documents" in err.value.message_dict
    assert not Attachment.objects.exists()
    attachment = attachments.attach(Actor.of(clerk), app, SimpleUploadedFile("证明.pdf", PDF),
                                    "certificate")
    assert attachment.application == app and attachment.content_type == "application/pdf"
    assert attachment.original_name == "证明.pdf" and attachment.size == len(PDF)
    assert attachment.file.read() == PDF


def test_open_duplicate_finds_the_open_application_of_the_same_kind(
        clerk: User, household: Household) -> None:
    assert applications.open_duplicate(Kind.DIBAO, household, None) is None
    app = apply(clerk, household)
    assert applications.open_duplicate(Kind.DIBAO, household, None) == app
    assert applications.open_duplicate(Kind.TEKUN, household, None) is None
    applications.take_action(Actor.of(clerk), app, "withdraw", {"reason": "申请人撤回申请"})
    assert applications.open_duplicate(Kind.DIBAO, household, None) is None


def test_notice_over_only_after_the_last_day(clerk: User, household: Household) -> None:
    app = apply(clerk, household)
    today = common.today()
    assert not notices.notice_over(app, today)  # no notice yet
    app.notice_end = today
    assert not notices.notice_over(app, today)
    assert notices.notice_over(app, today + timedelta(days=1))


def test_preparers_are_who_registered_accepted_and_reviewed(
        clerk: User, officer: User, officer2: User, household: Household) -> None:
    app = apply(clerk, household)
    assert applications.preparers(app) == {clerk.pk}
    app = walk(app, (clerk, "accept", {}), (clerk, "check", CHECK), (officer, "visit", VISIT))
    assert applications.preparers(app) == {clerk.pk}  # a home visit does not make a preparer
    app = walk(app, (officer2, "review", {"opinion": "符合条件，建议批准",
                                          "recommendation": "approve"}))
    assert applications.preparers(app) == {clerk.pk, officer2.pk}


def test_who_may_handle_and_close_a_referral(clerk: User, clerk_b: User, partner: User,
                                             household: Household) -> None:
    referral = referrals.send_referral(Actor.of(clerk), household, {
        "department": "health_insurance", "subject": "大病医疗救助",
        "description": "住院自付 3 万元"})
    assert referrals.may_handle_referral(Actor.of(partner), referral)
    assert not referrals.may_handle_referral(Actor.of(clerk), referral)
    partner.department = "education"
    assert not referrals.may_handle_referral(Actor.of(partner), referral)
    assert referrals.may_close_referral(Actor.of(clerk), referral)
    assert not referrals.may_close_referral(Actor.of(clerk_b), referral)  # another township
    assert not referrals.may_close_referral(Actor.of(partner), referral)
