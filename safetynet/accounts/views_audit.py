"""The audit administrator's screen: search the security audit log and export it."""

from __future__ import annotations

import csv
from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.capabilities import Capability, may
from safetynet.core import audit
from safetynet.core.models import AuditEvent

EXPORT_FIELDS = ["id", "at", "username", "ip", "action", "object_type", "object_id", "result",
                 "detail", "hash"]


class AuditFilter(forms.Form):
    username = forms.CharField(label=_("User"), required=False)
    action = forms.CharField(label=_("Action"), required=False)
    object_id = forms.CharField(label=_("Object"), required=False)
    result = forms.ChoiceField(label=_("Result"), required=False, choices=[
        ("", _("any")), ("ok", _("succeeded")), ("fail", _("failed")), ("denied", _("denied"))])
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))


def _require_auditor(request: HttpRequest) -> None:
    if not may(request.user, Capability.READ_AUDIT):
        raise PermissionDenied


def _filtered(form: AuditFilter) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.order_by("-id")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    for field in ("username", "action", "object_id", "result"):
        if data[field]:
            events = events.filter(**{field: data[field].strip()})
    zone = timezone.get_current_timezone()
    if data["since"]:
        events = events.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data["until"]:
        events = events.filter(at__lte=datetime.combine(data["until"], time.max, zone))
    return events


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_auditor(request)
    form = AuditFilter(request.GET)
    page = Paginator(_filtered(form), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "accounts/audit.html",
                  {"form": form, "page": page, "query": query.urlencode()})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    _require_auditor(request)
    form = AuditFilter(request.GET)
    events = _filtered(form)
    audit.record("export", request=request, object_type="core.auditevent",
                 filters={k: str(v) for k, v in (form.cleaned_data or {}).items() if v})
    writer = csv.writer(_Echo())

    def rows() -> Any:
        yield "\ufeff" + writer.writerow(EXPORT_FIELDS)
        for event in events.iterator(chunk_size=2000):
            yield writer.writerow([getattr(event, f) for f in EXPORT_FIELDS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    return response
