"""The DCI operations a partner calls: search (sync and async), subscribe, unsubscribe and
transaction status (sync and async). Each request is one transaction: it is checked
against the spec, its envelope and the partner's scope, answered, audited (partner,
purpose, count of records) and, when asynchronous, its answer queued as a callback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from safetynet.core import audit
from safetynet.core.jurisdiction import scope
from safetynet.dci import delivery, envelope, queries, records, spec
from safetynet.dci.envelope import DciError
from safetynet.dci.messages import (
    REG_TYPE,
    ack,
    callback_header,
    new_id,
    now_iso,
    subscription_info,
)
from safetynet.dci.models import (
    EventKind,
    Partner,
    Subscription,
    Transaction,
    TxnStatus,
)
from safetynet.registry.models import Household, Person

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50
MAX_ITEMS = 20
EVENT_TYPE_NAMES = {"enrolment": EventKind.ENROLMENT, "enrollment": EventKind.ENROLMENT,
                    "exit": EventKind.EXIT, "death": EventKind.DEATH,
                    "move": EventKind.MOVE, "newhouseholdmember": EventKind.MOVE}
CALLBACK_ACTIONS = {"search": "on-search", "subscribe": "on-subscribe",
                    "unsubscribe": "on-unsubscribe", "txn-status": "txn-on-status"}


@dataclass(frozen=True)
class Operation:
    path: str
    action: str
    synchronous: bool


OPERATIONS = {
    "sync/search": Operation("/registry/sync/search", "search", True),
    "search": Operation("/registry/search", "search", False),
    "subscribe": Operation("/registry/subscribe", "subscribe", False),
    "unsubscribe": Operation("/registry/unsubscribe", "unsubscribe", False),
    "txn/status": Operation("/registry/txn/status", "txn-status", False),
    "sync/txn/status": Operation("/registry/sync/txn/status", "txn-status", True),
}


@dataclass
class Outcome:
    """What the view sends back, and what is to be queued once the transaction commits."""

    body: dict[str, Any]
    http_status: int = 200
    transaction: Transaction | None = None
    search_to_run: int | None = None
    partners_to_call: set[int] = field(default_factory=set)


# --- receiving a message ---------------------------------------------------------------------


def receive(operation: Operation, partner: Partner, body: dict[str, Any],
            ip: str = "") -> Outcome:
    """Check the message against the spec and the envelope rules, then answer it. The
    caller is a partner system, not a user: ``ip`` (its client address) goes to the audit."""
    problems = spec.request_errors(operation.path, body)
    if problems:
        raise DciError("err.request.bad", "; ".join(problems[:3]),
                       reason_code=_header_reason(problems[0]))
    header, message = body["header"], body["message"]
    envelope.check_header(partner, header)
    envelope.check_signature(partner, body)
    with transaction.atomic():
        txn = _open_transaction(partner, operation, header, message)
        handler = {"search": _search, "subscribe": _subscribe, "unsubscribe": _unsubscribe,
                   "txn-status": _txn_status}[operation.action]
        outcome: Outcome = handler(partner, operation, header, message, txn, ip)
    return outcome


def _header_reason(problem: str) -> str:
    return "rjct.action.invalid" if problem.startswith("header.action") else ""


def _open_transaction(partner: Partner, operation: Operation, header: dict[str, Any],
                      message: dict[str, Any]) -> Transaction:
    items = (message.get("search_request") or message.get("subscribe_request") or [])
    references = [str(i.get("reference_id")) for i in items if isinstance(i, dict)]
    if len(items) > MAX_ITEMS:
        raise DciError("err.request.bad", f"message: at most {MAX_ITEMS} requests in one "
                       "message", reason_code="rjct.total_count.limit_exceeded")
    try:
        with transaction.atomic():
            return Transaction.objects.create(
                partner=partner, action=operation.action,
                asynchronous=not operation.synchronous,
                message_id=str(header["message_id"])[:99],
                transaction_id=str(message.get("transaction_id", ""))[:99],
                correlation_id=new_id(), reference_ids=references,
                status=TxnStatus.RECEIVED, request=_request_summary(message))
    except IntegrityError as exc:
        raise DciError("err.request.bad",
                       f"header.message_id {header['message_id']!r} was sent before",
                       reason_code="rjct.message_id.duplicate") from exc


def _request_summary(message: dict[str, Any]) -> dict[str, Any]:
    """What the request asked, for its transaction record: never the values it searched by
    (an ID number may be one of them)."""
    summary: dict[str, Any] = {"transaction_id": message.get("transaction_id")}
    for key in ("search_request", "subscribe_request"):
        if key in message:
            summary[key] = [{"reference_id": i.get("reference_id"),
                             "criteria": _criteria_summary(i)} for i in message[key]]
    for key in ("txnstatus_request", "subscription_codes"):
        if key in message:
            summary[key] = message[key]
    return summary


def _criteria_summary(item: dict[str, Any]) -> dict[str, Any]:
    criteria = item.get("search_criteria") or item.get("subscribe_criteria") or {}
    kept = ("query_type", "filter_type", "reg_event_type", "response_entity",
            "notify_record_type", "pagination")
    return {k: criteria[k] for k in kept if k in criteria}


def _callback_url(partner: Partner, header: dict[str, Any], action: str) -> str:
    """sender_uri when it lies under the partner's registered callback address."""
    base = partner.callback_url.rstrip("/")
    if not base:
        raise DciError("err.sender_uri.invalid", "no callback address is registered for this "
                       "partner: use the sync endpoints")
    uri = str(header.get("sender_uri") or "")
    if not uri:
        return f"{base}/registry/{'txn/on-status' if action == 'txn-on-status' else action}"
    if uri != base and not uri.startswith(base + "/"):
        raise DciError("err.sender_uri.invalid",
                       f"header.sender_uri must lie under the registered {base}")
    return uri


def _purpose(partner: Partner, criteria: dict[str, Any], header: dict[str, Any]) -> str:
    for source in (criteria.get("consent"), criteria.get("authorize")):
        purpose = source.get("purpose") if isinstance(source, dict) else None
        if isinstance(purpose, dict) and (purpose.get("text") or purpose.get("code")):
            return str(purpose.get("text") or purpose.get("code"))[:200]
    meta = header.get("meta")
    if isinstance(meta, dict) and meta.get("purpose"):
        return str(meta["purpose"])[:200]
    return partner.purpose


# --- search ----------------------------------------------------------------------------------


def _search(partner: Partner, operation: Operation, header: dict[str, Any],
            message: dict[str, Any], txn: Transaction, ip: str) -> Outcome:
    _check_references(message["search_request"])
    if operation.synchronous:
        response = _run_search(txn, header, message, ip)
        body = {"header": callback_header("on-search", partner, "succ",
                                          len(response["search_response"]),
                                          len(response["search_response"])),
                "message": response}
        return Outcome(body=body, transaction=txn)
    url = _callback_url(partner, header, "on-search")
    txn.status = TxnStatus.PENDING
    # The worker runs the search; the message (its query values) is dropped once answered.
    txn.request |= {"callback_url": url, "header": _header_summary(header), "message": message}
    txn.save(update_fields=["status", "request"])
    return Outcome(body=ack(txn.correlation_id), http_status=202, transaction=txn,
                   search_to_run=txn.pk)


def _header_summary(header: dict[str, Any]) -> dict[str, Any]:
    return {k: header[k] for k in ("message_id", "meta") if k in header}


def _check_references(items: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for item in items:
        reference = str(item["reference_id"])
        if reference in seen:
            raise DciError("err.request.bad", f"reference_id {reference!r} appears twice",
                           reason_code="")
        seen.add(reference)


def _run_search(txn: Transaction, header: dict[str, Any], message: dict[str, Any],
                ip: str = "") -> dict[str, Any]:
    """Answer every search request of the message; each is audited with its count."""
    partner = txn.partner
    items = [_search_item(partner, txn, item, header, ip)
             for item in message["search_request"]]
    response = {"transaction_id": str(message["transaction_id"]),
                "correlation_id": txn.correlation_id, "search_response": items}
    txn.response, txn.status, txn.completed_at = response, TxnStatus.SUCCEEDED, timezone.now()
    txn.save(update_fields=["response", "status", "completed_at"])
    return response


def _search_item(partner: Partner, txn: Transaction, item: dict[str, Any],
                 header: dict[str, Any], ip: str) -> dict[str, Any]:
    criteria = item["search_criteria"]
    answer: dict[str, Any] = {"reference_id": str(item["reference_id"]),
                              "timestamp": now_iso()}
    if item.get("locale"):
        answer["locale"] = item["locale"]
    today = timezone.localdate()
    try:
        found = _matching(partner, criteria, today)
        page_size, page_number = _pagination(criteria.get("pagination"))
        ordered = found.order_by(*queries.order_by(criteria.get("sort")))
    except queries.QueryError as exc:
        _audit_search(partner, txn, item, criteria, header, ip, 0, "refused", str(exc))
        return answer | {"status": "rjct", "status_reason_code": exc.reason_code,
                         "status_reason_message": str(exc)[:999]}
    total = ordered.count()
    page = list(ordered[(page_number - 1) * page_size: page_number * page_size])
    reg_records, record_type = _records(partner, page, criteria, today)
    _audit_search(partner, txn, item, criteria, header, ip, len(reg_records), "ok", "",
                  total=total)
    return answer | {
        "status": "succ",
        "data": {"version": spec.VERSION, "reg_type": REG_TYPE,
                 "reg_record_type": record_type, "reg_records": reg_records},
        "pagination": {"page_size": page_size, "page_number": page_number,
                       "total_count": total}}


def _entity(criteria: dict[str, Any]) -> str:
    entity = criteria.get("response_entity") or criteria.get("reg_record_type") or "Member"
    return "Group" if str(entity).rsplit(":", 1)[-1] == "Group" else "Member"


def _matching(partner: Partner, criteria: dict[str, Any], today: date) -> QuerySet[Any]:
    condition = queries.build(criteria["query_type"], criteria["query"], partner, today)
    persons = queries.adults(scope(Person.objects.filter(condition), partner), today)
    if _entity(criteria) == "Member":
        return persons.select_related("household")
    return scope(Household.objects.filter(pk__in=persons.values("household_id")), partner)


def _pagination(pagination: Any) -> tuple[int, int]:
    if not pagination:
        return DEFAULT_PAGE_SIZE, 1
    size, number = pagination.get("page_size"), pagination.get("page_number", 1)
    if not (float(size).is_integer() and 1 <= size <= MAX_PAGE_SIZE):
        raise queries.QueryError(f"pagination.page_size {size}: 1 to {MAX_PAGE_SIZE}",
                                 "rjct.pagination.invalid")
    if not (float(number).is_integer() and number >= 1):
        raise queries.QueryError(f"pagination.page_number {number}: 1 or more",
                                 "rjct.pagination.invalid")
    return int(size), int(number)


def _records(partner: Partner, page: list[Any], criteria: dict[str, Any],
             today: date) -> tuple[list[dict[str, Any]], str]:
    if _entity(criteria) == "Member":
        programmes = records.programmes_of(page)
        return [records.member(p, partner, programmes) for p in page], "Member"
    households = (Household.objects.filter(pk__in=[h.pk for h in page])
                  .prefetch_related("members"))
    by_pk = {h.pk: h for h in households}
    members = [p for h in by_pk.values() for p in h.members.all()]
    programmes = records.programmes_of(members)
    return [records.group(by_pk[h.pk], partner, today, programmes) for h in page], "Group"


def _audit_search(partner: Partner, txn: Transaction, item: dict[str, Any],
                  criteria: dict[str, Any], header: dict[str, Any], ip: str, count: int,
                  result: str, problem: str, total: int = 0) -> None:
    audit.record("dci_search", ip=ip, object_type="dci.partner",
                 object_id=str(partner.pk), result=result, username=f"dci:{partner.code}",
                 partner=partner.code, purpose=_purpose(partner, criteria, header),
                 count=count, total=total, transaction_id=txn.transaction_id,
                 reference_id=str(item.get("reference_id")), query_type=criteria.get(
                     "query_type"), entity=_entity(criteria), problem=problem[:200])


# --- subscriptions ---------------------------------------------------------------------------


def _event_kind(reg_event_type: str) -> str | None:
    """"death", "sn:RegistryEventType:Death" ... → the registry's event kind."""
    return EVENT_TYPE_NAMES.get(str(reg_event_type).rsplit(":", 1)[-1].lower())


def _subscribe(partner: Partner, operation: Operation, header: dict[str, Any],
               message: dict[str, Any], txn: Transaction, ip: str) -> Outcome:
    url = _callback_url(partner, header, "on-subscribe")
    notify_url = _callback_url(partner, {}, "notify")
    answers = [_subscribe_item(partner, txn, item, notify_url, ip)
               for item in message["subscribe_request"]]
    response = {"transaction_id": str(message["transaction_id"]),
                "correlation_id": txn.correlation_id, "subscribe_response": answers}
    _finish(txn, response)
    _queue_answer(partner, txn, url, "on-subscribe", response, len(answers))
    return Outcome(body=ack(txn.correlation_id), http_status=202, transaction=txn,
                   partners_to_call={partner.pk})


def _subscribe_item(partner: Partner, txn: Transaction, item: dict[str, Any],
                    notify_url: str, ip: str) -> dict[str, Any]:
    criteria = item["subscribe_criteria"]
    answer: dict[str, Any] = {"reference_id": str(item["reference_id"]),
                              "timestamp": now_iso()}
    kind = _event_kind(criteria["reg_event_type"])
    if kind is None:
        return answer | {"status": "rjct", "status_reason_code": "rjct.notify_types.invalid",
                         "status_reason_message": f"reg_event_type "
                         f"{criteria['reg_event_type']!r}: expected one of "
                         f"{', '.join(EventKind.values)}"}
    filter_type = criteria.get("filter_type") or "expression"
    try:
        queries.build(filter_type, criteria["filter"], partner, timezone.localdate())
    except queries.QueryError as exc:
        return answer | {"status": "rjct", "status_reason_code": "rjct.notify_details.invalid",
                         "status_reason_message": str(exc)[:999]}
    if Subscription.objects.filter(partner=partner, event_kind=kind, active=True,
                                   filter_type=filter_type, filter=criteria["filter"]).exists():
        return answer | {"status": "rjct",
                         "status_reason_code": "rjct.event.already_subscribed",
                         "status_reason_message": "the same subscription is active"}
    subscription = Subscription.objects.create(
        partner=partner, code=new_id(), transaction=txn, reference_id=answer["reference_id"],
        event_kind=kind, reg_event_type=str(criteria["reg_event_type"])[:99],
        filter_type=filter_type, filter=criteria["filter"],
        notify_record_type=str(criteria["notify_record_type"])[:99],
        frequency=criteria.get("frequency") or {})
    audit.record("dci_subscribe", ip=ip, obj=subscription,
                 username=f"dci:{partner.code}", partner=partner.code, event=kind,
                 filter_type=filter_type, notify_url=notify_url)
    return answer | {"status": "succ", "subscriptions": [subscription_info(subscription)]}


def _unsubscribe(partner: Partner, operation: Operation, header: dict[str, Any],
                 message: dict[str, Any], txn: Transaction, ip: str) -> Outcome:
    url = _callback_url(partner, header, "on-unsubscribe")
    codes = [str(c) for c in message["subscription_codes"]]
    own = {s.code: s for s in Subscription.objects.filter(partner=partner, code__in=codes)}
    response: dict[str, Any] = {"transaction_id": str(message["transaction_id"]),
                                "correlation_id": txn.correlation_id, "timestamp": now_iso()}
    unknown = [c for c in codes if c not in own]
    ended = [c for c in codes if c in own and not own[c].active]
    if unknown or ended or not codes:
        reason = "rjct.subscription_code.invalid" if unknown or not codes \
            else "rjct.event.already_unsubscribed"
        response |= {"status": "rjct", "status_reason_code": reason,
                     "status_reason_message": "not subscriptions of this partner: "
                     f"{', '.join(unknown)}" if unknown or not codes
                     else f"already unsubscribed: {', '.join(ended)}"}
    else:
        Subscription.objects.filter(pk__in=[s.pk for s in own.values()]).update(
            active=False, ended_at=timezone.now())
        response |= {"status": "succ", "subscription_status": [
            {"code": code, "status": "unsubscribe"} for code in codes]}
        audit.record("dci_unsubscribe", ip=ip, object_type="dci.partner",
                     object_id=str(partner.pk), username=f"dci:{partner.code}",
                     partner=partner.code, codes=codes)
    _finish(txn, response)
    _queue_answer(partner, txn, url, "on-unsubscribe", response, len(codes))
    return Outcome(body=ack(txn.correlation_id), http_status=202, transaction=txn,
                   partners_to_call={partner.pk})


def _finish(txn: Transaction, response: dict[str, Any]) -> None:
    txn.response, txn.status, txn.completed_at = response, TxnStatus.SUCCEEDED, timezone.now()
    txn.save(update_fields=["response", "status", "completed_at"])


def _queue_answer(partner: Partner, txn: Transaction, url: str, action: str,
                  message: dict[str, Any], count: int) -> None:
    payload = {"header": callback_header(action, partner, "succ", count, count),
               "message": message}
    delivery.queue(partner, action, url, payload, order_key=f"txn:{txn.pk}")


def complete_search(transaction_pk: int) -> Transaction:
    """The worker's half of an asynchronous search: answer it and queue the on-search."""
    with transaction.atomic():
        txn = Transaction.objects.select_for_update().select_related("partner").get(
            pk=transaction_pk)
        if txn.status != TxnStatus.PENDING:
            return txn
        message = txn.request.pop("message")
        header = txn.request.get("header", {})
        response = _run_search(txn, header, message)
        _queue_answer(txn.partner, txn, txn.request["callback_url"], "on-search", response,
                      len(response["search_response"]))
        txn.save(update_fields=["request"])
    return txn


# --- transaction status ----------------------------------------------------------------------


def _txn_status(partner: Partner, operation: Operation, header: dict[str, Any],
                message: dict[str, Any], txn: Transaction, ip: str) -> Outcome:
    wanted = message["txnstatus_request"]
    found = _find_transaction(partner, wanted)
    status_message = {
        "transaction_id": str(message["transaction_id"]), "correlation_id": txn.correlation_id,
        "txnstatus_response": {"txn_type": wanted["txn_type"],
                               "txn_status": _status_of(found, wanted["txn_type"])}}
    count = _record_count(status_message)
    audit.record("dci_txn_status", ip=ip, object_type="dci.partner",
                 object_id=str(partner.pk), username=f"dci:{partner.code}",
                 partner=partner.code, purpose=partner.purpose, count=count,
                 found=found.correlation_id if found else "")
    _finish(txn, status_message)
    state = "succ" if found is not None else "rjct"
    note = "" if found is not None else "no transaction of this partner matches"
    if operation.synchronous:
        return Outcome(body={"header": callback_header("txn-on-status", partner, state, 1, 1,
                                                       message=note),
                             "message": status_message}, transaction=txn)
    url = _callback_url(partner, header, "txn-on-status")
    payload = {"header": callback_header("txn-on-status", partner, state, 1, 1, message=note),
               "message": status_message}
    delivery.queue(partner, "txn-on-status", url, payload, order_key=f"txn:{txn.pk}")
    return Outcome(body=ack(txn.correlation_id), http_status=202, transaction=txn,
                   partners_to_call={partner.pk})


def _find_transaction(partner: Partner, wanted: dict[str, Any]) -> Transaction | None:
    own = Transaction.objects.filter(partner=partner, action=wanted["txn_type"])
    value = wanted["attribute_value"]
    if wanted["attribute_type"] == "correlation_id":
        own = own.filter(correlation_id=str(value))
    elif wanted["attribute_type"] == "transaction_id":
        own = own.filter(transaction_id=str(value))
    else:
        references = {str(v) for v in value} if isinstance(value, list) else {str(value)}
        matching = [t.pk for t in own.order_by("-pk")[:200]
                    if references & set(t.reference_ids)]
        own = own.filter(pk__in=matching)
    return own.order_by("-pk").first()


def _status_of(found: Transaction | None, txn_type: str) -> dict[str, Any]:
    """The stored answer, in the search-response form the spec gives txn_status."""
    if found is None:
        return {"transaction_id": "", "correlation_id": "", "search_response": []}
    base = {"transaction_id": found.transaction_id, "correlation_id": found.correlation_id}
    if found.status == TxnStatus.SUCCEEDED and txn_type == "search":
        return base | {"search_response": found.response.get("search_response", [])}
    if found.status == TxnStatus.SUCCEEDED:
        items = found.response.get("subscribe_response") or [
            {"reference_id": found.transaction_id, "timestamp": found.response.get(
                "timestamp", now_iso()), "status": found.response.get("status", "succ")}]
        return base | {"search_response": [
            {k: v for k, v in i.items() if k in ("reference_id", "timestamp", "status")}
            for i in items]}
    at = found.created_at.isoformat(timespec="seconds")
    return base | {"search_response": [{"reference_id": r, "timestamp": at,
                                        "status": found.status} for r in found.reference_ids]}


def _record_count(status_message: dict[str, Any]) -> int:
    items = status_message["txnstatus_response"]["txn_status"].get("search_response", [])
    return sum(len(i.get("data", {}).get("reg_records", [])) for i in items)
