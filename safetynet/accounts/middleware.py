"""Session limits, forced password change and the second factor, checked on every request.

This is the one enforcement point of the second factor: every route of every interface
(pages, /api/v1/, exports, downloads, and any route added later) passes through it. Only
the pages needed to log in, pass the factor or change the password stay open. A session
whose role requires the factor and has not passed it gets a redirect to the code page on
the web UI and a JSON 403 in the API's error shape anywhere under /api/ or for a client
that asks for JSON.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safetynet.accounts.roles import ABSOLUTE_SESSION_HOURS
from safetynet.core import audit

OPEN_PREFIXES = ("/login/", "/logout/", "/static/", "/i18n/", "/account/otp/",
                 "/account/password/")
# Machine interfaces: refusals are JSON, never a redirect to an HTML page.
JSON_PREFIXES = ("/api/", "/dci/")
# last_seen is written back at most this often (seconds): rewriting it on every request
# would save the session (an UPDATE and a commit) on every page. The idle limit is then
# judged from a time up to this much older than the last request: a session may end up
# to a minute early, never late.
LAST_SEEN_RESOLUTION = 60
# Session limits and the password change concern the web UI's pages only.
PAGE_EXEMPT_PREFIXES = ("/api/",)


class SecurityMiddleware:
    """Ends idle and over-long sessions; sends users to change their password or pass TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        path = request.path
        if not path.startswith(PAGE_EXEMPT_PREFIXES):
            expired = self._expired(request, user)
            if expired:
                audit.record("session_expired", user=user, request=request, reason=expired)
                logout(request)
                messages.info(request, _("Your session ended after a period without activity. "
                                         "Please log in again."))
                return redirect("login")
        if path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        if wants_json(request):
            if not is_second_factor_passed(user):
                return second_factor_refusal()
        elif not path.startswith(PAGE_EXEMPT_PREFIXES):
            gate = self._gate(request, user)
            if gate is not None:
                return gate
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest, user: Any) -> str:
        now = time.time()
        session = request.session
        started = session.setdefault("started_at", now)  # sessions older than start_clock
        last = session.get("last_seen", now)
        if "last_seen" not in session or now - last >= LAST_SEEN_RESOLUTION:
            session["last_seen"] = now
        if now - last > user.idle_minutes * 60:
            return "idle"
        if now - started > ABSOLUTE_SESSION_HOURS * 3600:
            return "absolute"
        return ""

    @staticmethod
    def _gate(request: HttpRequest, user: Any) -> HttpResponse | None:
        if user.must_change_password:
            return redirect("accounts:password_change")
        if not is_second_factor_passed(user):
            return redirect("accounts:otp")
        return None


def start_clock(session: Any) -> None:
    """Stamp a new login's session, so its first page does not write the session again."""
    now = time.time()
    session["started_at"] = session["last_seen"] = now


def is_second_factor_passed(user: Any) -> bool:
    """False for a session whose role requires the second factor and has not passed it."""
    if not getattr(user, "otp_required", False):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith(JSON_PREFIXES):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def second_factor_refusal() -> JsonResponse:
    """The API's error shape (docs/api.md), in the caller's language."""
    message = _("This account must pass its second factor (one-time code) first: "
                "log in on the web page and enter the code.")
    return JsonResponse({"errors": [{"field": "__all__", "message": message}]}, status=403)
