"""What personal data the rules app holds (read by safetynet/core/pipl.py).

Parameter changes name the staff who proposed and decided them; evaluation results are
amounts per household and person (social-assistance status); simulations keep the
households that would gain or lose; runs and simulations name who asked for them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import REGISTRY_READERS
from safetynet.core.pipl import (
    READ,
    STATUTORY_DUTY_SECURITY,
    Access,
    Category,
    Declaration,
    Group,
    Text,
)
from safetynet.registry.pipl import ELIGIBILITY, SOCIAL_ASSISTANCE
from safetynet.rules.permissions import APPROVERS, PROPOSERS, RUNNERS, SIMULATORS

ACCOUNTABILITY = _("Accountability for decisions on rules and their evaluation")
JOB_RETENTION = _("Until removed by an administrator (no automatic removal yet)")
EVALUATION_RETENTION = _("Until the next evaluation of the same date replaces them")


def _staff(fields: tuple[str, ...], roles: frozenset[Any], retention: Text) -> Group:
    return Group(title=_("Who asked for or decided it"), fields=fields, category=Category.STAFF,
                 purpose=ACCOUNTABILITY, basis=STATUTORY_DUTY_SECURITY, retention=retention,
                 access=(Access(READ, roles),))


PARAMETER_CHANGE = Declaration(
    model="rules.ParameterChange",
    subjects=_("Staff who propose and decide parameter changes"),
    groups=(_staff(("proposed_by", "decided_by"), PROPOSERS | APPROVERS,
                   _("Kept with the parameter history, for as long as the rules are")),),
    not_personal=("parameter", "key", "scope", "value", "effective_from", "reason",
                  "reference", "status", "proposed_at", "decided_at", "decision_note"),
)

JOB_FIELDS = ("on", "scope_codes", "parameters_fingerprint", "status", "created_at",
              "started_at", "finished_at", "households", "persons", "message", "task_id")

EVALUATION_RUN = Declaration(
    model="rules.EvaluationRun",
    subjects=_("Staff who start registry evaluations"),
    groups=(_staff(("requested_by",), RUNNERS, JOB_RETENTION),),
    not_personal=(*JOB_FIELDS, "engine", "results", "paid_households", "monthly_total",
                  "by_program", "timings"),
)

EVALUATION_RESULT = Declaration(
    model="rules.EvaluationResult",
    subjects=_("Registered households and their members"),
    groups=(Group(title=_("Amounts each programme would pay a household or person"),
                  fields=("household", "person", "program", "monthly_amount"),
                  category=Category.ASSISTANCE, purpose=ELIGIBILITY, basis=SOCIAL_ASSISTANCE,
                  retention=EVALUATION_RETENTION,
                  access=(Access(READ, REGISTRY_READERS),)),),
    not_personal=("run", "on"),
)

SIMULATION = Declaration(
    model="rules.Simulation",
    subjects=_("Staff who run what-if simulations; households that would gain or lose"),
    groups=(
        _staff(("requested_by",), SIMULATORS, JOB_RETENTION),
        Group(title=_("Households that would gain or lose, with their amounts"),
              fields=("summary",), category=Category.ASSISTANCE,
              purpose=_("Estimate the effect and cost of a change of the rules"),
              basis=SOCIAL_ASSISTANCE, retention=JOB_RETENTION,
              access=(Access(READ, SIMULATORS),)),
    ),
    not_personal=(*JOB_FIELDS, "overrides"),
)

DECLARATIONS = [PARAMETER_CHANGE, EVALUATION_RUN, EVALUATION_RESULT, SIMULATION]
