"""State changes of the rules app: reviewed parameter changes, starting runs and simulations.

One function per action, one transaction, the audit record written inside it. Heavy work
(evaluating the registry) never runs here: the ``start_*`` functions record the job and
queue a background task (runs.py, whatif.py do the work).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safetynet.core import areas, audit
from safetynet.core.actor import SYSTEM, Actor
from safetynet.core.jurisdiction import covers, user_area_codes
from safetynet.policy import DatedChange, ParameterError, ParameterSet
from safetynet.rules import labels, permissions
from safetynet.rules.models import (
    ChangeStatus,
    Engine,
    EvaluationRun,
    ParameterChange,
    Simulation,
)
from safetynet.rules.parameters import (
    check_overrides,
    current_parameters,
    forget_current,
    jsonable,
    parse_value,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User

MIN_REASON = 4


# --- parameter changes (maker-checker) ----------------------------------------------------


def split_name(params: ParameterSet, name: str) -> tuple[str, str]:
    """("dibao.standard", "urban") for "dibao.standard.urban"; ValidationError if unknown."""
    if name in params.parameters:
        return name, ""
    base, _dot, key = name.rpartition(".")
    param = params.parameters.get(base)
    if param is None or param.keys is None or key not in param.keys:
        raise ValidationError({"parameter": _("unknown parameter %(n)s") % {"n": name}})
    return base, key


def _check_scope(actor: Actor, scope: str) -> None:
    try:
        areas.level_of(scope)
    except areas.AreaCodeError as exc:
        raise ValidationError({"scope": str(exc)}) from exc
    if not covers(actor, scope):
        raise ValidationError({"scope": _("%(c)s is outside your areas") % {"c": scope}})


def _check_future(effective_from: date, field: str = "effective_from") -> None:
    if effective_from < timezone.localdate():
        raise ValidationError({field: _("The effective date may not be in the past: a "
                                        "change never rewrites what was already decided.")})


def _check_value(change: ParameterChange) -> None:
    """The value fits the parameter's unit (and keys) when laid over the current values."""
    dated = DatedChange(change.full_name, change.scope, change.effective_from,
                        parse_value(change.value), change.reference or "proposed")
    try:
        current_parameters().with_changes([dated])
    except ParameterError as exc:
        raise ValidationError({"value": labels.parameter_problem(change.full_name,
                                                                 exc.message)}) from exc


@transaction.atomic
def propose_change(actor: Actor, data: Mapping[str, Any]) -> ParameterChange:
    """A township officer or county approver proposes a new value from a future date."""
    if not permissions.can_propose(actor):
        raise PermissionDenied(_("Your role may not propose parameter changes."))
    parameter, key = split_name(current_parameters(), str(data["parameter"]))
    if len(str(data.get("reason", "")).strip()) < MIN_REASON:
        raise ValidationError({"reason": _("say why the value should change")})
    change = ParameterChange(
        parameter=parameter, key=key, scope=str(data["scope"]).strip(),
        value=str(data["value"]).strip(), effective_from=data["effective_from"],
        reason=str(data["reason"]).strip(), reference=str(data.get("reference", "")).strip(),
        proposed_by=actor.user)
    _check_scope(actor, change.scope)
    _check_future(change.effective_from)
    _check_value(change)
    change.save()
    audit.record("rules_parameter_proposed", user=actor, obj=change,
                 parameter=change.full_name, scope=change.scope, value=change.value,
                 effective_from=change.effective_from)
    return change


def _locked(change: ParameterChange) -> ParameterChange:
    locked = ParameterChange.objects.select_for_update().get(pk=change.pk)
    if not locked.pending:
        raise ValidationError(_("This change was already decided (%(s)s).")
                              % {"s": locked.get_status_display()})
    return locked


def _check_checker(actor: Actor, change: ParameterChange) -> None:
    if not permissions.can_approve(actor):
        raise PermissionDenied(_("Only a county approver may decide parameter changes."))
    if change.proposed_by_id == actor.pk:
        raise PermissionDenied(_("You proposed this change: a different approver must "
                                 "decide it."))
    if not covers(actor, change.scope):
        raise PermissionDenied(_("This change is for an area outside yours."))


@transaction.atomic
def approve_change(actor: Actor, change: ParameterChange, note: str = "") -> ParameterChange:
    """A different approver approves: the value applies from its date in every evaluation."""
    change = _locked(change)
    _check_checker(actor, change)
    _check_future(change.effective_from, "__all__")
    _check_value(change)
    _decide(change, actor, ChangeStatus.APPROVED, note)
    audit.record("rules_parameter_approved", user=actor, obj=change,
                 parameter=change.full_name, scope=change.scope, value=change.value,
                 effective_from=change.effective_from)
    return change


@transaction.atomic
def reject_change(actor: Actor, change: ParameterChange, note: str) -> ParameterChange:
    change = _locked(change)
    _check_checker(actor, change)
    if len(note.strip()) < MIN_REASON:
        raise ValidationError({"note": _("say why the change is rejected")})
    _decide(change, actor, ChangeStatus.REJECTED, note)
    audit.record("rules_parameter_rejected", user=actor, obj=change,
                 parameter=change.full_name, note=change.decision_note)
    return change


@transaction.atomic
def withdraw_change(actor: Actor, change: ParameterChange) -> ParameterChange:
    change = _locked(change)
    if change.proposed_by_id != actor.pk:
        raise PermissionDenied(_("Only the proposer may withdraw a change."))
    _decide(change, actor, ChangeStatus.WITHDRAWN, "")
    audit.record("rules_parameter_withdrawn", user=actor, obj=change,
                 parameter=change.full_name)
    return change


def _decide(change: ParameterChange, actor: Actor, status: str, note: str) -> None:
    forget_current()
    change.status = status
    change.decided_by = actor.user
    change.decided_at = timezone.now()
    change.decision_note = note.strip()[:200]
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


# --- registry runs and what-if simulations ------------------------------------------------


def job_scope(actor: Actor | None) -> list[str]:
    """The area codes a job started by ``actor`` covers; [] (everything) when no actor."""
    if actor is None:
        return []
    codes = user_area_codes(actor)
    if not codes:
        raise PermissionDenied(_("You have no areas assigned."))
    return codes


@transaction.atomic
def create_run(on: date, actor: Actor | None = None,
               engine: str = Engine.IN_PROCESS) -> EvaluationRun:
    """Record a registry evaluation of ``actor``'s areas (all when None), not yet started.

    The role is checked by ``request_run`` (web); on the command line the operator names
    the user whose areas to evaluate."""
    run = EvaluationRun.objects.create(on=on, requested_by=_by(actor),
                                       scope_codes=job_scope(actor), engine=engine)
    audit.record("rules_run", user=actor, obj=run, on=on, engine=engine,
                 areas=run.scope_codes,
                 source="cli" if actor is None or actor.via == SYSTEM else "web")
    return run


def request_run(actor: Actor, on: date) -> EvaluationRun:
    """From the web: check the role and record the run (jobs.start_run queues it)."""
    if not permissions.can_run(actor):
        raise PermissionDenied(_("Your role may not start registry evaluations."))
    return create_run(on, actor, Engine.IN_PROCESS)


@transaction.atomic
def create_simulation(on: date, overrides: Mapping[str, object],
                      actor: Actor | None = None) -> Simulation:
    """Record a what-if simulation after checking every override (ParameterError -> form)."""
    if actor is not None and not permissions.can_simulate(actor):
        raise PermissionDenied(_("Your role may not run what-if simulations."))
    if not overrides:
        raise ValidationError(_("Change at least one parameter."))
    try:
        check_overrides(overrides)
    except ParameterError as exc:
        raise ValidationError(labels.parameter_problem(exc.key, exc.message)) from exc
    simulation = Simulation.objects.create(on=on, overrides=jsonable(overrides),
                                           requested_by=_by(actor),
                                           scope_codes=job_scope(actor))
    audit.record("rules_whatif", user=actor, obj=simulation, on=on,
                 overrides=simulation.overrides, areas=simulation.scope_codes)
    return simulation


def _by(actor: Actor | None) -> User | None:
    """The user for a record's "requested by" column (none for the command line's operator)."""
    return actor.user if actor is not None else None
