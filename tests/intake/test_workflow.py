"""The declared state machine: every type has a path to a decision, and anything not
declared is refused with a message that names the action and the state."""

from __future__ import annotations

import pytest

from safetynet.accounts.roles import Role
from safetynet.intake.models import OPEN_STATES, Kind, State
from safetynet.intake.workflow import (
    WORKFLOWS,
    TransitionRefused,
    available,
    find,
)


def _reachable(kind: str) -> set[str]:
    seen, todo = {State.RECEIVED.value}, [State.RECEIVED.value]
    while todo:
        state = todo.pop()
        for t in available(kind, state):
            target = t.leads_to(state)
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


@pytest.mark.parametrize("kind", Kind.values)
def test_every_type_can_be_decided_and_withdrawn(kind: str) -> None:
    reachable = _reachable(kind)
    assert State.WITHDRAWN in reachable
    assert State.APPROVED in reachable or State.REFERRED in reachable
    assert State.REFUSED in reachable


@pytest.mark.parametrize("kind", Kind.values)
def test_every_open_state_reached_has_a_way_forward(kind: str) -> None:
    for state in _reachable(kind) & OPEN_STATES:
        assert any(t.leads_to(state) != state for t in available(kind, state)), state


def test_dibao_path_goes_through_notice_and_county() -> None:
    assert find(Kind.DIBAO, State.REVIEWED, "post_notice").target == State.NOTICE
    assert find(Kind.DIBAO, State.COUNTY, "approve").roles == {Role.APPROVER}


def test_approval_from_the_window_state_is_refused_with_a_clear_message() -> None:
    with pytest.raises(TransitionRefused) as exc:
        find(Kind.DIBAO, State.ACCEPTED, "approve")
    message = str(exc.value)
    assert "Approve" in message or "批准" in message
    assert str(State.ACCEPTED.label) in message


def test_unknown_action_is_refused() -> None:
    with pytest.raises(TransitionRefused, match="not an action|不是"):
        find(Kind.DIBAO, State.RECEIVED, "teleport")


def test_help_first_grant_only_for_temporary_assistance() -> None:
    assert find(Kind.TEMPORARY_EMERGENCY, State.ACCEPTED, "grant_now").decision
    with pytest.raises(TransitionRefused):
        find(Kind.DIBAO, State.ACCEPTED, "grant_now")


def test_decisions_are_marked_for_maker_checker() -> None:
    decisions = {t.action for ts in WORKFLOWS.values() for t in ts if t.decision}
    assert decisions == {"approve", "refuse", "grant_now", "township_approve"}
