"""Template context shared by every page: the modules the user may open."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safetynet.core.navigation import modules_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    items = [{"key": m.key, "label": m.label, "url": m.url}
             for m in modules_for(getattr(request, "user", None))]
    return {"nav_modules": items} if items else {}
