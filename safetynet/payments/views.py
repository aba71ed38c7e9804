"""Payroll screens: runs, one run with its actions, fund statistics, overpayments.

Thin views: validate the form, call one service, render. Preparing a run happens in the
background (tasks.prepare_run); the run page shows its progress.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safetynet.accounts.actor import actor_of
from safetynet.core.access import requires
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.payments import jobs, permissions, selectors, services
from safetynet.payments.forms import (
    ExportForm,
    OverpaymentForm,
    RecoveryForm,
    ReissueForm,
    RejectForm,
    ReturnForm,
    RunForm,
    StatsForm,
)
from safetynet.payments.models import LineStatus, Overpayment, PaymentLine, PayrollRun

View = Callable[..., HttpResponseBase]
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
LINES_SHOWN = 200


readers_only = requires(permissions.can_read)


def _may(user: Any) -> dict[str, bool]:
    return {"may_prepare": permissions.can_prepare(user),
            "may_approve": permissions.can_approve(user)}


@readers_only
def home(request: HttpRequest) -> HttpResponse:
    """The runs, newest first, and (finance) the form that prepares one."""
    form = RunForm(request.POST or None)
    if request.method == "POST":
        if not permissions.can_prepare(request.user):
            raise PermissionDenied
        if form.is_valid():
            found = apply_service(form, lambda: jobs.start_payroll(
                actor_of(request), form.cleaned_data["program"],
                form.cleaned_data["period"]))
            if found is not None:
                run, created = found
                if not created:
                    messages.info(request, _("This payroll exists already: run #%(id)d.")
                                  % {"id": run.pk})
                return redirect("payments:run", pk=run.pk)
    return render(request, "payments/home.html",
                  {"runs": selectors.runs(), "form": form,
                   "missing": selectors.missing_months(timezone.localdate()),
                   **_may(request.user)})


def _run_context(request: HttpRequest, run: PayrollRun) -> dict[str, Any]:
    failed = list(selectors.lines_of(request.user, run, LineStatus.FAILED)[:LINES_SHOWN])
    counts = selectors.status_counts(run)
    held, held_count = selectors.held_lines(request.user, run, LINES_SHOWN)
    return {
        "run": run, "control": selectors.control_rows(run),
        "counts": counts, "count_rows": selectors.status_rows(counts), "failed": failed,
        "held": held, "held_count": held_count,
        "reissuable": {line.pk for line in services.reissuable(run)}
        if failed or held else set(),
        "lines": selectors.lines_of(request.user, run)[:LINES_SHOWN],
        "files": run.files.select_related("created_by"),
        "reissues": run.reissues.all(),
        "verified": bool(getattr(request.user, "is_verified", lambda: False)()),
        "reject_form": RejectForm(), "export_form": ExportForm(),
        "return_form": ReturnForm(), "reissue_form": ReissueForm(),
        **_may(request.user),
    }


@readers_only
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PayrollRun, pk=pk)
    template = "payments/_run_status.html" if getattr(request, "htmx", False) \
        else "payments/run.html"
    return render(request, template, _run_context(request, run))


def _act(request: HttpRequest, pk: int, action: Callable[[PayrollRun], Any],
         done: str, form: forms.Form | None = None) -> HttpResponse:
    """Run one step; its errors become messages. Only the reject step has a form (its
    note): check and approve have none, so no field of another form is reported missing."""
    run = get_object_or_404(PayrollRun, pk=pk)
    form = form if form is not None else forms.Form(request.POST)
    form.is_valid()
    if apply_service(form, lambda: action(run)) is not None:
        messages.success(request, done)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("payments:run", pk=pk)


@require_POST
@readers_only
def check(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    return _act(request, pk, lambda run: services.check_run(actor, run),
                _("Checked: the lines match the control totals. It now awaits approval."))


@require_POST
@readers_only
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    return _act(request, pk, lambda run: services.approve_run(actor, run),
                _("Approved: the bank file can now be exported."))


@require_POST
@readers_only
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    note = request.POST.get("note", "")
    actor = actor_of(request)
    return _act(request, pk, lambda run: services.reject_run(actor, run, note),
                _("Rejected: the lines are cancelled."), RejectForm(request.POST))


@require_POST
@readers_only
def export(request: HttpRequest, pk: int) -> HttpResponseBase:
    run = get_object_or_404(PayrollRun, pk=pk)
    form = ExportForm(request.POST)
    actor = actor_of(request)
    result = apply_service(form, lambda: services.export_run(
        actor, run, form.cleaned_data["format"])) if form.is_valid() else None
    if result is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("payments:run", pk=pk)
    bank_file, content = result
    response = HttpResponse(content, content_type=CONTENT_TYPES[bank_file.format])
    response["Content-Disposition"] = f'attachment; filename="{bank_file.name}"'
    return response


@require_POST
@readers_only
def import_return(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PayrollRun, pk=pk)
    form = ReturnForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        actor = actor_of(request)
        result = apply_service(form, lambda: services.import_return(
            actor, run, upload.read(), upload.name))
        if result is not None and result.already_imported:
            messages.info(request, _("This return file was imported before: nothing changed."))
        elif result is not None:
            messages.success(request, _("Return imported: %(p)d paid, %(f)d failed, %(u)d "
                                        "unchanged, %(n)d still awaiting the bank.")
                             % {"p": result.paid, "f": result.failed, "u": result.unchanged,
                                "n": result.pending})
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("payments:run", pk=pk)


@require_POST
@readers_only
def reissue(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(PayrollRun, pk=pk)
    form = ReissueForm(request.POST)
    actor = actor_of(request)
    again = apply_service(form, lambda: services.reissue_failed(
        actor, run, form.cleaned_data["include_unchanged"])) \
        if form.is_valid() else None
    if again is not None:
        messages.success(request, _("Re-issue run #%(id)d prepared: it is checked and approved "
                                    "like any run.") % {"id": again.pk})
        return redirect("payments:run", pk=again.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("payments:run", pk=pk)


@readers_only
def stats(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.fund_statistics(request.user, data.get("program") or None,
                                     data.get("year"))
    totals = {"households": sum(r.households for r in rows),
              "persons": sum(r.persons for r in rows), "paid": sum(r.paid for r in rows)}
    return render(request, "payments/stats.html",
                  {"form": form, "rows": rows, "totals": totals})


@readers_only
def overpayments(request: HttpRequest) -> HttpResponse:
    form = OverpaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        line = _line_by_reference(request, form.cleaned_data["reference"])
        if line is None:
            form.add_error("reference", _("No payment line with this reference in your "
                                          "areas."))
        elif apply_service(form, lambda: services.record_overpayment(
                actor_of(request), line, form.cleaned_data["amount"],
                form.cleaned_data["reason"])) is not None:
            messages.success(request, _("Overpayment recorded."))
            return redirect("payments:overpayments")
    return render(request, "payments/overpayments.html",
                  {"form": form, "overpayments": selectors.overpayments(request.user)[:200],
                   "recovery_form": RecoveryForm(), **_may(request.user)})


def _line_by_reference(request: HttpRequest, reference: str) -> PaymentLine | None:
    text = reference.strip().upper()
    if not (text.startswith("SN") and text[2:].isdigit()):
        return None
    return scope(PaymentLine.objects.filter(pk=int(text[2:])), request.user).first()


@require_POST
@readers_only
def recover(request: HttpRequest, pk: int) -> HttpResponse:
    over = get_in_scope(Overpayment.objects.all(), request.user, pk=pk)
    form = RecoveryForm(request.POST)
    actor = actor_of(request)
    if form.is_valid() and apply_service(form, lambda: services.record_recovery(
            actor, over, form.cleaned_data["amount"], form.cleaned_data["on"],
            form.cleaned_data["note"])) is not None:
        messages.success(request, _("Recovery recorded."))
    for errors in form.errors.values():
        messages.error(request, " ".join(str(e) for e in errors))
    return redirect("payments:overpayments")
