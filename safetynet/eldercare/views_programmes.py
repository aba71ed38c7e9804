"""Screens of care institutions, age-friendly modifications and insurance rosters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from safetynet.accounts.actor import actor_of
from safetynet.core import audit
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import get_in_scope, scope, user_area_codes
from safetynet.eldercare import (
    catalogue,
    exports,
    forms,
    institutions,
    insurance,
    modifications,
    permissions,
    roster,
    selectors,
    services,
)
from safetynet.eldercare.models import Cover, InsurancePolicy, Stay
from safetynet.eldercare.views import _try, _xlsx, viewer
from safetynet.registry.models import Household, Person


def _person_by_id_number(user: Any, form: Form) -> Person | None:
    """The person with the ID number typed in the form, inside the user's areas."""
    number = str(form.cleaned_data.get("id_number", "")).strip().upper()
    person = scope(Person.objects.filter(id_number=number), user).first() if number else None
    if person is None:
        form.add_error("id_number", _("No person with this ID number in your areas."))
    return person


# --- institutions ---------------------------------------------------------------------------


@viewer
def institution_list(request: HttpRequest) -> HttpResponse:
    today = services.today()
    rows = [(i, institutions.occupancy(i, today))
            for i in selectors.institutions_for(request.user)]
    return render(request, "eldercare/institutions.html",
                  {"rows": rows, "can_manage": permissions.can_manage(request.user)})


@viewer
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    home = get_in_scope(selectors.institutions_for(request.user), request.user, "area__code", pk=pk)
    form = forms.AdmitForm(request.POST or None, initial={"admitted_on": services.today()})
    if request.method == "POST":
        if not permissions.can_manage(request.user):
            raise PermissionDenied(_("Your role may not manage care institutions."))
        if form.is_valid() and (person := _person_by_id_number(request.user, form)):
            data = form.cleaned_data
            done = apply_service(form, lambda: institutions.admit(
                actor_of(request), home, person, kind=data["kind"], bed_type=data["bed_type"],
                admitted_on=data["admitted_on"]))
            if done is not None:
                messages.success(request, _("%(n)s admitted.") % {"n": person.name})
                return redirect("eldercare:institution", pk=pk)
    today = services.today()
    return render(request, "eldercare/institution.html", {
        "home": home, "now": institutions.occupancy(home, today),
        "history": institutions.occupancy_by_month(home, today),
        "residents": selectors.residents(request.user, home), "form": form,
        "can_manage": permissions.can_manage(request.user)})


@viewer
def discharge(request: HttpRequest, pk: int) -> HttpResponse:
    stay = get_in_scope(Stay.objects.select_related("person", "institution"), request.user,
                        pk=pk)
    form = forms.DischargeForm(request.POST or None, initial={"discharged_on": services.today()})
    if request.method == "POST" and form.is_valid():
        done = apply_service(form, lambda: institutions.discharge(
            actor_of(request), stay, discharged_on=form.cleaned_data["discharged_on"],
            reason=form.cleaned_data["reason"]))
        if done is not None:
            messages.success(request, _("%(n)s discharged.") % {"n": stay.person.name})
            return redirect("eldercare:institution", pk=stay.institution_id)
    return render(request, "eldercare/form.html", {
        "form": form, "title": _("Discharge %(n)s") % {"n": stay.person.name},
        "back": ("eldercare:institution", stay.institution_id)})


# --- modifications --------------------------------------------------------------------------


@viewer
def modification_list(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year", services.today().year))
    except ValueError:
        year = services.today().year
    county = next(iter(user_area_codes(request.user)), "")[:6]
    return render(request, "eldercare/modifications.html", {
        "year": year, "progress": modifications.progress(request.user, year, county),
        "plans": selectors.plans_for(request.user, year)[:500]})


@viewer
def new_plan(request: HttpRequest, household: int) -> HttpResponse:
    home = get_in_scope(Household.objects.select_related("area"), request.user, pk=household)
    if not permissions.can_manage(request.user):
        raise PermissionDenied(_("Your role may not manage modification plans."))
    today = services.today()
    elderly = roster.elderly_age(home.area_id, today)
    members = [(p.pk, f"{p.name}（{p.age_on(today)}）") for p in home.members.filter(
        deceased_on__isnull=True).order_by("birth_date") if p.age_on(today) >= elderly]
    form = forms.PlanForm(request.POST or None, members=members,
                          prices=catalogue.prices(home.area_id, today))
    checks = [(p, modifications.eligibility(p)) for p in home.members.filter(
        pk__in=[m[0] for m in members])]
    application = modifications.approved_application(home)
    if request.method == "POST" and form.is_valid():
        person = home.members.get(pk=form.cleaned_data["person"])
        plan = apply_service(form, lambda: modifications.create_plan(
            actor_of(request), home, person, items=form.items(), application=application,
            contractor=form.cleaned_data["contractor"]))
        if plan is not None:
            messages.success(request, _("Plan agreed."))
            return redirect("eldercare:plan", pk=plan.pk)
    return render(request, "eldercare/plan_new.html", {
        "form": form, "household": home, "checks": checks, "application": application})


@viewer
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.plan_for(request.user, pk)
    start = forms.StartWorkForm(prefix="start", initial={"started_on": services.today(),
                                                         "contractor": item.contractor})
    accept = forms.AcceptForm(prefix="accept", initial={"accepted_on": services.today()})
    if request.method == "POST" and permissions.can_manage(request.user):
        if "start-started_on" in request.POST:
            start = forms.StartWorkForm(request.POST, request.FILES, prefix="start")
            if start.is_valid() and apply_service(start, lambda: modifications.start_work(
                    actor_of(request), item, **start.cleaned_data)):
                messages.success(request, _("Work started."))
                return redirect("eldercare:plan", pk=pk)
        else:
            accept = forms.AcceptForm(request.POST, request.FILES, prefix="accept")
            if accept.is_valid() and apply_service(accept, lambda: modifications.accept(
                    actor_of(request), item, **accept.cleaned_data)):
                messages.success(request, _("Accepted."))
                return redirect("eldercare:plan", pk=pk)
    lines = [(line, catalogue.BY_CODE.get(line.code)) for line in item.items.all()]
    return render(request, "eldercare/plan.html", {
        "plan": item, "lines": lines, "start": start, "accept": accept,
        "can_manage": permissions.can_manage(request.user)})


@viewer
def plan_photo(request: HttpRequest, pk: int, which: str) -> HttpResponseBase:
    item = selectors.plan_for(request.user, pk)
    photo = {"before": item.before_photo, "after": item.after_photo}.get(which)
    if not photo:
        raise Http404
    audit.record("eldercare.photo.view", request=request, obj=item, which=which)
    return FileResponse(photo.open("rb"))


# --- insurance ------------------------------------------------------------------------------


@viewer
def policies(request: HttpRequest) -> HttpResponse:
    found = scope(InsurancePolicy.objects.all(), request.user, "area__code")
    return render(request, "eldercare/policies.html",
                  {"policies": found, "can_manage": permissions.can_manage(request.user)})


@viewer
def policy(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_in_scope(InsurancePolicy.objects.all(), request.user, "area__code", pk=pk)
    covers = scope(item.covers.select_related("person", "institution", "area"), request.user)
    if request.GET.get("format") == "xlsx":
        audit.record("eldercare.export.roster", request=request, obj=item,
                     rows=covers.count())
        return _xlsx(exports.roster_book(item, covers), f"roster-{item.number}.xlsx")
    form = forms.CoverForm(request.POST or None, initial={"added_on": services.today()})
    if request.method == "POST" and "fill" in request.POST:
        added = _try(request, lambda: insurance.fill_roster(
            actor_of(request), item, on=max(item.starts_on, min(services.today(), item.ends_on))))
        if added is not None:
            messages.success(request, _("%(n)d added to the roster.") % {"n": added})
        return redirect("eldercare:policy", pk=pk)
    if request.method == "POST" and form.is_valid() and (
            person := _person_by_id_number(request.user, form)) and apply_service(
            form, lambda: insurance.add_cover(actor_of(request), item, person=person,
                                              on=form.cleaned_data["added_on"])):
        messages.success(request, _("%(n)s added to the roster.") % {"n": person.name})
        return redirect("eldercare:policy", pk=pk)
    return render(request, "eldercare/policy.html", {
        "policy": item, "covers": covers[:2000], "form": form,
        "can_manage": permissions.can_manage(request.user)})


@viewer
def remove_cover(request: HttpRequest, pk: int) -> HttpResponse:
    cover = get_in_scope(Cover.objects.select_related("policy", "person", "institution"),
                         request.user, pk=pk)
    form = forms.RemoveCoverForm(request.POST or None, initial={"removed_on": services.today()})
    if request.method == "POST" and form.is_valid() and apply_service(
            form, lambda: insurance.remove_cover(actor_of(request), cover,
                                                 on=form.cleaned_data["removed_on"],
                                                 note=form.cleaned_data["note"])):
        messages.success(request, _("Cover ended."))
        return redirect("eldercare:policy", pk=cover.policy_id)
    return render(request, "eldercare/form.html", {
        "form": form, "title": _("End a cover"), "back": ("eldercare:policy", cover.policy_id)})
