"""Single-window screens: the application form adapts to its type, the case page shows the
next step and the rules beside it, actions post through the state machine."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.intake.models import Application, Attachment, Kind, State
from safetynet.registry.models import Household
from tests.conftest import client_for
from tests.intake.conftest import CHECK, REVIEW, VISIT, apply, walk

PDF = b"%PDF-1.4\n%test\n"




def test_new_application_form_registers_and_shows_the_case(clerk: User,
                                                           household: Household) -> None:
    client = client_for(clerk)
    url = reverse("intake:new", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "months" not in page.context["form"].fields  # not a temporary assistance form
    head = household.members.order_by("pk")[0]
    response = client.post(url, {
        "kind": Kind.DIBAO, "applicant": head.pk, "channel": "window",
        "reason": "无收入", "documents": SimpleUploadedFile("签字表.pdf", PDF)})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/intake/{app.pk}/")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "签字表.pdf"
    assert "签字表" not in attachment.file.name  # stored under a random name
    detail = client.get(response["Location"])
    assert app.number in detail.content.decode()
    assert detail.context["actions"][0].action == "accept"


def test_form_adapts_to_the_type(clerk: User, household: Household) -> None:
    client = client_for(clerk)
    url = reverse("intake:new", args=[household.pk])
    partial = client.post(url, {"kind": Kind.TEMPORARY_EMERGENCY}, HTTP_HX_REQUEST="true")
    assert "months" in partial.context["form"].fields
    assert not partial.context["form"].errors
    other = client.post(url, {"kind": Kind.OTHER_NEED}, HTTP_HX_REQUEST="true")
    assert "department" in other.context["form"].fields


def test_duplicate_is_refused_with_a_link_to_the_open_one(clerk: User,
                                                         household: Household) -> None:
    first = apply(clerk, household)
    client = client_for(clerk)
    head = household.members.order_by("pk")[0]
    response = client.post(reverse("intake:new", args=[household.pk]), {
        "kind": Kind.DIBAO, "applicant": head.pk, "channel": "window", "reason": "again"})
    assert response.status_code == 200
    assert reverse("intake:detail", args=[first.pk]) in response.content.decode()
    assert Application.objects.count() == 1


def test_bad_upload_is_refused_and_nothing_is_written(clerk: User,
                                                      household: Household) -> None:
    client = client_for(clerk)
    head = household.members.order_by("pk")[0]
    response = client.post(reverse("intake:new", args=[household.pk]), {
        "kind": Kind.DIBAO, "applicant": head.pk, "channel": "window", "reason": "x",
        "documents": SimpleUploadedFile("virus.pdf.exe", b"MZ\x90\x00")})
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_action_form_records_and_moves_the_case(clerk: User, officer: User,
                                                household: Household) -> None:
    app = walk(apply(clerk, household), (clerk, "accept", {}), (clerk, "check", CHECK))
    client = client_for(officer)
    url = reverse("intake:act", args=[app.pk, "visit"])
    page = client.get(url)
    assert set(page.context["form"].fields) >= {"investigator_1", "investigator_2", "photos"}
    bad = client.post(url, {"visited_on": "2022-01-01", "investigator_1": "李强"})
    assert bad.status_code == 200 and bad.context["form"].errors
    data: dict[str, Any] = {**VISIT, "visited_on": "2022-01-01"}
    ok = client.post(url, data)
    assert ok.status_code == 302
    assert Application.objects.get(pk=app.pk).state == State.VISITED


def test_an_action_not_allowed_now_says_so(clerk: User, household: Household) -> None:
    app = apply(clerk, household)
    response = client_for(clerk).get(reverse("intake:act", args=[app.pk, "approve"]),
                                  follow=True)
    assert "批准" in response.content.decode() or "Approve" in response.content.decode()
    assert Application.objects.get(pk=app.pk).state == State.RECEIVED


def test_work_list_tells_each_role_what_to_do(clerk: User, officer: User, approver: User,
                                             household: Household) -> None:
    app = walk(apply(clerk, household), (clerk, "accept", {}), (clerk, "check", CHECK),
               (officer, "visit", VISIT), (officer, "review", REVIEW),
               (clerk, "post_notice", {"notice_start": timezone.localdate()
                                       - timedelta(days=30)}),
               (clerk, "close_notice", {}))
    home = client_for(approver).get(reverse("home")).content.decode()
    assert reverse("intake:home") in home
    queue = client_for(approver).get(reverse("intake:home"))
    assert [a.pk for a in queue.context["page"]] == [app.pk]
    assert not list(client_for(clerk).get(reverse("intake:home")).context["page"])


def test_late_step_shows_as_overdue(clerk: User, officer: User, household: Household) -> None:
    app = apply(clerk, household)
    Application.objects.filter(pk=app.pk).update(due_on=timezone.localdate()
                                                 - timedelta(days=3))
    page = client_for(clerk).get(reverse("intake:home")).content.decode()
    assert "overdue" in page  # the badge's class
    report = client_for(officer).get(reverse("intake:overdue"))
    assert report.context["report"].total_overdue == 1
    escalated = client_for(officer).get(reverse("intake:home") + "?show=overdue")
    assert [a.pk for a in escalated.context["page"]] == [app.pk]


def test_household_page_offers_a_new_application(clerk: User, household: Household) -> None:
    apply(clerk, household)
    page = client_for(clerk).get(reverse("registry:household", args=[household.pk]))
    text = page.content.decode()
    assert reverse("intake:new", args=[household.pk]) in text
    assert Application.objects.get().number in text


def test_other_townships_cases_are_not_found(clerk: User, clerk_b: User,
                                            household: Household) -> None:
    app = apply(clerk, household)
    assert client_for(clerk_b).get(reverse("intake:detail", args=[app.pk])).status_code == 404


def test_approval_needs_the_one_time_code(approver: User, clerk: User,
                                          household: Household) -> None:
    app = apply(clerk, household)
    client = Client()
    client.force_login(approver)  # password only, no TOTP yet
    response = client.post(reverse("intake:act", args=[app.pk, "approve"]), {"reason": "x"})
    assert response.status_code == 302 and "/otp/" in response["Location"]
    assert Application.objects.get(pk=app.pk).state == State.RECEIVED


def test_application_list_queries_do_not_grow_with_rows(clerk: User,
                                                        household: Household) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.conftest import make_household

    client = client_for(clerk)
    apply(clerk, household)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("intake:home") + "?show=all")
    for i in range(5):
        apply(clerk, make_household(clerk, name=f"户{i}"))
    with CaptureQueriesContext(connection) as six:
        client.get(reverse("intake:home") + "?show=all")
    assert len(six.captured_queries) == len(one.captured_queries)
