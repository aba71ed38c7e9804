"""Printed documents: each PDF renders with the case's data, ID numbers only masked,
minors never on a public notice, children's closed records unnamed; the views check the
caller's areas and role and audit every print.

Text is read back from the PDF with pypdf (whitespace removed: lines wrap anywhere in
Chinese).
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from safetynet.accounts.models import User
from safetynet.benefits.models import Enrollment
from safetynet.core.actor import Actor
from safetynet.core.masking import mask_id
from safetynet.core.models import Area, AuditEvent
from safetynet.intake import documents
from safetynet.intake.models import Application
from safetynet.intake.services import applications
from safetynet.registry import services as registry
from safetynet.registry.models import Household
from tests.conftest import TOWN_A, VILLAGE_A, VILLAGE_A2, make_household, new_id
from tests.intake.conftest import CHECK, VISIT, apply, on_notice, ready_for_county

FULL_ID_NUMBER = re.compile(r"(?<![0-9Xx])[0-9]{17}[0-9Xx](?![0-9Xx])")


def text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(pdf)).pages
    found = "".join(page.extract_text() for page in pages)
    assert not FULL_ID_NUMBER.search(re.sub(r"\s", "", found)), "a whole ID number is printed"
    return re.sub(r"\s", "", found)


def squeezed(value: str) -> str:
    return re.sub(r"\s", "", value)


def approved(clerk: User, officer: User, approver: User, household: Household) -> Application:
    app = ready_for_county(clerk, officer, household)
    return applications.take_action(Actor.of(approver), app, "approve",
                                    {"reason": "家庭人均收入低于低保标准"})


def head(household: Household) -> Any:
    return household.members.order_by("pk")[0]


# --- the documents ---------------------------------------------------------------------------


def test_the_application_form_prints_the_case_with_masked_ids(
        clerk: User, adult_household: Household) -> None:
    app = apply(clerk, adult_household, reason="夫妻二人均无劳动能力")
    printed = text(documents.application_form(app))
    applicant = head(adult_household)
    assert app.number in printed and applicant.name in printed
    assert mask_id(applicant.id_number) in printed
    assert "夫妻二人均无劳动能力" in printed and adult_household.number in printed
    assert "张三家0" in printed  # the other member


def test_the_printed_form_follows_the_language(clerk: User,
                                               adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    with translation.override(settings.LANGUAGE_CODE):  # Chinese, the default
        assert "姓名" in text(documents.application_form(app))
    with translation.override("en"):
        assert "Applicationforsocialassistance" in text(documents.application_form(app))


def test_a_blank_form_prints_for_handwriting(db: Any) -> None:
    with translation.override("en"):
        printed = text(documents.application_form(None))
    assert "Applicationforsocialassistance" in printed and "Signatureoftheapplicant" in printed
    assert "Old-ageallowance" in printed  # every programme to tick


def test_the_visit_record_is_blank_before_and_filled_after_the_visit(
        clerk: User, officer: User, adult_household: Household) -> None:
    app = apply(clerk, adult_household)
    app = applications.take_action(Actor.of(clerk),
                                   applications.take_action(Actor.of(clerk), app, "accept", {}),
                                   "check", CHECK)
    with translation.override("en"):
        before = text(documents.visit_record(app))
        app = applications.take_action(Actor.of(officer), app, "visit", VISIT)
        after = text(documents.visit_record(app))
    assert "____year" in before and "李强" not in before
    assert "李强、王芳" in after and squeezed(VISIT["findings"]) in after
    assert "Jan.1,2022" in after and "Bothinvestigatorsandthepersonvisitedsigned" in after


def test_the_approval_form_shows_every_step_of_the_case(
        clerk: User, officer: User, approver: User, adult_household: Household,
        enrolment: Any) -> None:
    app = approved(clerk, officer, approver, adult_household)
    with translation.override("en"):
        printed = text(documents.approval_form(app))
    for expected in ["Householdregistration", "未发现财产", "李强、王芳", "符合低保条件，建议批准",
                     "Recommendapproval", "620.00", "Noobjectionwasraised",
                     "家庭人均收入低于低保标准", "approver_c", "东海县CivilAffairsBureau"]:
        assert expected in printed, expected


def test_the_approval_letter_gives_amount_reasons_and_the_right_to_appeal(
        clerk: User, officer: User, approver: User, adult_household: Household,
        enrolment: Any) -> None:
    app = approved(clerk, officer, approver, adult_household)
    with translation.override("en"):
        printed = text(documents.decision_letter(app))
    paid = Enrollment.objects.get(pk=app.enrollment_id).monthly_amount
    assert "Decisiononsocialassistance" in printed and "isapproved" in printed
    assert f"{paid:,.2f}yuanamonth" in printed and "家庭人均收入低于低保标准" in printed
    assert "administrativereconsiderationtothePeople'sGovernmentof东海县within60days" in printed
    assert "administrativelawsuit" in printed and "sixmonths" in printed


def test_the_refusal_letter_gives_the_written_reasons(
        clerk: User, officer: User, approver: User, adult_household: Household) -> None:
    app = ready_for_county(clerk, officer, adult_household)
    app = applications.take_action(Actor.of(approver), app, "refuse",
                                   {"reason": "家庭存款超过规定标准"})
    with translation.override("en"):
        printed = text(documents.decision_letter(app))
    assert "Noticeofrefusalofsocialassistance" in printed and "isnotapproved" in printed
    assert "家庭存款超过规定标准" in printed and "administrativereconsideration" in printed
    assert "yuanamonth" not in printed


def test_no_letter_before_a_decision(clerk: User, adult_household: Household) -> None:
    with pytest.raises(documents.NotDecided):
        documents.decision_letter(apply(clerk, adult_household))


def test_children_whose_records_are_closed_are_not_named(clerk: User,
                                                         adult_household: Household) -> None:
    child = registry.add_person(Actor.of(clerk), adult_household, {
        "name": "张小宝", "id_number": new_id(date(2018, 6, 1)), "relation": "grandchild"})
    app = apply(clerk, adult_household)
    with translation.override("en"):
        printed = text(documents.application_form(app, hidden={child.pk}))
        assert "Restrictedrecord" in printed and "张小宝" not in printed
        assert "张小宝" in text(documents.application_form(app))  # a child director's copy


# --- the public notice -----------------------------------------------------------------------


def household_of(clerk: User, name: str, born: date, village: str = VILLAGE_A) -> Household:
    return make_household(clerk, village=village, name=name, id_number=new_id(born))


def test_the_notice_lists_adults_with_masked_ids_and_never_minors(
        clerk: User, county: dict[str, Area]) -> None:
    adult = apply(clerk, household_of(clerk, "王大山", date(1958, 3, 1)))
    young_head = apply(clerk, household_of(clerk, "李少年", date(date.today().year - 17, 1, 1)))
    parent = household_of(clerk, "赵母亲", date(1985, 1, 1))
    child = registry.add_person(Actor.of(clerk), parent, {
        "name": "赵小妹", "id_number": new_id(date(2015, 1, 1)), "relation": "child"})
    for_child = apply(clerk, parent, kind="disability_living", beneficiary=child)
    with translation.override("en"):
        printed = text(documents.notice_sheet([adult, young_head, for_child],
                                              county[TOWN_A], date.today(), date.today()))
    assert "王大山" in printed and mask_id(adult.applicant.id_number) in printed
    assert "李少年" not in printed and "赵母亲" not in printed and "赵小妹" not in printed
    assert mask_id(young_head.applicant.id_number) not in printed
    assert "Publicnoticeofproposedsocialassistance" in printed


def test_someone_under_18_on_the_posting_day_stays_off_the_notice(
        clerk: User, county: dict[str, Area]) -> None:
    turned_18_yesterday = date.today().replace(year=date.today().year - 18, day=1)
    app = apply(clerk, household_of(clerk, "钱十八", turned_18_yesterday))
    posted_long_ago = date(turned_18_yesterday.year + 17, 1, 1)
    printed = text(documents.notice_sheet([app], county[TOWN_A], posted_long_ago, None))
    assert "钱十八" not in printed
    assert "钱十八" in text(documents.notice_sheet([app], county[TOWN_A], date.today(), None))


# --- the views -------------------------------------------------------------------------------


PER_APPLICATION = ["pdf_application", "pdf_visit", "pdf_approval", "pdf_decision"]


@pytest.fixture
def decided(clerk: User, officer: User, approver: User, adult_household: Household,
            enrolment: Any) -> Application:
    return approved(clerk, officer, approver, adult_household)


@pytest.mark.parametrize("name", PER_APPLICATION)
def test_each_document_is_an_inline_pdf_and_audited(client: Client, clerk: User,
                                                    decided: Application, name: str) -> None:
    client.force_login(clerk)
    response = client.get(reverse(f"intake:{name}", args=[decided.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="') and disposition.isascii()
    assert decided.number in disposition and "no-store" in response["Cache-Control"]
    assert head(decided.household).name in text(response.content)
    event = AuditEvent.objects.get(action="intake.print")
    assert event.user_id == clerk.pk and event.object_id == str(decided.pk)
    assert event.detail["document"] == name.removeprefix("pdf_")


def test_the_blank_form_is_printable_and_audited(client: Client, clerk: User) -> None:
    client.force_login(clerk)
    response = client.get(reverse("intake:pdf_blank"))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="intake.print", detail__document="blank").exists()


@pytest.mark.parametrize("name", PER_APPLICATION)
def test_applications_outside_the_areas_answer_404(client: Client, clerk_b: User,
                                                   decided: Application, name: str) -> None:
    client.force_login(clerk_b)
    assert client.get(reverse(f"intake:{name}", args=[decided.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="intake.print").exists()


def test_roles_without_registry_access_and_strangers_are_refused(
        client: Client, partner: User, decided: Application) -> None:
    url = reverse("intake:pdf_application", args=[decided.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(partner)
    assert client.get(url).status_code == 403


def test_a_decision_letter_before_the_decision_is_409(client: Client, clerk: User,
                                                      adult_household: Household) -> None:
    client.force_login(clerk)
    app = apply(clerk, adult_household)
    assert client.get(reverse("intake:pdf_decision", args=[app.pk])).status_code == 409


def test_the_notice_view_lists_the_areas_applications_on_notice(
        client: Client, clerk: User, officer: User, county: dict[str, Area]) -> None:
    posted = on_notice(clerk, officer, household_of(clerk, "孙一", date(1950, 1, 1)))
    other_village = on_notice(clerk, officer,
                              household_of(clerk, "孙二", date(1951, 1, 1), VILLAGE_A2))
    waiting = apply(clerk, household_of(clerk, "孙三", date(1952, 1, 1)))
    client.force_login(clerk)
    village = text(client.get(reverse("intake:pdf_notice", args=[VILLAGE_A])).content)
    assert "孙一" in village and "孙二" not in village and "孙三" not in village
    township = text(client.get(reverse("intake:pdf_notice", args=[TOWN_A])).content)
    assert "孙一" in township and "孙二" in township
    event = AuditEvent.objects.filter(action="intake.print").last()
    assert event is not None and event.object_id == TOWN_A
    assert sorted(event.detail["applications"]) == sorted([posted.pk, other_village.pk])
    assert waiting.state == "received"


def test_the_notice_view_prints_a_chosen_list_of_reviewed_cases(
        client: Client, clerk: User, officer: User, county: dict[str, Area]) -> None:
    app = apply(clerk, household_of(clerk, "周五", date(1950, 1, 1)))
    for actor, action, data in [(clerk, "accept", {}), (clerk, "check", CHECK),
                                (officer, "visit", VISIT),
                                (officer, "review", {"opinion": "同意", "recommendation":
                                                     "approve"})]:
        app = applications.take_action(Actor.of(actor), app, action, data)
    client.force_login(clerk)
    url = reverse("intake:pdf_notice", args=[TOWN_A])
    assert "周五" in text(client.get(url, {"ids": str(app.pk)}).content)
    assert "周五" not in text(client.get(url).content)


def test_the_notice_of_another_township_is_404(client: Client, clerk_b: User,
                                               county: dict[str, Area]) -> None:
    client.force_login(clerk_b)
    assert client.get(reverse("intake:pdf_notice", args=[TOWN_A])).status_code == 404
    assert client.get(reverse("intake:pdf_notice", args=["320722999"])).status_code == 404


def test_an_approver_prints_after_a_verified_login(client: Client, decided: Application,
                                                   approver: User) -> None:
    from tests.conftest import login_verified

    login_verified(client, approver)
    assert client.get(reverse("intake:pdf_approval", args=[decided.pk])).status_code == 200
