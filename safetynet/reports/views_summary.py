"""Summary report, drill-down lists, exports, monthly reports (placeholder: being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def summary(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponseNotFound()


def records(request: HttpRequest, figure: str) -> HttpResponse:
    return HttpResponseNotFound()


def monthly_list(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


def monthly_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    return HttpResponseNotFound()
