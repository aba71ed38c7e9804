"""Registry screens: thin views that validate input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from safetynet.accounts.actor import actor_of
from safetynet.core import idnumber, masking, panels
from safetynet.core.access import requires
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.registry import access, selectors, services
from safetynet.registry.forms import (
    AssetForm,
    DeceasedForm,
    ExpenseForm,
    HouseholdForm,
    IncomeForm,
    MergeForm,
    MoveForm,
    PersonForm,
    RemoveItemForm,
    RevealForm,
    SplitForm,
)
from safetynet.registry.models import Asset, DuplicateFlag, Household, IncomeItem

registry_reader = requires(lambda user: getattr(user, "can_read_registry", False))


@registry_reader
def search(request: HttpRequest) -> HttpResponse:
    # ID numbers are searched by POST so that they never appear in URLs or access logs.
    query = request.POST.get("q", "") if request.method == "POST" else request.GET.get("q", "")
    results = selectors.search_persons(request.user, query)
    today = timezone.localdate()
    closed = access.closed_in(request.user, results, today)
    # A typed ID number is not echoed back in full: the page must not show it unmasked.
    is_id = idnumber.looks_like_id_number(query.replace(" ", ""))
    context = {"q": "" if is_id else query, "results": results, "closed": closed,
               "searched": masking.mask_id(query.strip()) if is_id else query}
    template = "registry/_results.html" if request.htmx else "registry/search.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _panels(request: HttpRequest, page: str, household: Household,
            closed: set[int]) -> list[str]:
    """Sections other apps add to the household page (core.panels)."""
    return [render_to_string(p.template, p.context, request) for p in
            panels.panels_for(page, user=request.user, household=household, closed=closed)]


@registry_reader
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_detail(request.user, pk)
    today = timezone.localdate()
    access.record_household_view(actor_of(request), household, today)
    closed = access.closed_ids(request.user, household, today)
    context = {"household": household, "on_date": today, "closed": closed,
               "history": selectors.household_history(household, hidden=closed),
               "panels": _panels(request, "household", household, closed),
               "sections": _panels(request, "household_sections", household, closed)}
    return render(request, "registry/household.html", context)


@registry_reader
def reveal(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """GET: ask for the reason; POST: show the full value (audited)."""
    if kind == "person":
        record: Any = selectors.person_in_scope(request.user, pk)
        access.require_open(request.user, record, timezone.localdate())
    else:
        record = get_in_scope(Household.objects.all(), request.user, pk=pk)
    form = RevealForm(request.POST or None)
    value = None
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        value = apply_service(form, lambda: access.reveal(
            actor, record, field, form.cleaned_data["reason"]))
    return render(request, "registry/_reveal.html",
                  {"form": form, "value": value, "url": request.path})


@registry_reader
def household_create(request: HttpRequest) -> HttpResponse:
    hh_form = HouseholdForm(request.POST or None, user=request.user, prefix="hh")
    head_form = PersonForm(request.POST or None, prefix="head")
    if request.method == "POST" and hh_form.is_valid() and head_form.is_valid():
        actor = actor_of(request)
        household = apply_service(head_form, lambda: services.create_household(
            actor, {**hh_form.cleaned_data}, head_form.cleaned_data))
        if household is not None:
            messages.success(request, _("Household %(n)s created.") % {"n": household.number})
            return redirect("registry:household", pk=household.pk)
    return render(request, "registry/household_form.html",
                  {"hh_form": hh_form, "head_form": head_form})


@registry_reader
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    household = get_in_scope(Household.objects.all(), actor, pk=pk)
    form = HouseholdForm(request.POST or None, instance=household, user=request.user)
    if request.method == "POST" and form.is_valid() and apply_service(
            form, lambda: services.update_household(actor, household, form.cleaned_data)):
        return redirect("registry:household", pk=pk)
    return render(request, "registry/simple_form.html",
                  {"form": form, "title": _("Edit household %(n)s") % {"n": household.number},
                   "back": household})


@registry_reader
def person_form(request: HttpRequest, household_pk: int, pk: int | None = None) -> HttpResponse:
    household = get_in_scope(Household.objects.all(), request.user, pk=household_pk)
    person = selectors.person_in_scope(request.user, pk) if pk else None
    if person is not None:
        access.require_open(request.user, person, timezone.localdate())
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, actor_of(request)
        saved = apply_service(form, (lambda: services.update_person(actor, person, data))
                              if person else
                              (lambda: services.add_person(actor, household, data)))
        if saved is not None:
            messages.success(request, _("Saved %(name)s.") % {"name": saved.name})
            url = reverse("registry:household", args=[household.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)  # type: ignore[attr-defined]
    title = _("Edit %(name)s") % {"name": person.name} if person else _("Add a member")
    template = "registry/_person_form.html" if request.htmx else "registry/person_form.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "household": household, "person": person,
                                      "title": title})


def _person_action(request: HttpRequest, pk: int, form_class: type[Form], title: str,
                   action: Callable[[Any, Form], Any]) -> HttpResponse:
    person = selectors.person_in_scope(request.user, pk)
    access.require_open(request.user, person, timezone.localdate())
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid() and apply_service(
            form, lambda: action(person, form)) is not None:
        return redirect("registry:household", pk=person.household_id)
    return render(request, "registry/simple_form.html",
                  {"form": form, "title": f"{title}: {person.name}", "back": person.household})


@registry_reader
def person_deceased(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    return _person_action(request, pk, DeceasedForm, _("Mark deceased"), lambda p, f: (
        services.mark_deceased(actor, p, f.cleaned_data["deceased_on"])))


@registry_reader
def person_move(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)

    def move(person: Any, form: Form) -> Any:
        target = _household_by_number(request, form.cleaned_data["target_number"])
        return services.move_person(actor, person, target, form.cleaned_data["relation"])

    return _person_action(request, pk, MoveForm, _("Move to another household"), move)


def _household_by_number(request: HttpRequest, number: str) -> Household:
    target = scope(Household.objects.filter(active=True), request.user).filter(
        number=number.strip()).first()
    if target is None:
        raise ValidationError({"target_number": _("no active household %(n)s in your areas")
                               % {"n": number}})
    return target


@registry_reader
def household_merge(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_in_scope(Household.objects.all(), request.user, pk=pk)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        target = apply_service(form, lambda: services.merge_households(
            actor, household,
            _household_by_number(request, form.cleaned_data["target_number"])))
        if target is not None:
            return redirect("registry:household", pk=target.pk)
    return render(request, "registry/simple_form.html",
                  {"form": form, "title": _("Merge household %(n)s") % {"n": household.number},
                   "back": household})


@registry_reader
def household_split(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.household_detail(request.user, pk)
    form = SplitForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        data, actor = form.cleaned_data, actor_of(request)
        new = apply_service(form, lambda: services.split_household(
            actor, household, [int(i) for i in data["members"]], int(data["head"]),
            data["address"]))
        if new is not None:
            return redirect("registry:household", pk=new.pk)
    return render(request, "registry/simple_form.html",
                  {"form": form, "title": _("Split household %(n)s") % {"n": household.number},
                   "back": household})


@registry_reader
def duplicates(request: HttpRequest) -> HttpResponse:
    flags = (scope(DuplicateFlag.objects.filter(status=DuplicateFlag.OPEN), request.user)
             .select_related("person__household", "candidate__household")[:200])
    return render(request, "registry/duplicates.html", {"flags": flags})


@registry_reader
def duplicate_resolve(request: HttpRequest, pk: int) -> HttpResponseRedirect:
    actor = actor_of(request)
    flag = get_in_scope(DuplicateFlag.objects.all(), actor, pk=pk)
    if request.method == "POST":
        services.resolve_duplicate(actor, flag, request.POST.get("status", ""))
    return redirect("registry:duplicates")


MEANS_FORMS = {"income": IncomeForm, "asset": AssetForm, "expense": ExpenseForm}


@registry_reader
def household_means(request: HttpRequest, pk: int) -> HttpResponse:
    """Incomes of the members, assets and rigid expenditures: list, add, remove."""
    household = selectors.household_detail(request.user, pk)
    closed = access.closed_ids(request.user, household, timezone.localdate())
    kind = request.POST.get("kind", "")
    forms = {name: _means_form(name, request.POST if name == kind else None, household, closed)
             for name in MEANS_FORMS}
    if request.method == "POST" and kind in forms and forms[kind].is_valid():
        form, actor = forms[kind], actor_of(request)
        if apply_service(form, lambda: services.add_means_item(
                actor, household, form.save(commit=False))) is not None:
            messages.success(request, _("Saved."))
            return redirect("registry:household_means", pk=pk)
    incomes = [i for p in household.members.all() if p.pk not in closed for i in p.incomes.all()]
    return render(request, "registry/means.html", {
        "household": household, "forms": forms, "incomes": incomes})


def _means_form(name: str, data: Any, household: Household, closed: set[int]) -> Any:
    prefix = {"prefix": name}
    if name == "income":
        return IncomeForm(data, household=household, closed=closed, **prefix)
    return MEANS_FORMS[name](data, **prefix)


@registry_reader
def means_remove(request: HttpRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    actor = actor_of(request)
    household = get_in_scope(Household.objects.all(), actor, pk=pk)
    models: dict[str, QuerySet[Any]] = {
        "income": IncomeItem.objects.filter(person__household=household),
        "asset": household.assets.all(), "expense": household.rigid_expenses.all()}
    if kind not in models:
        raise Http404
    item = get_object_or_404(models[kind], pk=item_pk)
    form = RemoveItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and apply_service(
            form, lambda: services.remove_means_item(
                actor, item, form.cleaned_data["reason"])) is not None:
        messages.success(request, _("Removed."))
        return redirect("registry:household_means", pk=pk)
    return render(request, "registry/means_remove.html",
                  {"form": form, "household": household, "item": item,
                   "amount": item.value if isinstance(item, Asset) else item.monthly_amount,
                   "owner": item.person.name if isinstance(item, IncomeItem) else ""})
