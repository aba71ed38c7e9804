"""The one view decorator for "logged in, and allowed": each app passes its own predicate
(a function of the user, kept in its permissions or services) and the message a refused
user reads."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase

View = Callable[..., HttpResponseBase]


def requires(allowed: Callable[[Any], bool], message: Any = "") -> Callable[[View], View]:
    """Log in, then pass ``allowed(user)``; otherwise 403 with ``message``."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not allowed(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
