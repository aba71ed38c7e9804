"""Chinese unless the user chose otherwise with the language switch."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class DefaultLanguageMiddleware:
    """Ignore the browser's Accept-Language: bureau PCs often run English systems.

    The language switch sets a cookie, which LocaleMiddleware still honours. API callers
    (other systems) still choose their language with Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
