"""Rules screens: parameters and their reviewed changes, registry runs, what-if simulations.

Thin views: validate the form, call one service, render. Evaluating the registry never
happens in a request: runs and simulations are queued and their pages poll (HTMX).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safetynet.accounts.actor import actor_of
from safetynet.core.access import requires
from safetynet.core.forms import apply_service
from safetynet.rules import jobs, labels, permissions, selectors, services
from safetynet.rules.forms import (
    BaseOverrideFormSet,
    DecisionForm,
    OverrideFormSet,
    ProposeForm,
    RunForm,
    WhatIfForm,
)
from safetynet.rules.models import EvaluationRun, Job, ParameterChange, Simulation
from safetynet.rules.parameters import current_parameters

View = Callable[..., HttpResponseBase]
DONE_MESSAGES = {"approve": gettext_lazy("Change approved: it applies from its effective date."),
                 "reject": gettext_lazy("Change rejected."),
                 "withdraw": gettext_lazy("Change withdrawn.")}




def _may(user: Any) -> dict[str, bool]:
    return {"may_propose": permissions.can_propose(user),
            "may_approve": permissions.can_approve(user),
            "may_simulate": permissions.can_simulate(user),
            "may_run": permissions.can_run(user)}


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {**context, **_may(request.user)})


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- parameters -----------------------------------------------------------------------------


@requires(permissions.can_read)
def home(request: HttpRequest) -> HttpResponse:
    """Every parameter with its value in force and its history."""
    return _render(request, "rules/home.html", {"parameters": selectors.parameter_views()})


@requires(permissions.can_read)
def parameter(request: HttpRequest, name: str) -> HttpResponse:
    """One parameter: history, changes awaiting approval, and the proposal form."""
    param = current_parameters().parameters.get(name)
    if param is None:
        raise Http404
    form = None
    if permissions.can_propose(request.user):
        form = ProposeForm(request.POST or None, parameter=param, user=request.user)
        if request.method == "POST" and form.is_valid() and apply_service(
                form, lambda: services.propose_change(actor_of(request),
                                                      form.cleaned_change())):
            messages.success(request, _("Change proposed; a county approver will review it."))
            return redirect("rules:parameter", name=name)
    elif request.method == "POST":
        raise PermissionDenied
    view = selectors.parameter_views(names=[name])[0]
    return _render(request, "rules/parameter.html", {"parameter": view, "form": form})


@requires(permissions.can_read)
def changes(request: HttpRequest) -> HttpResponse:
    """Changes awaiting a decision (for approvers) and the latest decisions."""
    pending = selectors.pending_changes_for(request.user) if permissions.can_approve(
        request.user) else []
    own = ParameterChange.objects.filter(proposed_by_id=request.user.pk).select_related(
        "decided_by")[:20]
    decided = ParameterChange.objects.exclude(decided_at=None).select_related(
        "proposed_by", "decided_by").order_by("-decided_at")[:20]
    return _render(request, "rules/changes.html",
                   {"pending": pending, "own": own, "decided": decided, "form": DecisionForm()})


@require_POST
@requires(permissions.can_read)
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, reject (approvers other than the proposer) or withdraw (the proposer)."""
    change = get_object_or_404(ParameterChange, pk=pk)
    form = DecisionForm(request.POST)
    note = form.data.get("note", "")
    actor = actor_of(request)
    actions = {
        "approve": lambda: services.approve_change(actor, change, note),
        "reject": lambda: services.reject_change(actor, change, note),
        "withdraw": lambda: services.withdraw_change(actor, change),
    }
    if action not in actions:
        raise Http404
    if form.is_valid() and apply_service(form, actions[action]) is not None:
        messages.success(request, str(DONE_MESSAGES[action]))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
    return redirect("rules:changes")


# --- registry runs --------------------------------------------------------------------------


@requires(permissions.can_run)
def runs(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, initial={"on": selectors.first_of_month()})
    if request.method == "POST" and form.is_valid():
        run = apply_service(form, lambda: jobs.start_run(
            actor_of(request), form.cleaned_data["on"]))
        if run is not None:
            return redirect("rules:run", pk=run.pk)
    return _render(request, "rules/runs.html",
                   {"form": form, "runs": selectors.runs_for(request.user)})


def _visible_job(request: HttpRequest, model: type[Job], pk: int) -> Any:
    job = get_object_or_404(model, pk=pk)
    if not selectors.visible(job, request.user):
        raise Http404
    return job


@requires(permissions.can_run)
def run(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, EvaluationRun, pk)
    template = "rules/_run_status.html" if _htmx(request) else "rules/run.html"
    rows = sorted(job.by_program.items())
    return _render(request, template, {"run": job, "programs": [
        (labels.program_label(name), data) for name, data in rows]})


# --- what-if --------------------------------------------------------------------------------


@requires(permissions.can_simulate)
def whatif(request: HttpRequest) -> HttpResponse:
    data = request.POST or None
    form = WhatIfForm(data, initial={"on": selectors.first_of_month()})
    formset = cast(BaseOverrideFormSet, OverrideFormSet(
        data, prefix="set", initial=[{"parameter": "dibao.standard"}]))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        simulation = apply_service(form, lambda: jobs.start_simulation(
            actor_of(request), form.cleaned_data["on"], formset.overrides()))
        if simulation is not None:
            return redirect("rules:simulation", pk=simulation.pk)
    return _render(request, "rules/whatif.html", {
        "form": form, "formset": formset,
        "simulations": selectors.simulations_for(request.user)})


@requires(permissions.can_simulate)
def simulation(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible_job(request, Simulation, pk)
    template = "rules/_simulation_status.html" if _htmx(request) else "rules/simulation.html"
    return _render(request, template,
                   {"simulation": job, "outcome": selectors.simulation_outcome(job)})
