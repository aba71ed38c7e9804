"""Child-protection screens: thin views that validate input, call one service, render.

Children's records are open only to child directors and supervisors (CHILD_WORKERS) in
their areas; hotline cases also to the 12345 hotline. Every opening of a child's record
and every export is audited.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from safetynet.accounts.actor import actor_of
from safetynet.children import documents, rules, selectors
from safetynet.children.forms import (
    CaseForm,
    ChildForm,
    CloseForm,
    ConfirmationForm,
    EscalateForm,
    ExportForm,
    HandOverForm,
    HouseholdPickForm,
    ReferForm,
    SupportForm,
    VisitForm,
)
from safetynet.children.models import (
    Category,
    ChildProfile,
    GuardianshipConfirmation,
    HotlineCase,
    Notice,
)
from safetynet.children.services import access, common, exports, hotline, registry
from safetynet.children.services import guardianship as child_guardianship
from safetynet.children.services import support as child_support
from safetynet.children.services import visits as child_visits
from safetynet.core import audit
from safetynet.core.access import requires
from safetynet.core.actor import Actor
from safetynet.core.forms import apply_service
from safetynet.core.jurisdiction import get_in_scope, scope, user_area_codes
from safetynet.core.masking import mask_phone
from safetynet.core.models import Area
from safetynet.registry.models import Household, Person

View = Callable[..., HttpResponseBase]


child_worker = requires(selectors.works_with_children, _lazy(
    "Children's records are open only to child directors and supervisors."))


case_worker = requires(selectors.may_see_cases, _lazy(
    "Minors' hotline cases are open only to the 12345 hotline and child workers."))


def _editable(request: HttpRequest, child: ChildProfile) -> None:
    if not access.may_edit(request.user, child.area_id):
        raise PermissionDenied(_("Only the child director or supervisor of this village may "
                                 "change a child's record."))


# --- overview ------------------------------------------------------------------------------


@case_worker
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if selectors.is_hotline(user):
        return redirect("children:cases")
    today = common.today()
    rows = selectors.coverage(user, today)
    context = {
        "today": today, "rows": rows, "total": selectors.total(rows),
        "due": selectors.due_visits(user, today)[:20],
        "due_count": selectors.due_visits(user, today).count(),
        "overdue_count": selectors.overdue_visits(user, today).count(),
        "notices": selectors.notices_for(user)[:10],
        "cases": selectors.my_cases(user)[:10],
        "late_cases": selectors.escalated_cases(user, today).count(),
    }
    return render(request, "children/home.html", context)


@child_worker
def coverage(request: HttpRequest) -> HttpResponse:
    today = common.today()
    rows = selectors.coverage(request.user, today)
    missing = selectors.missing_guardianship(request.user)
    return render(request, "children/coverage.html", {
        "rows": rows, "total": selectors.total(rows), "today": today,
        "missing": missing[:200], "missing_count": missing.count()})


@child_worker
def child_list(request: HttpRequest) -> HttpResponse:
    user, today = request.user, common.today()
    show = request.GET.get("show", "")
    category = request.GET.get("category", "")
    show = show if show in selectors.LIST_FILTERS else ""
    category = category if category in Category.values else ""
    children = selectors.listed(user, show, category, today)
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    return render(request, "children/list.html", {
        "page": page, "show": show, "category": category, "categories": Category.choices,
        "today": today})


# --- registering and editing a child -------------------------------------------------------


@child_worker
def pick(request: HttpRequest) -> HttpResponse:
    """Find the household, then register one of its children."""
    form = HouseholdPickForm(request.GET or None)
    household, kids = None, []
    if form.is_valid():
        number = form.cleaned_data["household"].strip()
        household = scope(Household.objects.filter(number=number), request.user).first()
        if household is None:
            form.add_error("household", _("No household with this number in your areas."))
        else:
            today = common.today()
            adult = rules.minor_age(household.area_id, today)
            kids = [p for p in household.members.order_by("birth_date")
                    if p.alive and p.age_on(today) < adult]
    registered = set(ChildProfile.objects.filter(person__in=kids).values_list(
        "person_id", flat=True))
    return render(request, "children/pick.html", {"form": form, "household": household,
                                                  "kids": kids, "registered": registered})


@child_worker
def register(request: HttpRequest, person: int) -> HttpResponse:
    child = get_in_scope(Person.objects.select_related("household"), request.user, pk=person)
    existing = ChildProfile.objects.filter(person=child).first()
    if existing is not None:
        return redirect("children:child", pk=existing.pk)
    form = ChildForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        profile = apply_service(form, lambda: registry.register_child(
            actor, child, form.cleaned_data))
        if profile is not None:
            messages.success(request, _("%(name)s registered.") % {"name": child.name})
            return redirect("children:child", pk=profile.pk)
    return render(request, "children/form.html", {
        "form": form, "title": _("Register %(name)s") % {"name": child.name}, "person": child})


@child_worker
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_for(request.user, pk)
    _editable(request, child)
    form = ChildForm(request.POST or None, instance=child)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        done = apply_service(form, lambda: registry.update_child(
            actor, ChildProfile.objects.get(pk=child.pk), form.cleaned_data))
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("children:child", pk=pk)
    return render(request, "children/form.html", {
        "form": form, "title": _("Facts of %(name)s") % {"name": child.person.name},
        "child": child})


@child_worker
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_for(request.user, pk)
    today = common.today()
    audit.record("children.view", request=request, obj=child)
    reasons = selectors.reasons(child, today)
    orphan = bool(set(reasons) & registry.ORPHAN_CATEGORIES)
    return render(request, "children/detail.html", {
        "child": child, "person": child.person, "today": today,
        "reasons": [(Category(c).label, text) for c, text in reasons.items()],
        "reviewed": [Category(c).label for c in child.reviewed_categories.split(",") if c
                     in Category.values],
        "visits": child.visits.select_related("visitor")[:20],
        "confirmations": child.confirmations.select_related("recorded_by"),
        "support": child.support.all() if orphan else [],
        "allowance": selectors.orphan_allowance(child, today) if orphan else None,
        "orphan": orphan, "cases": child.cases.all()[:10],
        "can_edit": access.may_edit(request.user, child.area_id),
        "can_review": registry.may_review(actor_of(request), child.area_id),
        "phones": {k: mask_phone(getattr(child, k)) for k in
                   ("father_phone", "mother_phone", "carer_phone")},
    })


@child_worker
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_for(request.user, pk)
    registry.review_categories(actor_of(request), child)
    messages.success(request, _("Categories confirmed."))
    return redirect("children:child", pk=pk)


@child_worker
@require_POST
def read_notice(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_in_scope(Notice.objects.all(), request.user, pk=pk)
    registry.read_notice(actor_of(request), notice)
    return redirect("children:home")


# --- visits, guardianship, support ---------------------------------------------------------


def _child_action(request: HttpRequest, pk: int, form_class: type[Form], title: str,
                  action: Callable[[ChildProfile, dict[str, Any]], Any], done: str,
                  initial: dict[str, Any] | None = None, files: bool = False) -> HttpResponse:
    child = selectors.child_for(request.user, pk)
    _editable(request, child)
    form = form_class(request.POST or None, request.FILES or None if files else None,
                      initial=initial)
    if request.method == "POST" and form.is_valid():
        result = apply_service(form, lambda: action(child, form.cleaned_data))
        if result is not None:
            messages.success(request, done)
            back = request.POST.get("next", "")
            if back.startswith("/children/") and "//" not in back:
                return redirect(back)
            return redirect("children:child", pk=pk)
    return render(request, "children/form.html", {
        "form": form, "title": title % {"name": child.person.name}, "child": child,
        "multipart": files, "next": request.GET.get("next", "")})


@child_worker
def visit(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_action(
        request, pk, VisitForm, _("Visit to %(name)s"),
        lambda child, data: child_visits.record_visit(actor_of(request), child, data),
        _("Visit recorded."), initial={"visited_on": common.today()})


@child_worker
def guardianship(request: HttpRequest, pk: int) -> HttpResponse:
    def action(child: ChildProfile, data: dict[str, Any]) -> Any:
        scan = data.pop("scan", None)
        return child_guardianship.record_confirmation(actor_of(request), child, data,
                                                      scan=scan or None)
    return _child_action(request, pk, ConfirmationForm,
                         _("Delegated-guardianship confirmation of %(name)s"), action,
                         _("Guardianship confirmation recorded."),
                         initial={"signed_on": common.today()}, files=True)


@child_worker
def support(request: HttpRequest, pk: int) -> HttpResponse:
    return _child_action(
        request, pk, SupportForm, _("Education aid or health check of %(name)s"),
        lambda child, data: child_support.record_support(actor_of(request), child, data),
        _("Support recorded."), initial={"on": common.today()})


@child_worker
def visits(request: HttpRequest) -> HttpResponse:
    today = common.today()
    due = selectors.due_visits(request.user, today)
    return render(request, "children/visits.html", {"due": due[:200], "today": today,
                                                    "count": due.count()})


@child_worker
def scan(request: HttpRequest, pk: int) -> FileResponse:
    confirmation = get_object_or_404(GuardianshipConfirmation.objects.select_related("child"),
                                     pk=pk)
    selectors.child_for(request.user, confirmation.child_id)
    if not confirmation.scan:
        raise Http404
    audit.record("children.scan_view", request=request, obj=confirmation)
    response = FileResponse(confirmation.scan.open("rb"))
    response["Cache-Control"] = "no-store, private"
    return response


@child_worker
def form_pdf(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The delegated-guardianship confirmation: blank, or filled for one child."""
    child = selectors.child_for(request.user, pk) if pk else None
    if child is not None:
        audit.record("children.print_form", request=request, obj=child)
    response = HttpResponse(documents.guardianship_form(child), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="guardianship-confirmation.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response


# --- exports -------------------------------------------------------------------------------


@child_worker
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None, initial={"what": request.GET.get("what")})
    if request.method == "POST" and form.is_valid():
        what = form.cleaned_data["what"]
        rows = documents.export_rows(request.user, what)
        actor = actor_of(request)
        apply_service(form, lambda: exports.audit_export(
            actor, what, form.cleaned_data["reason"], len(rows) - 1))
        if not form.errors:
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="children-{what}.csv"'
            response.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM
            csv.writer(response).writerows(rows)
            return response
    return render(request, "children/form.html", {"form": form, "title": _("Export children's "
                                                                          "data")})


# --- hotline cases -------------------------------------------------------------------------


@case_worker
def cases(request: HttpRequest) -> HttpResponse:
    user, today = request.user, common.today()
    show = request.GET.get("show", "open")
    found = {"open": selectors.open_cases(user), "mine": selectors.my_cases(user),
             "late": selectors.escalated_cases(user, today),
             "all": selectors.cases_for(user)}.get(show, selectors.open_cases(user))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "children/cases.html", {"page": page, "show": show,
                                                   "today": today})


def _villages(user: Any) -> list[tuple[str, str]]:
    areas = scope(Area.objects.filter(level="village").select_related("parent"), user,
                  field="code")
    return [(a.code, f"{a.parent.name if a.parent else ''} {a.name}") for a in
            areas.order_by("code")[:1000]] if user_area_codes(user) else []


@case_worker
def case_new(request: HttpRequest) -> HttpResponse:
    child_pk = request.GET.get("child") or request.POST.get("child")
    child = selectors.child_for(request.user, int(child_pk)) if child_pk and str(
        child_pk).isdigit() and selectors.works_with_children(request.user) else None
    initial = {"child_name": child.person.name, "area_code": child.area_id} if child else {}
    form = CaseForm(_villages(request.user), request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        actor = actor_of(request)
        case = apply_service(form, lambda: hotline.open_case(
            actor, form.cleaned_data, child=child))
        if case is not None:
            messages.success(request, _("Case %(n)s registered.") % {"n": case.number})
            return redirect("children:case", pk=case.pk)
    return render(request, "children/form.html", {
        "form": form, "title": _("New minor's case from the 12345 hotline"),
        "child_pk": child.pk if child else ""})


CaseAction = Callable[[Actor, HotlineCase, dict[str, Any]], HotlineCase]
CASE_ACTIONS: dict[str, tuple[type[Form], CaseAction]] = {
    "refer": (ReferForm, lambda a, c, d: hotline.refer_case(
        a, c, d["department"], d.get("note", ""))),
    "hand_over": (HandOverForm, lambda a, c, d: hotline.hand_over(a, c, d)),
    "escalate": (EscalateForm, lambda a, c, d: hotline.escalate(a, c, d["note"])),
    "close": (CloseForm, lambda a, c, d: hotline.close_case(a, c, d["outcome"])),
}


@case_worker
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    audit.record("children.case.view", request=request, obj=case)
    forms = {name: form_class(prefix=name) for name, (form_class, _a) in CASE_ACTIONS.items()}
    return render(request, "children/case.html", {
        "case": case, "steps": case.steps.select_related("actor"), "forms": forms,
        "today": common.today(), "caller_phone": mask_phone(case.caller_phone),
        "can_act": case.is_open and access.may_handle_case(request.user, case.area_id)})


@case_worker
@require_POST
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    if action not in CASE_ACTIONS:
        raise Http404
    form_class, run = CASE_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        actor = actor_of(request)
        done = apply_service(form, lambda: run(actor, case, form.cleaned_data))
        if done is not None:
            messages.success(request, _("Case %(n)s: %(state)s.") % {
                "n": done.number, "state": done.get_state_display()})
            return redirect("children:case", pk=pk)
    forms = {name: fc(prefix=name) for name, (fc, _a) in CASE_ACTIONS.items()}
    forms[action] = form
    return render(request, "children/case.html", {
        "case": case, "steps": case.steps.select_related("actor"), "forms": forms,
        "today": common.today(), "caller_phone": mask_phone(case.caller_phone),
        "can_act": True, "failed": action}, status=400)
