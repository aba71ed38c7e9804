"""Partner-registration pages: register a department's system, set its fields and areas,
issue a token (shown once) or revoke one, and read its query audit and dead letters."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safetynet.accounts.actor import actor_of
from safetynet.core.access import requires
from safetynet.core.actor import Actor
from safetynet.core.forms import apply_service
from safetynet.core.models import AuditEvent
from safetynet.dci import permissions, services
from safetynet.dci.forms import PartnerForm
from safetynet.dci.models import Delivery, DeliveryStatus, Partner, PartnerToken

AUDIT_ROWS = 100


def _manager(request: HttpRequest) -> Actor:
    if not permissions.can_manage(request.user):
        raise PermissionDenied
    return actor_of(request)


@requires(permissions.can_view)
def partners(request: HttpRequest) -> HttpResponse:
    listing = Partner.objects.prefetch_related("areas").order_by("code")
    return render(request, "dci/partners.html", {
        "partners": listing, "can_manage": permissions.can_manage(request.user)})


@requires(permissions.can_view)
def partner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner.objects.prefetch_related("areas"), pk=pk)
    audit_rows = (AuditEvent.objects.filter(object_type="dci.partner", object_id=str(pk))
                  .order_by("-id")[:AUDIT_ROWS])
    dead = Delivery.objects.filter(partner=partner, status=DeliveryStatus.DEAD).order_by("-pk")
    return render(request, "dci/partner.html", {
        "partner": partner, "tokens": partner.tokens.order_by("-created_at"),
        "audit": audit_rows, "dead": dead[:AUDIT_ROWS],
        "pending": Delivery.objects.filter(partner=partner,
                                           status=DeliveryStatus.PENDING).count(),
        "can_manage": permissions.can_manage(request.user),
        "raw_token": request.session.pop("dci_new_token", "")})


def _initial(partner: Partner) -> dict[str, Any]:
    return {"code": partner.code, "name": partner.name, "department": partner.department,
            "purpose": partner.purpose, "field_groups": partner.field_groups,
            "areas": list(partner.areas.all()), "callback_url": partner.callback_url,
            "public_key": partner.public_key, "require_signature": partner.require_signature}


@login_required
def partner_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = apply_service(form, lambda: services.register_partner(
            actor, data["code"], data, data["field_groups"], [a.code for a in data["areas"]]))
        if created is not None:
            messages.success(request, _("Partner %(c)s registered: issue its token.")
                             % {"c": created.code})
            return redirect("interop:partner", created.pk)
    return render(request, "dci/partner_form.html",
                  {"form": form, "title": _("Register a partner system")})


@login_required
def partner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    partner = get_object_or_404(Partner, pk=pk)
    form = PartnerForm(request.POST or None, initial=_initial(partner))
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(form, lambda: services.update_partner(
                actor, partner, data, data["field_groups"],
                [a.code for a in data["areas"]])) is not None:
            return redirect("interop:partner", partner.pk)
    return render(request, "dci/partner_form.html", {
        "form": form, "title": _("Scope of %(c)s") % {"c": partner.code}, "partner": partner})


@login_required
@require_POST
def token_issue(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    partner = get_object_or_404(Partner, pk=pk)
    _token, raw = services.issue_token(actor, partner)
    request.session["dci_new_token"] = raw  # shown once, on the next page
    return redirect("interop:partner", partner.pk)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    actor = _manager(request)
    token = get_object_or_404(PartnerToken, pk=token_pk, partner_id=pk)
    services.revoke_token(actor, token)
    messages.success(request, _("Token %(p)s… revoked.") % {"p": token.prefix})
    return redirect("interop:partner", pk)


@login_required
@require_POST
def partner_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    partner = get_object_or_404(Partner, pk=pk)
    services.set_partner_active(actor, partner, not partner.active)
    return redirect("interop:partner", pk)


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _manager(request)
    delivery = get_object_or_404(Delivery, pk=pk)
    services.retry_dead_letter(actor, delivery)
    return redirect("interop:partner", delivery.partner_id)
