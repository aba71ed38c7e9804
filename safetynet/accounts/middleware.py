"""Session limits, forced password change and the second factor, checked on every request."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safetynet.accounts.roles import ABSOLUTE_SESSION_HOURS
from safetynet.core import audit

OPEN_PREFIXES = ("/login/", "/logout/", "/static/", "/i18n/", "/api/", "/account/otp/",
                 "/account/password/")


class SecurityMiddleware:
    """Ends idle and over-long sessions; sends users to change their password or pass TOTP."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        if user.is_authenticated and not request.path.startswith("/api/"):
            expired = self._expired(request, user)
            if expired:
                audit.record("session_expired", user=user, request=request, reason=expired)
                logout(request)
                messages.info(request, _("Your session ended after a period without activity. "
                                         "Please log in again."))
                return redirect("login")
            if not request.path.startswith(OPEN_PREFIXES):
                gate = self._gate(request, user)
                if gate is not None:
                    return gate
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest, user: Any) -> str:
        now = time.time()
        session = request.session
        started = session.setdefault("started_at", now)
        last = session.get("last_seen", now)
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
        if user.otp_required and not user.is_verified():
            return redirect("accounts:otp")
        return None
