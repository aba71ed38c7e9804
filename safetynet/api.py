"""The versioned REST API (/api/v1/): one NinjaAPI, routers contributed by the apps.

Two ways in: ``Authorization: Bearer TOKEN`` for other systems, the web UI's session
for the browser (CSRF-checked for unsafe methods). Every error is JSON of one shape,
``{"errors": [{"field": ..., "message": ...}]}``, with ID numbers in messages masked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import APIKeyCookie, HttpBearer

from safetynet.accounts.models import ApiToken
from safetynet.benefits.api import router as benefits_router
from safetynet.children.api import router as children_router
from safetynet.core.errors import field_errors
from safetynet.core.masking import mask_id_numbers
from safetynet.core.schemas import ALL, ErrorsOut, document_errors
from safetynet.discovery.api import router as discovery_router
from safetynet.eldercare.api import router as eldercare_router
from safetynet.intake.api import router as intake_router
from safetynet.payments.api import router as payments_router
from safetynet.registry.api import router as registry_router
from safetynet.reports.api import router as reports_router
from safetynet.rules.api import router as rules_router

# Where ninja says a request value came from; not part of the field name.
REQUEST_PARTS = {"body", "query", "path", "header", "cookie", "form", "file"}


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The web UI's logged-in session (CSRF-checked for unsafe methods)."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing to protect: answer 401, not a
        # CSRF 403. With one, ninja's check (Django's CsrfViewMiddleware) runs.
        if not _session_user(request):
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _session_user(request) if key else None


def _session_user(request: HttpRequest) -> Any:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class SafetyNetAPI(NinjaAPI):
    """The published document declares, for every operation, each error status it can
    answer with the one error shape (core.schemas.document_errors)."""

    def get_openapi_schema(self, *, path_prefix: str | None = None,
                           path_params: dict[str, Any] | None = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        shape = ErrorsOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(shape.pop("$defs", {}))
        components.setdefault("ErrorsOut", shape)
        return document_errors(schema, "#/components/schemas/ErrorsOut")


api = SafetyNetAPI(title="SafetyNet API", version="1", urls_namespace="api",
                   auth=[BearerToken(), SessionAuth()])


def errors_response(request: HttpRequest, errors: Iterable[dict[str, str]],
                    status: int) -> HttpResponse:
    masked = [{"field": e["field"], "message": mask_id_numbers(e["message"])} for e in errors]
    return api.create_response(request, {"errors": masked}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return errors_response(request, field_errors(exc), 422)


@api.exception_handler(RequestValidationError)
def on_request_invalid(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    """Pydantic/ninja validation of the request, in the same shape as service errors."""
    return errors_response(request, [request_error(error) for error in exc.errors], 422)


def request_error(error: dict[str, Any]) -> dict[str, str]:
    """("body", "payload", "head", "name") → "head.name"; ("query", "page") → "page"."""
    loc = [str(part) for part in error.get("loc", ())]
    if loc and loc[0] in REQUEST_PARTS:
        loc = loc[2:] if loc[0] == "body" else loc[1:]
    return {"field": ".".join(loc) or ALL, "message": request_message(error)}


def request_message(error: dict[str, Any]) -> str:
    """pydantic's English text of the input limits (core.schemas), in the caller's
    language; the limits' own errors (dates out of range) are translated already."""
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind in ("literal_error", "enum"):
        return _("Not an allowed value; use one of: %(values)s.") % {
            "values": ctx.get("expected", "")}
    if kind == "string_too_long":
        return _("At most %(n)s characters.") % {"n": ctx.get("max_length", "")}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field (Extra inputs are not permitted).")
    return str(error.get("msg", "invalid"))


def status_message(status: int, text: str) -> str:
    """ninja's and Django's stock English texts, in the caller's language."""
    stock = {
        "Unauthorized": _("Authentication required: send a valid API token or log in."),
        "Forbidden": _("You may not do this."),
        "forbidden": _("You may not do this."),
        "Not Found": _("Not found in your areas."),
        "not found": _("Not found in your areas."),
        "Cannot parse request body": _("The request body is not valid JSON."),
    }
    if text in stock:
        return stock[text]
    if text.startswith("CSRF check Failed"):
        return _("CSRF check failed: send the csrftoken cookie's value in X-CSRFToken.")
    return text or {401: stock["Unauthorized"], 403: stock["Forbidden"],
                    404: stock["Not Found"]}.get(status, text)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = status_message(exc.status_code, str(exc))
    response = errors_response(request, [{"field": ALL, "message": message}], exc.status_code)
    if exc.status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = status_message(403, str(exc) or "forbidden")
    return errors_response(request, [{"field": ALL, "message": message}], 403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return errors_response(request, [{"field": ALL, "message": status_message(404, "")}], 404)


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    """A lookup a handler did not guard (``.get()``): 404, never a server error."""
    return errors_response(request, [{"field": ALL, "message": status_message(404, "")}], 404)


@api.exception_handler(IntegrityError)
def on_conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    """A uniqueness or reference the database refused: 409, and the transaction rolled back."""
    message = _("This conflicts with an existing record; nothing was changed.")
    return errors_response(request, [{"field": ALL, "message": message}], 409)


@api.exception_handler(DataError)
def on_unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (a NUL byte in a text, a number out of range):
    422, and the transaction rolled back."""
    message = _("A value of the request cannot be stored (a NUL character or a number "
                "out of range); nothing was changed.")
    return errors_response(request, [{"field": ALL, "message": message}], 422)


@api.exception_handler(OverflowError)
def on_too_big(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """A number too big for the database driver (SQLite: beyond 64 bits): 422, like a
    value PostgreSQL refuses (on_unstorable)."""
    message = _("A value of the request cannot be stored (a NUL character or a number "
                "out of range); nothing was changed.")
    return errors_response(request, [{"field": ALL, "message": message}], 422)


@api.exception_handler(ValueError)
def on_bad_value(request: HttpRequest, exc: ValueError) -> HttpResponse:
    """A value the code could not use (a date out of range, a number too big): 422."""
    message = _("A value of the request cannot be used: %(reason)s") % {"reason": exc}
    return errors_response(request, [{"field": ALL, "message": message}], 422)


def _register_routers() -> None:
    api.add_router("/registry/", registry_router)
    api.add_router("/rules/", rules_router)
    api.add_router("/intake/", intake_router)
    api.add_router("/benefits/", benefits_router)
    api.add_router("/payments/", payments_router)
    api.add_router("/eldercare/", eldercare_router)
    api.add_router("/children/", children_router)
    api.add_router("/discovery/", discovery_router)
    api.add_router("/reports/", reports_router)


_register_routers()
