"""Dashboards (placeholder: being built)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponseNotFound()


def dashboard(request: HttpRequest, name: str) -> HttpResponse:
    return HttpResponseNotFound()
