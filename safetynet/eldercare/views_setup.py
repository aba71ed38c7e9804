"""Set-up screens of the programme: new provider, contract, provider worker, institution
and insurance policy. Thin views: parse a form, call the one service, redirect.

Only programme managers (permissions.can_manage) open them; a service that refuses
(PermissionDenied, e.g. an area outside the user's) gives 403 like any other refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.actor import actor_of
from safetynet.core.access import requires
from safetynet.core.forms import apply_service
from safetynet.eldercare import forms_setup as setup
from safetynet.eldercare import institutions, insurance, permissions, selectors, services

View = Callable[..., HttpResponseBase]
TEMPLATE = "eldercare/setup_form.html"


manager = requires(permissions.can_manage,
                   _("Your role may not manage the elderly-care programme."))


def _page(request: HttpRequest, form: Any, title: Any, back: str, intro: Any = "") -> HttpResponse:
    return render(request, TEMPLATE, {"form": form, "title": title, "back": back,
                                      "intro": intro})


@manager
def provider_new(request: HttpRequest) -> HttpResponseBase:
    form = setup.ProviderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: services.create_provider(
            actor_of(request), **form.cleaned_data))
        if done is not None:
            messages.success(request, _("Provider %(n)s created.") % {"n": done.name})
            return redirect("eldercare:providers")
    return _page(request, form, _("New service provider"), "eldercare:providers")


@manager
def contract_new(request: HttpRequest) -> HttpResponseBase:
    providers = selectors.providers_for(request.user).filter(active=True)
    form = setup.ContractForm(request.POST or None, user=request.user, providers=providers,
                              initial={"provider": request.GET.get("provider")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: services.create_contract(
            actor_of(request), provider=data["provider"], number=data["number"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], area_codes=data["areas"],
            prices=form.prices()))
        if done is not None:
            messages.success(request, _("Contract %(n)s saved.") % {"n": done.number})
            return redirect("eldercare:providers")
    return _page(request, form, _("New purchase contract"), "eldercare:providers",
                 _("The contract's period, the townships or villages it serves and the price "
                   "of each service item. Orders go to the provider whose contract serves the "
                   "person's village."))


@manager
def staff_add(request: HttpRequest) -> HttpResponseBase:
    form = setup.StaffForm(request.POST or None,
                           providers=selectors.providers_for(request.user).filter(active=True),
                           workers=setup.provider_workers(request.user),
                           initial={"provider": request.GET.get("provider")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: services.add_staff(
            actor_of(request), provider=data["provider"], worker=data["worker"]))
        if done is not None:
            messages.success(request, _("%(w)s now records visits for %(p)s.")
                             % {"w": data["worker"], "p": data["provider"].name})
            return redirect("eldercare:providers")
    return _page(request, form, _("Add a provider's worker"), "eldercare:providers",
                 _("The worker then sees the provider's orders and records visits on the "
                   "phone. A login already linked to another provider moves to this one."))


@manager
def institution_new(request: HttpRequest) -> HttpResponseBase:
    form = setup.InstitutionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: institutions.create_institution(
            actor_of(request), name=data["name"], kind=data["kind"], area_code=data["area"],
            beds=form.beds(), reserved_beds=data["reserved_beds"],
            day_care_places=data["day_care_places"], address=data["address"]))
        if done is not None:
            messages.success(request, _("Institution %(n)s created.") % {"n": done.name})
            return redirect("eldercare:institution", pk=done.pk)
    return _page(request, form, _("New care institution"), "eldercare:institutions")


@manager
def policy_new(request: HttpRequest) -> HttpResponseBase:
    form = setup.PolicyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = apply_service(form, lambda: insurance.create_policy(
            actor_of(request), kind=data["kind"], insurer=data["insurer"], number=data["number"],
            starts_on=data["starts_on"], ends_on=data["ends_on"], area_code=data["area"],
            premium=data["premium"]))
        if done is not None:
            messages.success(request, _("Policy %(n)s created.") % {"n": done.number})
            return redirect("eldercare:policy", pk=done.pk)
    return _page(request, form, _("New insurance policy"), "eldercare:policies")
