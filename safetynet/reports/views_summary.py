"""Summary report page, drill-down lists, exports and monthly reports: thin views over
``summary``, ``exports`` and ``monthly``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from safetynet.core import audit
from safetynet.core.access import requires
from safetynet.reports import exports, ledger, monthly
from safetynet.reports import summary as figures
from safetynet.reports.permissions import can_read
from safetynet.reports.query import ReportQuery, from_params

REFUSED = _("Your role may not see statistics.")


class MonthInput(forms.TextInput):
    input_type = "month"


class SummaryForm(forms.Form):
    """Only for showing the choices and the errors: ``from_params`` validates."""

    def __init__(self, data: dict[str, Any], choices: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["from"] = forms.CharField(label=_("From month"), required=False,
                                              widget=MonthInput(attrs={"placeholder": "2022-01"}))
        self.fields["to"] = forms.CharField(label=_("To month"), required=False,
                                            widget=MonthInput(attrs={"placeholder": "2022-09"}))
        self.fields["area"] = forms.ChoiceField(label=_("Area"), required=False,
                                                choices=choices)


def _form(request: HttpRequest, query: ReportQuery | None,
          error: ValidationError | None = None) -> SummaryForm:
    params = query.as_params() if query else request.GET
    form = SummaryForm({name: params.get(name, "") for name in ("from", "to", "area")},
                       figures.area_choices(request.user))
    form.is_valid()
    form.errors.pop("area", None)  # from_params checks the area, against the user
    for name, messages in (error.message_dict.items() if error else ()):
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
    return form


def _query(request: HttpRequest) -> ReportQuery:
    return from_params(request.GET, request.user, timezone.localdate(),
                       ledger.latest_month(request.user))


@requires(can_read, REFUSED)
def summary(request: HttpRequest) -> HttpResponse:
    try:
        query = _query(request)
    except ValidationError as exc:
        return render(request, "reports/summary.html", {"form": _form(request, None, exc)},
                      status=400)
    report = figures.summary(query, request.user)
    return render(request, "reports/summary.html", {
        "form": _form(request, query), "report": report,
        "params": urlencode(query.as_params()), "formats": exports.FORMATS})


@requires(can_read, REFUSED)
def records(request: HttpRequest, figure: str) -> HttpResponse:
    if figure not in figures.FIGURES:
        raise Http404
    try:
        query = _query(request)
    except ValidationError as exc:
        if "area" in exc.message_dict:
            raise Http404 from exc
        return render(request, "reports/records.html", {"errors": exc.messages}, status=400)
    found = figures.drill_down(figure, query, request.user, request.GET.get("page"),
                               timezone.localdate())
    return render(request, "reports/records.html", {
        "query": query, "drill": found, "params": urlencode(query.as_params()),
        "area_name": figures.area_name(query.area)})


@requires(can_read, REFUSED)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    try:
        query = _query(request)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400,
                            content_type="text/plain; charset=utf-8")
    report = figures.summary(query, request.user)
    content = exports.render(report, fmt)
    audit.record("report_export", request=request, format=fmt, **query.as_params())
    return _download(content, fmt, exports.filename(report, fmt))


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = exports.content_disposition(name)
    return response


@requires(can_read, REFUSED)
def monthly_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(monthly.reports_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "reports/monthly.html", {"page": page, "formats": exports.FORMATS})


@requires(can_read, REFUSED)
def monthly_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    report = get_object_or_404(monthly.reports_for(request.user), pk=pk)
    audit.record("report_export", request=request, obj=report, format=fmt, monthly=True)
    return _download(bytes(getattr(report, fmt)), fmt, monthly.file_name(report, fmt))
