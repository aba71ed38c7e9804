"""Template context shared by every page: the navigation of modules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Modules in the order a bureau thinks of them; those without a URL yet are "coming".
MODULES = [
    ("home", _("Work list"), "home"),
    ("registry", _("Households"), "registry:search"),
    ("import", _("Import / export"), "registry:import"),
    ("policy", _("Rules"), None),
    ("intake", _("Single window"), None),
    ("benefits", _("Benefits"), None),
    ("payments", _("Payroll"), None),
    ("eldercare", _("Elderly care"), None),
    ("children", _("Children"), None),
    ("discovery", _("Active discovery"), None),
    ("reports", _("Statistics"), None),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    items = [{"key": key, "label": label, "url": reverse(name) if name else None}
             for key, label, name in MODULES]
    return {"nav_modules": items}
