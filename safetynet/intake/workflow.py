"""The declared state machine of every application type: which actions exist, from which
states, to which state, who may take them and what they must record.

Nothing else decides whether a step is allowed: the services ask ``find`` for the
transition and refuse anything that is not declared here, with a message naming the
action and the current state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Role
from safetynet.intake.models import OPEN_STATES, Kind, State

WINDOW = frozenset({Role.CLERK, Role.OFFICER})
TOWNSHIP = frozenset({Role.OFFICER})
COUNTY = frozenset({Role.APPROVER})
VISITORS = frozenset({Role.OFFICER, Role.CLERK, Role.VILLAGE})
TERMINAL = frozenset({State.APPROVED, State.REFUSED, State.REFERRED})
STAY = None  # the application stays in its state (e.g. an objection is recorded)


@dataclass(frozen=True)
class Transition:
    action: str
    label: Promise
    sources: frozenset[str]
    target: str | None
    roles: frozenset[Role]
    records: tuple[str, ...] = ()  # what the actor must record (form fields)
    decision: bool = False  # a checker's decision: maker-checker applies

    def leads_to(self, state: str) -> str:
        return state if self.target is STAY else self.target  # type: ignore[return-value]


def _t(action: str, label: Promise, sources: Iterable[str], target: str | None,
       roles: frozenset[Role], *records: str, decision: bool = False) -> Transition:
    return Transition(action, label, frozenset(sources), target, roles, records, decision)


ACCEPT = _t("accept", _("Accept"), [State.RECEIVED], State.ACCEPTED, WINDOW)
REJECT = _t("reject", _("Do not accept"), [State.RECEIVED], State.REFUSED, WINDOW, "reason")
CHECK = _t("check", _("Record the information check"), [State.ACCEPTED], State.CHECKED,
           WINDOW, "sources", "check_findings")
VISIT = _t("visit", _("Record the home visit"), [State.CHECKED], State.VISITED, VISITORS,
           "visited_on", "investigator_1", "investigator_2", "findings")
REVIEW_AFTER_VISIT = _t("review", _("Write the township opinion"), [State.VISITED],
                        State.REVIEWED, TOWNSHIP, "opinion", "recommendation")
REVIEW_AFTER_CHECK = _t("review", _("Write the township opinion"), [State.CHECKED],
                        State.REVIEWED, TOWNSHIP, "opinion", "recommendation")
POST_NOTICE = _t("post_notice", _("Post the public notice"), [State.REVIEWED], State.NOTICE,
                 WINDOW, "notice_start")
OBJECT = _t("object", _("Record an objection"), [State.NOTICE], STAY, VISITORS,
            "received_on", "content")
CLOSE_NOTICE = _t("close_notice", _("Close the notice and send to the county"),
                  [State.NOTICE], State.COUNTY, WINDOW)
TO_APPRAISAL = _t("to_appraisal", _("Close the notice for democratic appraisal"),
                  [State.NOTICE], State.APPRAISAL, WINDOW)
APPRAISE = _t("appraise", _("Record the democratic appraisal"), [State.APPRAISAL],
              State.COUNTY, TOWNSHIP, "appraisal", "outcome")
SUBMIT = _t("submit", _("Send to the county"), [State.REVIEWED], State.COUNTY, TOWNSHIP)
APPROVE = _t("approve", _("Approve"), [State.COUNTY], State.APPROVED, COUNTY, "reason",
             decision=True)
REFUSE = _t("refuse", _("Refuse"), [State.COUNTY], State.REFUSED, COUNTY, "reason",
            decision=True)
GRANT_NOW = _t("grant_now", _("Grant at once (help first)"), [State.ACCEPTED, State.CHECKED],
               State.GRANTED, TOWNSHIP, "amount", "reason", decision=True)
COMPLETE = _t("complete", _("Complete the paperwork"), [State.GRANTED], State.APPROVED,
              TOWNSHIP, "visited_on", "investigator_1", "investigator_2", "findings")
TOWNSHIP_APPROVE = _t("township_approve", _("Approve at the township"), [State.REVIEWED],
                      State.APPROVED, TOWNSHIP, "amount", "reason", decision=True)
REFER = _t("refer", _("Refer to a partner department"), [State.RECEIVED, State.ACCEPTED],
           State.REFERRED, WINDOW, "department", "subject", "description")
WITHDRAW = _t("withdraw", _("Withdraw"), OPEN_STATES - {State.GRANTED}, State.WITHDRAWN,
              WINDOW, "reason")
EXTEND = _t("extend", _("Extend the time limit"), OPEN_STATES - {State.GRANTED}, STAY,
            TOWNSHIP, "reason")
INFORM = _t("inform", _("Record that the applicant was told"), TERMINAL, STAY, WINDOW,
            "informed_on")

COMMON = (ACCEPT, REJECT, WITHDRAW, EXTEND, INFORM)
NOTICE_PATH = (CHECK, VISIT, REVIEW_AFTER_VISIT, POST_NOTICE, OBJECT, CLOSE_NOTICE,
               TO_APPRAISAL, APPRAISE, SUBMIT, APPROVE, REFUSE)
VISIT_PATH = (CHECK, VISIT, REVIEW_AFTER_VISIT, SUBMIT, APPROVE, REFUSE)
DESK_PATH = (CHECK, REVIEW_AFTER_CHECK, SUBMIT, APPROVE, REFUSE)
TEMPORARY_PATH = (CHECK, VISIT, REVIEW_AFTER_VISIT, GRANT_NOW, COMPLETE, TOWNSHIP_APPROVE,
                  SUBMIT, APPROVE, REFUSE)

WORKFLOWS: dict[str, tuple[Transition, ...]] = {
    Kind.DIBAO: COMMON + NOTICE_PATH,
    Kind.TEKUN: COMMON + NOTICE_PATH,
    Kind.TEMPORARY_EMERGENCY: COMMON + TEMPORARY_PATH,
    Kind.TEMPORARY_EXPENDITURE: COMMON + TEMPORARY_PATH,
    Kind.DISABILITY_LIVING: COMMON + DESK_PATH,
    Kind.DISABILITY_NURSING: COMMON + DESK_PATH,
    Kind.ORPHAN: COMMON + VISIT_PATH,
    Kind.ELDERLY_ALLOWANCE: COMMON + DESK_PATH,
    Kind.HOME_CARE: COMMON + DESK_PATH,
    Kind.MODIFICATION: COMMON + VISIT_PATH,
    Kind.CHILD_REGISTRATION: COMMON + VISIT_PATH,
    Kind.OTHER_NEED: COMMON + (REFER,),
}
NOTICE_KINDS = frozenset({Kind.DIBAO, Kind.TEKUN})
TEMPORARY_KINDS = frozenset({Kind.TEMPORARY_EMERGENCY, Kind.TEMPORARY_EXPENDITURE})
# Per-person programmes: the beneficiary is one member, not the whole household.
PERSON_KINDS = frozenset(Kind) - {Kind.DIBAO, Kind.OTHER_NEED, Kind.MODIFICATION,
                                  Kind.TEMPORARY_EMERGENCY, Kind.TEMPORARY_EXPENDITURE}
ACTION_LABELS: dict[str, Promise] = {t.action: t.label for ts in WORKFLOWS.values() for t in ts}


class TransitionRefused(Exception):
    """The action is not in the state machine for this application's type and state."""


def find(kind: str, state: str, action: str) -> Transition:
    for transition in WORKFLOWS.get(kind, ()):
        if transition.action == action and state in transition.sources:
            return transition
    raise TransitionRefused(_refusal(kind, state, action))


def _refusal(kind: str, state: str, action: str) -> str:
    label = ACTION_LABELS.get(action)
    if label is None:
        return str(_("“%(action)s” is not an action of the single window.") % {"action": action})
    return str(_("“%(action)s” is not possible for a %(kind)s application that is “%(state)s”.")
               % {"action": label, "kind": Kind(kind).label, "state": State(state).label})


def available(kind: str, state: str) -> list[Transition]:
    return [t for t in WORKFLOWS.get(kind, ()) if state in t.sources]
