"""Template context shared by every page: the navigation of modules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# Modules in the order a bureau thinks of them: (key, label, URL name or None while it is
# still to come, the user attribute that must be true to see it).
MODULES = [
    ("home", _("Work list"), "home", "is_authenticated"),
    ("registry", _("Households"), "registry:search", "can_read_registry"),
    ("import", _("Import / export"), "registry:import", "can_read_registry"),
    ("policy", _("Rules"), "rules:home", "is_authenticated"),
    ("intake", _("Single window"), "intake:home", "is_authenticated"),
    ("benefits", _("Benefits"), "benefits:home", "is_authenticated"),
    ("payments", _("Payroll"), "payments:home", "is_authenticated"),
    ("eldercare", _("Elderly care"), "eldercare:home", "is_authenticated"),
    ("children", _("Children"), "children:home", "is_authenticated"),
    ("discovery", _("Active discovery"), "discovery:home", "is_authenticated"),
    ("reports", _("Statistics"), "reports:home", "is_authenticated"),
    ("accounts", _("Accounts"), "accounts:users", "is_account_admin"),
    ("audit", _("Audit log"), "accounts:audit", "is_auditor"),
    ("pipl", _("Personal data records"), "accounts:pipl", "can_read_pipl"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [{"key": key, "label": label, "url": _url(name)}
             for key, label, name, needs in MODULES if getattr(user, needs, False)]
    return {"nav_modules": items}


def _url(name: str | None) -> str | None:
    try:
        return reverse(name) if name else None
    except NoReverseMatch:
        return None
