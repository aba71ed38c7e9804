"""The versioned REST API (/api/v1/): one NinjaAPI, routers contributed by the apps."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import APIKeyCookie, HttpBearer

from safetynet.accounts.models import ApiToken
from safetynet.core.errors import field_errors


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The web UI's logged-in session (CSRF-checked for unsafe methods)."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(title="SafetyNet API", version="1", urls_namespace="api",
               auth=[BearerToken(), SessionAuth()])


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"errors": field_errors(exc)}, status=422)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"errors": [{"field": "__all__", "message": str(exc) or "forbidden"}]},
        status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"errors": [{"field": "__all__", "message": "not found"}]}, status=404)


def _register_routers() -> None:
    from safetynet.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)


_register_routers()
