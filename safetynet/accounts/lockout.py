"""One account, one lockout counter, however its username is typed (case, spaces)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest

from safetynet.accounts.models import User


def normalise_username(raw: Any) -> str:
    return str(raw or "").strip().casefold()


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the counter's key is the normalised username."""
    if credentials and credentials.get("username") is not None:
        return normalise_username(credentials.get("username"))
    return normalise_username(request.POST.get("username", "") if request else "")


class LoginForm(AuthenticationForm):
    """Login accepts the username in any case and with surrounding spaces."""

    def clean_username(self) -> str:
        typed = str(self.cleaned_data.get("username") or "").strip()
        matches = list(User.objects.filter(username__iexact=typed)
                       .values_list("username", flat=True)[:2])
        return matches[0] if len(matches) == 1 else typed
