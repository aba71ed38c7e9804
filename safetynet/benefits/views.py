"""Enrolment screens: the list (and reviews due), one enrolment with its history and the
actions on it. Thin views: validate the form, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safetynet.accounts.actor import actor_of
from safetynet.benefits import permissions, selectors, services
from safetynet.benefits.forms import (
    ChangeForm,
    ExitForm,
    FilterForm,
    ResumeForm,
    ReviewForm,
    SuspendForm,
    TerminateForm,
)
from safetynet.benefits.models import Enrollment
from safetynet.core.access import requires
from safetynet.core.forms import apply_service

PAGE = 50


def _reader(request: HttpRequest) -> None:
    if not permissions.can_read(request.user):
        raise PermissionDenied


@requires(permissions.can_read)
def home(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    if request.GET.get("reviews"):
        found = selectors.reviews_due(request.user)
    else:
        found = selectors.enrollments(request.user, data.get("program", ""),
                                      data.get("status", ""))
    page = Paginator(found.order_by("-start_month", "-pk") if not request.GET.get("reviews")
                     else found, PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.mark_one_off(page.object_list)
    return render(request, "benefits/home.html",
                  {"form": form, "page": page, "reviews": bool(request.GET.get("reviews")),
                   "reviews_due": selectors.reviews_due(request.user).count()})


ACTIONS: dict[str, tuple[type[forms.Form], Callable[..., Any]]] = {
    "change": (ChangeForm, services.change_amount),
    "suspend": (SuspendForm, services.suspend),
    "resume": (ResumeForm, services.resume),
    "terminate": (TerminateForm, services.terminate),
    "exit": (ExitForm, services.start_gradual_exit),
    "review": (ReviewForm, services.complete_review),
}
DONE = {"change": lambda: _("Amount changed."), "suspend": lambda: _("Payment suspended."),
        "resume": lambda: _("Payment resumed."), "terminate": lambda: _("Enrolment ended."),
        "exit": lambda: _("Gradual exit started."), "review": lambda: _("Review recorded.")}


def _forms(enrollment: Enrollment) -> dict[str, forms.Form]:
    shown = {"change", "suspend", "terminate", "review"} if enrollment.live else set()
    if enrollment.status == "suspended":
        shown = {"resume", "terminate"}
    if enrollment.program == "dibao" and enrollment.status == "active":
        shown.add("exit")
    if enrollment.status == "exiting":
        shown = {"terminate"}
    return {name: ACTIONS[name][0](prefix=name) for name in ACTIONS if name in shown}


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _reader(request)
    enrollment = selectors.mark_one_off([selectors.enrollment(request.user, pk)])[0]
    return render(request, "benefits/enrollment.html", {
        "e": enrollment, "events": enrollment.events.select_related("user"),
        "suspensions": enrollment.suspensions.all(),
        "reviews": enrollment.reviews.select_related("done_by"),
        "forms": _forms(enrollment) if permissions.can_edit(request.user) else {}})


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    if not permissions.can_edit(request.user):
        raise PermissionDenied
    enrollment = selectors.enrollment(request.user, pk)
    form_class, service = ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        actor = actor_of(request)
        if apply(form, lambda: service(actor, enrollment, **data)):
            messages.success(request, DONE[action]())
            return redirect("benefits:enrollment", pk=pk)
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label} {' '.join(str(e) for e in errors)}".strip())
    return redirect("benefits:enrollment", pk=pk)


def apply(form: forms.Form, action: Callable[[], Any]) -> bool:
    return apply_service(form, action) is not None
