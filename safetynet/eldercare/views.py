"""Elderly-care screens: thin views that parse input, call one service, render.

The worker's screens (orders of the month, recording a visit) are built for a phone;
the county's screens show the month's compliance, the statements, assessments,
institutions, modifications and insurance rosters.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from safetynet.accounts.actor import actor_of
from safetynet.benefits.months import first_of_month, parse_period
from safetynet.core import audit
from safetynet.core.access import requires
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import scope, user_area_codes
from safetynet.core.models import Area
from safetynet.eldercare import (
    ability,
    compliance,
    exports,
    forms,
    labels,
    permissions,
    selectors,
    services,
)
from safetynet.eldercare.models import ServiceOrder, StatementStatus, Visit

View = Callable[..., HttpResponseBase]
SHOWN = 300  # rows on the compliance page; the Excel export has them all


viewer = requires(permissions.can_view, _lazy("Only civil-affairs staff see this page."))


def _month(request: HttpRequest, default: date | None = None) -> date:
    try:
        return parse_period(request.GET.get("month", ""))
    except ValueError:
        return default or first_of_month(services.today())


def _latest_month(user: Any) -> date:
    """The newest month with orders the user can see (the current month when none)."""
    orders = scope(ServiceOrder.objects.all(), user)
    provider = permissions.provider_of(user)
    if provider is not None:
        orders = orders.filter(provider=provider)
    latest = orders.order_by("-month").values_list("month", flat=True).first()
    return latest or first_of_month(services.today())


def _townships(user: Any) -> list[tuple[str, str]]:
    codes = user_area_codes(user)
    towns = Area.objects.filter(level="township")
    mine = [t for t in towns if any(t.code.startswith(c) or c.startswith(t.code)
                                    for c in codes)]
    return [(t.code, t.name) for t in mine]


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@requires(permissions.may_open, _lazy("Only civil-affairs staff see this page."))
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if permissions.provider_of(user) is not None:
        return redirect("eldercare:visits")
    month = _latest_month(user)
    return render(request, "eldercare/home.html", {
        "month": month, "can_manage": permissions.can_manage(user),
        "can_assess": permissions.can_assess(user),
        "due": selectors.assessments_due(user, services.today()).count(),
        "drafts": selectors.statements_for(user).filter(status=StatementStatus.DRAFT).count()})


# --- the worker's phone screens -------------------------------------------------------------


@login_required
def visits(request: HttpRequest) -> HttpResponse:
    if permissions.provider_of(request.user) is None:
        raise PermissionDenied(_("Only a service provider's worker records visits."))
    month = _month(request, _latest_month(request.user))
    query = request.GET.get("q", "").strip()[:20]
    orders = selectors.worker_orders(request.user, month, query)
    return render(request, "eldercare/visits.html",
                  {"month": month, "orders": orders, "q": query,
                   "left": len([o for o in orders if not getattr(o, "visited", False)])})


@login_required
def order(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.order_for(request.user, pk)
    is_worker = permissions.provider_of(request.user) is not None
    prices = {p.item: p.price for p in item.contract.prices.all()}
    form = None
    if is_worker:
        form = forms.VisitForm(request.POST or None, request.FILES or None, prices=prices,
                               initial={"started_at": forms.now_local(),
                                        "ended_at": forms.now_local(),
                                        "confirmer_name": item.person.name})
        if request.method == "POST" and form.is_valid():
            visit = apply_service(form, lambda: services.record_visit(
                actor_of(request), item, **form.service_arguments()))
            if visit is not None:
                _flash_visit(request, visit)
                return redirect("eldercare:visits")
    visits_ = list(item.visits.prefetch_related("items").order_by("started_at"))
    for v in visits_:
        v.flag_words = "；".join(str(x) for x in _words(v.flags))  # type: ignore[attr-defined]
    limits = services.roster.thresholds(item.area_id, item.month)
    outcome = compliance.month_outcome([services.visit_facts(v) for v in visits_
                                        if not v.voided], item.entitlement, limits)
    return render(request, "eldercare/order.html", {
        "order": item, "form": form, "visits": visits_, "outcome": outcome, "limits": limits,
        "reasons": [str(x) for x in _words(outcome.reasons)], "prices": prices})


def _words(codes: Any) -> list[Any]:
    return [labels.LABELS.get(c, c) for c in codes]


def _flash_visit(request: HttpRequest, visit: Visit) -> None:
    text = _("Visit recorded: %(m)d minutes, %(v)s yuan.") % {"m": visit.minutes,
                                                             "v": visit.value}
    if visit.flags:
        flagged = "；".join(str(x) for x in _words(visit.flags))
        label = _("Flagged:")
        messages.warning(request, f"{text} {label} {flagged}")
    else:
        messages.success(request, text)


@login_required
def visit_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    visit_ = Visit.objects.filter(pk=pk).exclude(photo="").first()
    if visit_ is None:
        raise Http404
    selectors.order_for(request.user, visit_.order_id)  # jurisdiction and provider check
    audit.record("eldercare.photo.view", request=request, obj=visit_)
    return FileResponse(visit_.photo.open("rb"))


@login_required
def void(request: HttpRequest, pk: int) -> HttpResponseBase:
    visit_ = Visit.objects.select_related("order").filter(pk=pk).first()
    if visit_ is None:
        raise Http404
    selectors.order_for(request.user, visit_.order_id)  # jurisdiction and provider check
    form = forms.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.void_visit(
            actor_of(request), visit_, reason=form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, _("Visit voided."))
            return redirect("eldercare:order", pk=visit_.order_id)
    return render(request, "eldercare/form.html", {
        "form": form, "title": _("Void a visit"), "back": ("eldercare:order", visit_.order_id)})


# --- the county's screens -------------------------------------------------------------------


@viewer
def compliance_view(request: HttpRequest) -> HttpResponseBase:
    user = request.user
    providers = list(selectors.providers_for(user).values_list("pk", "name"))
    data = request.GET.copy()
    data.setdefault("month", f"{_latest_month(user):%Y-%m}")
    form = forms.ComplianceFilter(data, townships=_townships(user), providers=providers)
    report, rows = None, []
    if form.is_valid():
        f = form.cleaned_data
        report = selectors.month_compliance(user, f["month"], f["township"], f["provider"])
        show = f["show"] or "shortfall"
        rows = (report.rows if show == "all" else
                [r for r in report.rows if compliance.NO_VISIT in r.outcome.reasons]
                if show == "no_visit" else report.shortfalls)
        if request.GET.get("format") == "xlsx":
            audit.record("eldercare.export.compliance", request=request,
                         month=f"{f['month']:%Y-%m}", rows=len(rows))
            return _xlsx(exports.compliance_book(report, rows),
                         f"compliance-{f['month']:%Y-%m}.xlsx")
    return render(request, "eldercare/compliance.html", {
        "form": form, "report": report, "rows": rows[:SHOWN], "more": max(0, len(rows) - SHOWN),
        "query": request.GET.urlencode()})


@viewer
def new_orders(request: HttpRequest) -> HttpResponse:
    if not permissions.can_manage(request.user):
        raise PermissionDenied(_("Your role may not create service orders."))
    form = forms.OrdersForm(request.POST or None, townships=_townships(request.user),
                            initial={"month": first_of_month(services.today())})
    if request.method == "POST" and form.is_valid():
        run = apply_service(form, lambda: services.generate_orders(
            actor_of(request), month=form.cleaned_data["month"],
            area_code=form.cleaned_data["area_code"]))
        if run is not None:
            messages.success(request, _("%(c)d orders created, %(e)d existed, %(u)d people "
                                        "without a provider.") % {
                "c": run.created, "e": run.existing, "u": len(run.unassigned)})
            return redirect(f"{_url('eldercare:compliance')}?month={run.month:%Y-%m}&show=all")
    return render(request, "eldercare/form.html", {
        "form": form, "title": _("Monthly orders"), "back": ("eldercare:home", None),
        "intro": _("Everyone the rules entitle to home care in the month gets an order with "
                   "the provider whose contract serves their village.")})


def _url(name: str, *args: Any) -> str:
    return reverse(name, args=args)


@viewer
def statements(request: HttpRequest) -> HttpResponse:
    user = request.user
    providers = list(selectors.providers_for(user).values_list("pk", "name"))
    form = forms.StatementForm(request.POST or None, providers=providers,
                               initial={"month": _latest_month(user)})
    if request.method == "POST":
        if not permissions.can_manage(user):
            raise PermissionDenied(_("Your role may not compute statements."))
        if form.is_valid():
            provider = selectors.providers_for(user).get(pk=form.cleaned_data["provider"])
            done = apply_service(form, lambda: services.compute_statement(
                actor_of(request), provider=provider, month=form.cleaned_data["month"]))
            if done is not None:
                messages.success(request, _("Statement computed."))
                return redirect("eldercare:statement", pk=done.pk)
    return render(request, "eldercare/statements.html", {
        "form": form, "statements": selectors.statements_for(user)[:100],
        "can_manage": permissions.can_manage(user)})


@viewer
def statement(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = selectors.statements_for(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    lines = list(selectors.statement_lines(request.user, item))
    for line in lines:
        line.shortfall = labels.words(line.reasons)  # type: ignore[attr-defined]
    if request.GET.get("format") == "xlsx":
        audit.record("eldercare.export.statement", request=request, obj=item)
        return _xlsx(exports.statement_book(item, lines),
                     f"statement-{item.month:%Y-%m}-{item.provider_id}.xlsx")
    if request.method == "POST":
        done = _try(request, lambda: services.approve_statement(actor_of(request), item))
        if done is not None:
            messages.success(request, _("Statement approved."))
        return redirect("eldercare:statement", pk=pk)
    return render(request, "eldercare/statement.html", {
        "statement": item, "lines": lines,
        "can_approve": permissions.can_approve(request.user)
        and item.status == StatementStatus.DRAFT})


def _try(request: HttpRequest, action: Callable[[], Any]) -> Any:
    """Run a service from a button; its refusal becomes a message."""
    try:
        return action()
    except (ValidationError, PermissionDenied) as exc:
        text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    return None


@viewer
def providers(request: HttpRequest) -> HttpResponse:
    found = selectors.providers_for(request.user).prefetch_related(
        "contracts__areas", "contracts__prices")
    return render(request, "eldercare/providers.html",
                  {"providers": found, "can_manage": permissions.can_manage(request.user)})


# --- assessments ----------------------------------------------------------------------------


@viewer
def assessments(request: HttpRequest, person: int) -> HttpResponse:
    who = selectors.person_for(request.user, person)
    history = selectors.assessments_of(request.user, who)
    return render(request, "eldercare/assessments.html", {
        "person": who, "history": history, "grades": ability.GRADES,
        "can_assess": permissions.can_assess(request.user)})


@viewer
def assess(request: HttpRequest, person: int) -> HttpResponse:
    who = selectors.person_for(request.user, person)
    if not permissions.can_assess(request.user):
        raise PermissionDenied(_("Your role may not record assessments."))
    form = forms.AssessmentForm(request.POST or None, initial={"assessed_on": services.today()})
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.record_assessment(
            actor_of(request), who, **form.service_arguments()))
        if done is not None:
            messages.success(request, _("Assessment recorded: total %(t)d, grade %(g)s.")
                             % {"t": done.total, "g": ability.GRADES[done.grade]})
            return redirect("eldercare:assessments", person=who.pk)
    return render(request, "eldercare/assess.html", {"form": form, "person": who})


@viewer
def assessments_due(request: HttpRequest) -> HttpResponse:
    due = selectors.assessments_due(request.user, services.today())[:500]
    return render(request, "eldercare/due.html", {"due": due, "grades": ability.GRADES})

