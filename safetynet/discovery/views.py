"""Active-discovery screens: thin views that validate input, call one service, render.
Usable on a 375-px phone (the village worker verifies warnings and records visits there)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from safetynet.accounts.actor import actor_of
from safetynet.accounts.capabilities import Capability, may
from safetynet.core.access import requires
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import scope
from safetynet.core.models import Area
from safetynet.discovery import jobs, permissions, rules, selectors, services, warnings
from safetynet.discovery.campaigns import group_label
from safetynet.discovery.forms import (
    CampaignForm,
    FoundPersonForm,
    HelpForm,
    ImportForm,
    VerifyForm,
    VisitForm,
)
from safetynet.discovery.models import MonitorCategory, SourceImport, VisitStatus
from safetynet.discovery.sources import LAYOUTS, SourceKind

View = Callable[..., HttpResponseBase]


staff = requires(lambda user: getattr(user, "can_read_registry", False),
                 _lazy("Only civil-affairs staff see this page."))


# Figures without names (progress, effectiveness): staff and leaders.
overview = requires(permissions.may_overview, _lazy("Only civil-affairs staff see this page."))


county = requires(permissions.is_county_staff,
                  _lazy("Only county civil-affairs staff may do this."))


@overview
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    readers = getattr(user, "can_read_registry", False)
    context = {
        "warnings": selectors.warnings_for(user)[:20] if readers else [],
        "open_count": selectors.warnings_for(user).count() if readers else 0,
        "late_count": selectors.warnings_for(user, "late").count() if readers else 0,
        "campaigns": selectors.campaigns_for(user)[:5],
        "county_staff": permissions.is_county_staff(user), "readers": readers,
        "today": services.today(),
    }
    return render(request, "discovery/home.html", context)


WARNING_TABS = [("open", gettext_lazy("To verify")), ("late", gettext_lazy("Late")),
                ("escalated", gettext_lazy("Escalated")), ("all", gettext_lazy("All")),
                ("suppressed", gettext_lazy("Suppressed"))]


@staff
def warning_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "open")
    page = Paginator(selectors.warnings_for(request.user, show), 50).get_page(
        request.GET.get("page"))
    return render(request, "discovery/warnings.html", {
        "page": page, "show": show, "tabs": WARNING_TABS, "today": services.today()})


@staff
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning = selectors.warning(request.user, pk)
    form = VerifyForm(request.POST or None, initial={
        "department": LAYOUTS[warning.source].department if warning.source else "",
        "subject": rules.rule_label(warning.rule)})
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, actor_of(request)
        done = apply_service(form, lambda: services.verify_warning(
            actor, warning, data["outcome"], {**data, "reason": data["note"]}))
        if done is not None:
            messages.success(request, _("Verification recorded."))
            return redirect("discovery:warning", pk=warning.pk)
    return render(request, "discovery/warning.html", {
        "warning": warning, "form": form, "evidence": selectors.evidence(warning),
        "reason": rules.explain(warning.rule, warning.facts),
        "rule_label": rules.rule_label(warning.rule),
        "suppressed": rules.suppression_text(warning.suppressed_because),
        "may_verify": warning.is_open and _field(request),
        "level": warnings.escalation_level(warning, services.today()),
        "links": _outcome_links(warning)})


def _field(request: HttpRequest) -> bool:
    return may(request.user, Capability.VERIFY_WARNINGS)


def _outcome_links(warning: Any) -> dict[str, str]:
    links = {}
    if warning.application_id:
        links["application"] = reverse("intake:detail", args=[warning.application_id])
    if warning.referral_id:
        links["referral"] = reverse("intake:referral", args=[warning.referral_id])
    return links


@county
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        job = apply_service(form, lambda: jobs.start_import(
            actor, form.cleaned_data["source"], form.cleaned_data["file"]))
        if job is not None:
            return redirect("discovery:import", pk=job.pk)
    page = Paginator(selectors.imports_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "discovery/imports.html", {"form": form, "page": page,
                                                       "layouts": LAYOUTS.values()})


@county
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(SourceImport, pk=pk)
    return render(request, "discovery/import.html", {"job": job})


@overview
def campaign_list(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None) if permissions.is_county_staff(request.user) \
        else None
    if request.method == "POST" and form is not None and form.is_valid():
        actor = actor_of(request)
        campaign = apply_service(form, lambda: jobs.start_campaign(actor, form.cleaned_data))
        if campaign is not None:
            return redirect("discovery:campaign", pk=campaign.pk)
    return render(request, "discovery/campaigns.html", {
        "campaigns": selectors.campaigns_for(request.user), "form": form})


@overview
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign(request.user, pk)
    township = request.GET.get("township", "")[:9]
    total, lines = selectors.progress(request.user, campaign, township)
    return render(request, "discovery/campaign.html", {
        "campaign": campaign, "total": total, "lines": lines, "township": township,
        "township_area": Area.objects.filter(code=township).first() if township else None,
        "groups": [group_label(c) for c in campaign.categories],
        "readers": getattr(request.user, "can_read_registry", False),
        "field": _field(request)})


@staff
def campaign_visits(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign(request.user, pk)
    village, status = request.GET.get("village", ""), request.GET.get("status", "")
    page = Paginator(selectors.visits_for(request.user, campaign, village, status), 50) \
        .get_page(request.GET.get("page"))
    _label(page)
    return render(request, "discovery/visits.html", {
        "campaign": campaign, "page": page, "village": village, "status": status,
        "statuses": VisitStatus.choices, "label": group_label})


@staff
def uncovered(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign(request.user, pk)
    page = Paginator(selectors.found_not_covered(request.user, campaign), 50).get_page(
        request.GET.get("page"))
    _label(page)
    return render(request, "discovery/uncovered.html", {"campaign": campaign, "page": page,
                                                         "label": group_label})


def _label(page: Any) -> None:
    for visit in page:
        visit.group = group_label(visit.category)


@staff
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit(request.user, pk)
    form = VisitForm(request.POST or None, initial={
        "status": visit.status if visit.status != VisitStatus.PENDING else "",
        "situation": visit.situation, "needs": visit.needs, "needs_help": visit.needs_help})
    help_form = HelpForm(request.POST or None, prefix="help")
    if request.method == "POST" and "help-outcome" in request.POST:
        if help_form.is_valid():
            data, actor = help_form.cleaned_data, actor_of(request)
            done = apply_service(help_form, lambda: services.visit_help(
                actor, visit, data["outcome"], data))
            if done is not None:
                messages.success(request, _("Help asked for."))
                return redirect("discovery:visit", pk=visit.pk)
    elif request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        done = apply_service(form, lambda: services.record_visit(
            actor, visit, form.cleaned_data))
        if done is not None:
            messages.success(request, _("Visit recorded."))
            return redirect("discovery:visit", pk=visit.pk)
    return render(request, "discovery/visit.html", {
        "visit": visit, "form": form, "help_form": help_form, "group": group_label(
            visit.category), "field": _field(request)})


@staff
def visit_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign(request.user, pk)
    villages = [(a.code, a.name) for a in scope(Area.objects.filter(
        level="village", code__startswith=campaign.area.code), request.user, field="code")]
    form = FoundPersonForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, actor_of(request)
        head = {k: data[k] for k in ("name", "id_number", "sex", "birth_date") if data.get(k)}
        visit = apply_service(form, lambda: services.add_found_person(
            actor, campaign, data["category"],
            {"area_code": data["area_code"], "hukou": data["hukou"],
             "address": data["address"]}, head, data))
        if visit is not None:
            messages.success(request, _("Added to the registry and the visit list."))
            return redirect("discovery:visit", pk=visit.pk)
    return render(request, "discovery/visit_add.html", {"campaign": campaign, "form": form})


@overview
def monitoring(request: HttpRequest) -> HttpResponse:
    user = request.user
    category = request.GET.get("category", "")
    readers = getattr(user, "can_read_registry", False)
    counts = selectors.monitoring_counts(user)
    page = Paginator(selectors.monitored(user, category), 50).get_page(
        request.GET.get("page")) if readers else None
    if request.method == "POST" and permissions.is_county_staff(user):
        jobs.start_monitoring(f"manual {user.get_username()}")
        messages.success(request, _("The monitored list is being recomputed."))
        return redirect("discovery:monitoring")
    return render(request, "discovery/monitoring.html", {
        "categories": [(v, label, counts.get(v, 0)) for v, label in MonitorCategory.choices],
        "category": category, "page": page,
        "movements": selectors.movements(user, services.today() - dt.timedelta(days=400)),
        "runs": selectors.monitoring_runs(), "county_staff": permissions.is_county_staff(user)})


@overview
def effectiveness(request: HttpRequest) -> HttpResponse:
    effects = selectors.effectiveness(request.user)
    return render(request, "discovery/effectiveness.html", {
        "effects": [(e, rules.rule_label(e.rule), dict(_sources()).get(e.source, "—"))
                    for e in effects]})


def _sources() -> list[tuple[str, Any]]:
    return list(SourceKind.choices)
