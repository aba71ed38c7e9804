"""Single-window screens: thin views that validate input, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _lazy

from safetynet.accounts.actor import actor_of
from safetynet.core import audit
from safetynet.core.access import requires
from safetynet.core.actor import Actor
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import get_in_scope, scope
from safetynet.intake import deadlines, permissions, selectors
from safetynet.intake.forms import (
    AnswerForm,
    ApplicationForm,
    AttachmentForm,
    HouseholdPickForm,
    InformForm,
    ReferralForm,
    ReturnForm,
    action_form,
)
from safetynet.intake.models import Attachment, Kind
from safetynet.intake.services import applications, attachments, common, temporary
from safetynet.intake.services import referrals as intake_referrals
from safetynet.intake.workflow import TEMPORARY_KINDS, TransitionRefused, find
from safetynet.registry import access
from safetynet.registry.models import Household
from safetynet.rules.selectors import benefits_panel

View = Callable[..., HttpResponseBase]


staff = requires(lambda user: getattr(user, "can_read_registry", False),
                 _lazy("Only civil-affairs staff see applications."))


TABS = [("mine", gettext_lazy("My next steps")), ("open", gettext_lazy("All open")),
        ("overdue", gettext_lazy("Overdue")), ("all", gettext_lazy("All"))]


@requires(permissions.may_open)
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.can_read_registry:  # type: ignore[union-attr]
        return redirect("intake:referrals")
    show = request.GET.get("show", "mine")
    apps = selectors.listing(user, show)
    kind = request.GET.get("kind", "")
    if kind in Kind.values:
        apps = apps.filter(kind=kind)
    page = Paginator(apps, 50).get_page(request.GET.get("page"))
    context = {"page": page, "show": show, "kind": kind, "kinds": Kind.choices, "tabs": TABS,
               "today": common.today(),
               "referrals": selectors.referral_queue(user)[:5]}
    return render(request, "intake/home.html", context)


@staff
def pick_household(request: HttpRequest) -> HttpResponse:
    form = HouseholdPickForm(request.GET or None)
    if form.is_valid():
        household = scope(Household.objects.all(), request.user).filter(
            number=form.cleaned_data["household"].strip()).first()
        if household is not None:
            return redirect("intake:new", household=household.pk)
        form.add_error("household", _("No household with this number in your areas."))
    return render(request, "intake/pick_household.html", {"form": form})


@staff
def new_application(request: HttpRequest, household: int) -> HttpResponse:
    home_ = get_in_scope(Household.objects.select_related("area"), request.user, pk=household)
    if request.htmx:  # type: ignore[attr-defined]
        # The type changed: the fields of the new type only (the others keep what the
        # user chose, even when the refresh lands after another choice).
        form = ApplicationForm(home_, initial=request.POST.dict(), user=request.user)
        return render(request, "intake/_type_fields.html", {"form": form})
    form = ApplicationForm(home_, request.POST or None, request.FILES or None,
                           initial={"kind": request.GET.get("kind", Kind.DIBAO)},
                           user=request.user)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        app = apply_service(form, lambda: applications.create_application(
            actor, household=home_, **form.service_arguments()))
        if app is not None:
            messages.success(request, _("Application %(n)s registered.") % {"n": app.number})
            return redirect("intake:detail", pk=app.pk)
    duplicate = None
    if form.errors and hasattr(form, "cleaned_data") and form.cleaned_data.get("applicant"):
        person = form.cleaned_data.get("beneficiary") or form.cleaned_data["applicant"]
        duplicate = applications.open_duplicate(form.chosen_kind, home_, person)
    return render(request, "intake/new.html",
                  {"form": form, "household": home_, "duplicate": duplicate})


@staff
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_for(request.user, pk)
    today = common.today()
    closed = access.closed_ids(request.user, app.household, today)
    panel = benefits_panel(request.user, app.household, closed)
    context = {
        "app": app, "steps": selectors.timeline(app), "today": today,
        "actions": selectors.actions_for(request.user, app),
        "urgency": deadlines.urgency(app.due_on, app.area.code, today),
        "attachments": app.attachments.all(), "objections": app.objections.all(),
        "referrals": app.referrals.all(), "attach_form": AttachmentForm(),
        "benefits": render_to_string(panel.template, panel.context, request),
        "closed": closed,
        "preparers": selectors.preparer_names(app),
        "waiting": selectors.waiting_actions(request.user, app),
        "temporary": selectors.temporary_rules(app) if app.kind in TEMPORARY_KINDS else None,
    }
    return render(request, "intake/detail.html", context)


@staff
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    app = selectors.application_for(request.user, pk)
    try:
        transition = find(app.kind, app.state, action)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
        return redirect("intake:detail", pk=app.pk)
    first_day = selectors.not_before(app, action)
    if first_day is not None:
        messages.error(request, _("“%(action)s” is possible from %(day)s, after the last day "
                                  "of the public notice.")
                       % {"action": transition.label, "day": first_day.isoformat()})
        return redirect("intake:detail", pk=app.pk)
    form = action_form(transition, request.POST or None, request.FILES or None,
                       initial=_initial(action))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "photos"}
        actor = actor_of(request)
        done = apply_service(form, lambda: applications.take_action(
            actor, app, action, data, files=form.cleaned_data.get("photos") or []))
        if done is not None:
            messages.success(request, _("Done: %(action)s. Now: %(state)s.")
                             % {"action": transition.label, "state": done.get_state_display()})
            return redirect("intake:detail", pk=app.pk)
    context = {"app": app, "form": form, "transition": transition,
               "limit": temporary.township_limit(app) if action in (
                   "grant_now", "township_approve") else None,
               "rules": selectors.rules_amounts(app) if action in RULES_BESIDE else []}
    return render(request, "intake/action.html", context)


# Actions whose form shows what the rules give (amount and explanation) beside it.
RULES_BESIDE = frozenset({"review", "approve", "grant_now", "township_approve"})


def _initial(action: str) -> dict[str, Any]:
    return {"notice_start": common.today()} if action == "post_notice" else {}


@staff
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.application_for(request.user, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = form.cleaned_data["documents"]
        actor = actor_of(request)
        added = apply_service(form, lambda: [attachments.attach(
            actor, app, upload, form.cleaned_data["kind"]) for upload in uploads])
        if added is None:
            messages.error(request, " ".join(str(e) for errors in form.errors.values()
                                             for e in errors))
        else:
            messages.success(request, _("Documents added."))
    return redirect("intake:detail", pk=app.pk)


@staff
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(Attachment.objects.select_related("application__area"), pk=pk)
    selectors.application_for(request.user, item.application_id)  # jurisdiction check
    audit.record("intake.attachment.view", request=request, obj=item.application,
                 attachment=item.pk)
    return FileResponse(item.file.open("rb"), content_type=item.content_type,
                        filename=f"{item.application.number}-{item.pk}"
                                 f"{item.file.name[item.file.name.rfind('.'):]}")


@staff
def overdue(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/overdue.html",
                  {"report": selectors.overdue_report(request.user)})


# --- referrals ------------------------------------------------------------------------------------


@requires(permissions.may_open)
def referrals(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = selectors.referrals_for(user).order_by("-sent_at")
    state = request.GET.get("state", "")
    if state:
        items = items.filter(state=state)
    context = {"queue": selectors.referral_queue(user), "page": Paginator(items, 50).get_page(
        request.GET.get("page")), "state": state, "today": common.today()}
    return render(request, "intake/referrals.html", context)


@staff
def new_referral(request: HttpRequest, household: int) -> HttpResponse:
    home_ = get_in_scope(Household.objects.select_related("area"), request.user, pk=household)
    app = None
    if request.GET.get("application"):
        app = selectors.application_for(request.user, int(request.GET["application"]))
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = app.beneficiary or app.applicant if app else None
        actor = actor_of(request)
        referral = apply_service(form, lambda: intake_referrals.send_referral(
            actor, home_, form.cleaned_data, person=person, application=app))
        if referral is not None:
            messages.success(request, _("Referral %(n)s sent.") % {"n": referral.number})
            return redirect("intake:referral", pk=referral.pk)
    return render(request, "intake/referral_new.html",
                  {"form": form, "household": home_, "app": app})


@login_required
def referral(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.referral_for(request.user, pk)
    actor = actor_of(request)
    context = {"r": item, "today": common.today(), "answer_form": AnswerForm(),
               "return_form": ReturnForm(), "inform_form": InformForm(),
               "can_handle": intake_referrals.may_handle_referral(actor, item),
               "can_close": intake_referrals.may_close_referral(actor, item),
               "urgency": deadlines.urgency(item.due_on, item.area.code, common.today())
               if item.state in ("sent", "accepted") else None}
    return render(request, "intake/referral.html", context)


REFERRAL_FORMS: dict[str, type[Form] | None] = {
    "accept": None, "answer": AnswerForm, "return": ReturnForm, "close": InformForm}


def _referral_service(op: str, actor: Actor, item: Any, data: dict[str, Any]) -> Any:
    if op == "accept":
        return intake_referrals.accept_referral(actor, item)
    if op == "answer":
        return intake_referrals.answer_referral(actor, item, data["answer"])
    if op == "return":
        return intake_referrals.return_referral(actor, item, data["reason"])
    return intake_referrals.close_referral(actor, item, data["informed_on"])


@login_required
def referral_action(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    if request.method != "POST" or op not in REFERRAL_FORMS:
        raise Http404
    item = selectors.referral_for(request.user, pk)
    form_class = REFERRAL_FORMS[op]
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("intake:referral", pk=item.pk)
    try:
        _referral_service(op, actor_of(request), item, form.cleaned_data if form else {})
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Not allowed."))
    except ValidationError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("intake:referral", pk=item.pk)
