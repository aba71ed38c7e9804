"""Printable PDFs of the single window: thin views that find the application through the
jurisdiction filter, render one document and audit the printing.

The PDF is built in memory and sent with ``Cache-Control: no-store`` so that no copy of
the personal data in it is kept by the browser's or a proxy's cache.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safetynet.core import audit
from safetynet.core.access import requires
from safetynet.core.jurisdiction import covers
from safetynet.core.models import Area
from safetynet.intake import documents, selectors
from safetynet.intake.documents import NOTICE_STATES
from safetynet.intake.models import Application, State
from safetynet.intake.services.common import today
from safetynet.registry import access

View = Callable[..., HttpResponseBase]
Document = Callable[[Application, Collection[int]], bytes]


def printer(view: View) -> View:
    """Logged in, with a role that may read the registry (GET only)."""
    return require_GET(requires(lambda user: getattr(user, "can_read_registry", False))(view))


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def ascii_name(*parts: str) -> str:
    """A file name that is safe in any header: letters, digits, dash and dot only."""
    cleaned = "-".join("".join(ch for ch in part if ch.isascii() and (ch.isalnum() or ch == "-"))
                       for part in parts if part)
    return f"{cleaned or 'document'}.pdf"


def closed_to(user: Any, app: Application) -> set[int]:
    """Members whose records the user may not open (children under 14)."""
    return access.closed_ids(user, app.household, today())


def print_application(request: HttpRequest, pk: int, name: str,
                      build: Document) -> HttpResponse:
    app = selectors.application_for(request.user, pk)
    pdf = build(app, closed_to(request.user, app))
    audit.record("intake.print", user=request.user, request=request, obj=app, document=name)
    return pdf_response(pdf, ascii_name(name, app.number))


@printer
def application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return print_application(request, pk, "application", documents.application_form)


@printer
def visit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return print_application(request, pk, "visit", documents.visit_record)


@printer
def approval_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return print_application(request, pk, "approval", documents.approval_form)


@printer
def decision_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return print_application(request, pk, "decision", documents.decision_letter)
    except documents.NotDecided as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")


@printer
def blank_pdf(request: HttpRequest) -> HttpResponse:
    """The application form without data, to fill in by hand."""
    pdf = documents.application_form(None)
    audit.record("intake.print", user=request.user, request=request, document="blank")
    return pdf_response(pdf, "application-form.pdf")


@printer
def notice_pdf(request: HttpRequest, area_code: str) -> HttpResponse:
    """The notice sheet of a township or village: its applications on notice now, or the
    ones named in ``?ids=1,2,3`` (reviewed or on notice)."""
    area = area_in_scope(request.user, area_code)
    apps = notice_applications(request.user, area, request.GET.get("ids", ""))
    starts = [app.notice_start for app in apps if app.notice_start]
    ends = [app.notice_end for app in apps if app.notice_end]
    pdf = documents.notice_sheet(apps, area, min(starts) if starts else None,
                                 max(ends) if ends else None)
    audit.record("intake.print", user=request.user, request=request, obj=area,
                 document="notice", applications=[app.pk for app in apps])
    return pdf_response(pdf, ascii_name("notice", area.code))


def area_in_scope(user: Any, code: str) -> Area:
    area = Area.objects.select_related("parent__parent").filter(code=code).first()
    if area is None or not covers(user, code):
        raise Http404
    return area


def notice_applications(user: Any, area: Area, ids: str) -> list[Application]:
    found = (selectors.applications_for(user).select_related("beneficiary")
             .filter(area__code__startswith=area.code))
    if ids.strip():
        try:
            wanted = {int(part) for part in ids.split(",") if part.strip()}
        except ValueError:
            raise Http404(_("ids must be application numbers separated by commas")) from None
        found = found.filter(pk__in=wanted, state__in=NOTICE_STATES)
    else:
        found = found.filter(state=State.NOTICE)
    return list(found.order_by("area__code", "pk"))
