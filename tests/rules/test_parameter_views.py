"""The parameter pages: every parameter with its history; proposals and decisions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from safetynet.core.models import AuditEvent
from safetynet.rules.models import ChangeStatus, ParameterChange
from safetynet.rules.parameters import current_parameters
from tests.conftest import COUNTY, TOWN_A, client_for


def test_every_parameter_is_listed_with_label_unit_and_history(clerk) -> None:
    response = client_for(clerk).get("/rules/")
    page = response.content.decode()
    assert response.status_code == 200
    for name in current_parameters().parameters:
        assert f'id="p-{name}"' in page
    assert "最低生活保障标准" in page and "2021-01-01" in page
    assert "散居孤儿基本生活费" in page and "2022-01-01" in page and "1646" in page
    assert 'class="tag illustrative"' in page


def test_labels_follow_the_language(clerk) -> None:
    client = client_for(clerk)
    client.cookies["django_language"] = "en"
    page = client.get("/rules/", headers={"accept-language": "en"}).content.decode()
    assert "Dibao (minimum living allowance) standard" in page


def test_the_rules_module_is_in_the_navigation(clerk) -> None:
    page = client_for(clerk).get("/").content.decode()
    assert 'href="/rules/"' in page


def test_an_officer_proposes_and_another_approver_approves_on_the_web(officer, approver,
                                                                      approver2) -> None:
    start = timezone.localdate() + dt.timedelta(days=30)
    response = client_for(officer).post("/rules/parameters/dibao.standard/", {
        "key": "", "scope": TOWN_A, "value": "700", "effective_from": start.isoformat(),
        "reason": "raise for 2023", "reference": "doc 1"})
    assert response.status_code == 302
    change = ParameterChange.objects.get()
    assert (change.proposed_by, change.scope, change.value) == (officer, TOWN_A, "700")
    approving = client_for(approver)
    queue = approving.get("/rules/changes/").content.decode()
    assert "raise for 2023" in queue
    approving.post(f"/rules/changes/{change.pk}/approve/", {"note": "ok"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == approver
    page = client_for(approver2).get("/rules/parameters/dibao.standard/").content.decode()
    assert start.isoformat() in page and f"#{change.pk}" in page


def test_the_proposer_cannot_approve_on_the_web(approver) -> None:
    client = client_for(approver)
    start = timezone.localdate() + dt.timedelta(days=30)
    client.post("/rules/parameters/dibao.standard/", {
        "key": "urban", "scope": COUNTY, "value": "700", "effective_from": start.isoformat(),
        "reason": "raise for 2023"})
    change = ParameterChange.objects.get()
    assert f"/rules/changes/{change.pk}/approve/" not in client.get(
        "/rules/changes/").content.decode()
    response = client.post(f"/rules/changes/{change.pk}/approve/", {"note": "self"})
    assert response.status_code == 403
    assert ParameterChange.objects.get().pending
    assert not AuditEvent.objects.filter(action="rules_parameter_approved").exists()


def test_form_errors_are_shown_for_a_past_date(officer) -> None:
    past = timezone.localdate() - dt.timedelta(days=1)
    response = client_for(officer).post("/rules/parameters/dibao.standard/", {
        "scope": TOWN_A, "value": "700", "effective_from": past.isoformat(), "reason": "test"})
    assert response.status_code == 200 and not ParameterChange.objects.exists()
    assert 'role="alert"' in response.content.decode()


def test_clerks_read_but_cannot_propose(clerk) -> None:
    client = client_for(clerk)
    assert 'name="effective_from"' not in client.get(
        "/rules/parameters/dibao.standard/").content.decode()
    response = client.post("/rules/parameters/dibao.standard/", {"value": "700"})
    assert response.status_code == 403


def test_an_unknown_parameter_is_404(clerk) -> None:
    assert client_for(clerk).get("/rules/parameters/dibao.colour/").status_code == 404


def test_approvers_see_pending_changes_in_their_work_list(officer, approver) -> None:
    client_for(officer).post("/rules/parameters/tekun.basic_factor/", {
        "scope": TOWN_A, "value": "1.4", "reason": "raise it",
        "effective_from": (timezone.localdate() + dt.timedelta(days=3)).isoformat()})
    page = client_for(approver).get("/").content.decode()
    assert "/rules/changes/" in page
