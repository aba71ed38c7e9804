"""The DCI endpoints under /dci/: thin views that authenticate the partner, hand the
message to ``jobs.receive`` and answer in the spec's shapes.

* 401/403 (token, signature, sender): ``{"errors": [{"code", "message"}]}`` (HttpErrorResponse);
* a message the registry will not take: 400 with, on the async endpoints, the spec's
  acknowledgement ``{"message": {"ack_status": "ERR", "error": {...}}}``, and on the sync
  endpoints a callback header with ``status: rjct`` and the reason;
* accepted: 202 ``ACK`` (async) or 200 with header and message (sync).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from safetynet.core import audit
from safetynet.dci import envelope, jobs, spec
from safetynet.dci.envelope import DciError
from safetynet.dci.messages import ack, callback_header, new_id
from safetynet.dci.models import Partner
from safetynet.dci.services_exchange import OPERATIONS, Operation


@csrf_exempt
@require_POST
def operation(request: HttpRequest, name: str) -> HttpResponse:
    op = OPERATIONS[name]
    partner: Partner | None = None
    try:
        partner = envelope.authenticate(envelope.bearer(request.headers.get("Authorization",
                                                                            "")))
        body = envelope.parse_body(request.body)
        outcome = jobs.receive(op, partner, body, audit.client_ip(request))
    except DciError as exc:
        _audit_refusal(request, partner, op, exc)
        return refusal(op, partner, exc)
    return JsonResponse(outcome.body, status=outcome.http_status,
                        json_dumps_params={"ensure_ascii": False})


def refusal(op: Operation, partner: Partner | None, error: DciError) -> JsonResponse:
    if error.http_status in (401, 403) or partner is None:
        body: dict[str, Any] = {"errors": [{"code": error.code, "message": error.message}]}
        response = JsonResponse(body, status=error.http_status)
        if error.http_status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response
    if op.synchronous:
        callback = {"search": "on-search", "txn-status": "txn-on-status"}[op.action]
        header = callback_header(callback, partner, "rjct", 0, 0, error.reason_code,
                                 str(error))
        return JsonResponse({"header": header}, status=error.http_status)
    return JsonResponse(ack(new_id(), error), status=error.http_status)


def _audit_refusal(request: HttpRequest, partner: Partner | None, op: Operation,
                   error: DciError) -> None:
    audit.record("dci_refused", request=request, object_type="dci.partner",
                 object_id=str(partner.pk) if partner else "", result="refused",
                 username=f"dci:{partner.code}" if partner else "", operation=op.path,
                 code=error.code, problem=error.message[:200])


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return HttpResponse(spec.served_text(), content_type="application/yaml; charset=utf-8")


@require_GET
def licence(request: HttpRequest) -> HttpResponse:
    return HttpResponse(spec.LICENCE_FILE.read_text(encoding="utf-8"),
                        content_type="text/plain; charset=utf-8")
