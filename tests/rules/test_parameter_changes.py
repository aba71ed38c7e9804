"""Changing a parameter is a reviewed action: propose, then a different approver decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safetynet.core.actor import Actor
from safetynet.core.models import AuditEvent
from safetynet.policy import evaluate_json
from safetynet.rules import services
from safetynet.rules.models import ChangeStatus, ParameterChange
from safetynet.rules.parameters import current_parameters
from tests.conftest import COUNTY, TOWN_A, TOWN_B
from tests.rules.test_cli_eval import PAYLOAD


def future(days: int = 40) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def proposal(**changes: Any) -> dict[str, Any]:
    return {"parameter": "dibao.standard", "scope": COUNTY, "value": "700",
            "effective_from": future(), "reason": "2023 standard raised", "reference": "东民发1号",
            **changes}


def dibao_on(day: dt.date) -> int:
    output = evaluate_json(PAYLOAD, on=day, params=current_parameters())
    return int(output["households"][0]["benefits"][0]["monthly_amount"])


def test_an_approved_change_applies_from_its_date_in_every_evaluation(approver,
                                                                       approver2) -> None:
    change = services.propose_change(Actor.of(approver), proposal())
    assert change.status == ChangeStatus.PROPOSED and dibao_on(future()) == 1250
    services.approve_change(Actor.of(approver2), change, "ok")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == approver2
    assert dibao_on(future()) == 700 * 3 - 700
    assert dibao_on(future() - dt.timedelta(days=1)) == 1250  # the past is never rewritten


def test_a_township_officer_proposes_for_the_township(officer, approver) -> None:
    change = services.propose_change(Actor.of(officer), proposal(
        parameter="dibao.standard.rural", scope=TOWN_A, value="720"))
    assert (change.parameter, change.key, change.scope) == ("dibao.standard", "rural", TOWN_A)
    services.approve_change(Actor.of(approver), change)
    output = evaluate_json(PAYLOAD, on=future(), params=current_parameters())
    assert output["households"][0]["benefits"][0]["monthly_amount"] == 720 * 3 - 700


def test_the_proposer_can_never_approve_even_as_an_approver(approver) -> None:
    change = services.propose_change(Actor.of(approver), proposal())
    with pytest.raises(PermissionDenied):
        services.approve_change(Actor.of(approver), change)
    with pytest.raises(PermissionDenied):
        services.reject_change(Actor.of(approver), change, "not mine to decide")
    change.refresh_from_db()
    assert change.status == ChangeStatus.PROPOSED


def test_only_approvers_decide_and_only_proposers_and_officers_propose(clerk, officer,
                                                                        approver) -> None:
    with pytest.raises(PermissionDenied):
        services.propose_change(Actor.of(clerk), proposal(scope=TOWN_A))
    change = services.propose_change(Actor.of(approver), proposal())
    with pytest.raises(PermissionDenied):
        services.approve_change(Actor.of(officer), change)


@pytest.mark.parametrize(("changes", "field"), [
    ({"effective_from": timezone.localdate() - dt.timedelta(days=1)}, "effective_from"),
    ({"value": "lots"}, "value"),
    ({"value": "650.555"}, "value"),
    ({"scope": TOWN_B}, "scope"),
    ({"scope": "32"}, "scope"),
    ({"reason": " "}, "reason"),
    ({"parameter": "dibao.colour"}, "parameter"),
])
def test_invalid_proposals_name_the_field(officer, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.propose_change(Actor.of(officer), proposal(**{"scope": TOWN_A, **changes}))
    assert field in caught.value.message_dict
    assert not ParameterChange.objects.exists()


def test_today_is_a_valid_effective_date(officer) -> None:
    change = services.propose_change(Actor.of(officer), proposal(scope=TOWN_A,
                                                       effective_from=timezone.localdate()))
    assert change.pk


def test_a_change_whose_date_passed_can_no_longer_be_approved(approver, approver2) -> None:
    change = services.propose_change(Actor.of(approver), proposal())
    ParameterChange.objects.filter(pk=change.pk).update(
        effective_from=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.approve_change(Actor.of(approver2), change)
    assert ParameterChange.objects.get(pk=change.pk).pending


def test_an_approver_decides_only_inside_their_areas(officer, clerk_b, county) -> None:
    from tests.conftest import make_user

    town_b_approver = make_user("approver_b", "approver", county[TOWN_B])
    change = services.propose_change(Actor.of(officer), proposal(scope=TOWN_A))
    with pytest.raises(PermissionDenied):
        services.approve_change(Actor.of(town_b_approver), change)


def test_decided_changes_cannot_be_decided_again(approver, approver2) -> None:
    change = services.propose_change(Actor.of(approver), proposal())
    services.reject_change(Actor.of(approver2), change, "wait for the budget")
    with pytest.raises(ValidationError):
        services.approve_change(Actor.of(approver2), change)
    assert ParameterChange.objects.get(pk=change.pk).status == ChangeStatus.REJECTED


def test_rejecting_needs_a_note_and_withdrawing_is_the_proposers(officer, approver,
                                                                 approver2) -> None:
    change = services.propose_change(Actor.of(officer), proposal(scope=TOWN_A))
    with pytest.raises(ValidationError):
        services.reject_change(Actor.of(approver), change, "")
    with pytest.raises(PermissionDenied):
        services.withdraw_change(Actor.of(approver), change)
    services.withdraw_change(Actor.of(officer), change)
    assert ParameterChange.objects.get(pk=change.pk).status == ChangeStatus.WITHDRAWN


def test_every_step_is_audited(approver, approver2) -> None:
    change = services.propose_change(Actor.of(approver), proposal())
    services.approve_change(Actor.of(approver2), change, "ok")
    events = list(AuditEvent.objects.filter(object_id=str(change.pk)).order_by("id"))
    assert [(e.action, e.username) for e in events] == [
        ("rules_parameter_proposed", approver.username),
        ("rules_parameter_approved", approver2.username)]
    assert events[1].detail["value"] == "700" and events[1].detail["scope"] == COUNTY
