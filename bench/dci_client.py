"""A DCI Social Registry client that knows nothing of SafetyNet but the spec and a token.

    SAFETYNET_ENV=demo safetynet dci demo-partner          # prints the demo partner's token
    python bench/dci_client.py --base http://127.0.0.1:8000/dci --token dci_...

It fetches the OpenAPI document the server publishes, listens for callbacks on
``--callback-port`` (the demo partner's callback address is http://127.0.0.1:8765/dci),
runs sync and async searches (expression, predicate, idtype-value), subscribe and
unsubscribe, sync and async transaction status and one refusal, and validates every
answer and every callback against the spec with jsonschema. Exit status 1 when any check
fails. Needs only PyYAML and jsonschema.
"""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

URI = "urn:dci-client-spec"
CALLBACK_WAIT_SECONDS = 30


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


class Spec:
    def __init__(self, text: str) -> None:
        self.document = yaml.safe_load(text)
        self.registry = Registry().with_resource(URI, Resource.from_contents(self.document,
                                                                             DRAFT7))

    def _problems(self, pointer: list[str], body: Any) -> list[str]:
        path = "/".join(p.replace("~", "~0").replace("/", "~1") for p in pointer)
        validator = Draft7Validator({"$ref": f"{URI}#/{path}"}, registry=self.registry)
        return [f"{list(e.absolute_path)}: {e.message[:160]}"
                for e in validator.iter_errors(body)]

    def request(self, path: str, body: Any) -> list[str]:
        return self._problems(["paths", path, "post", "requestBody", "content",
                               "application/json", "schema"], body)

    def response(self, path: str, status: int, body: Any) -> list[str]:
        responses = self.document["paths"][path]["post"]["responses"]
        key = str(status) if str(status) in responses else "default"
        if "$ref" in responses[key]:
            name = responses[key]["$ref"].rsplit("/", 1)[-1]
            pointer = ["components", "responses", name]
        else:
            pointer = ["paths", path, "post", "responses", key]
        return self._problems([*pointer, "content", "application/json", "schema"], body)


class Callbacks:
    """A tiny HTTP server that takes the registry's callbacks (answers 200)."""

    def __init__(self, port: int) -> None:
        self.received: queue.Queue[tuple[str, Any]] = queue.Queue()
        inbox = self.received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", "0"))
                inbox.put((self.path, json.loads(self.rfile.read(length) or b"{}")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, suffix: str, correlation: str = "") -> tuple[str, Any]:
        """The next callback whose path ends with ``suffix`` (others are kept)."""
        kept = []
        try:
            while True:
                path, body = self.received.get(timeout=CALLBACK_WAIT_SECONDS)
                message = body.get("message", {}) if isinstance(body, dict) else {}
                if path.endswith(suffix) and (not correlation or correlation in (
                        message.get("correlation_id"), message.get("transaction_id"))):
                    return path, body
                kept.append((path, body))
        finally:
            for item in kept:
                self.received.put(item)

    def close(self) -> None:
        self.server.shutdown()


class Client:
    def __init__(self, base: str, token: str, sender_id: str, spec: Spec) -> None:
        self.base, self.token, self.sender_id, self.spec = base.rstrip("/"), token, sender_id, spec
        self.checks: list[Check] = []

    def header(self, action: str) -> dict[str, Any]:
        return {"version": "1.0.0", "message_id": uuid.uuid4().hex,
                "message_ts": datetime.now(UTC).isoformat(), "action": action,
                "sender_id": self.sender_id, "total_count": 1}

    def post(self, path: str, body: Any, token: str | None = "") -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token or self.token}"
        request = urllib.request.Request(self.base + path, json.dumps(body).encode(),
                                         headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def check(self, name: str, problems: list[str], detail: str = "") -> bool:
        self.checks.append(Check(name, not problems, "; ".join(problems[:3]) or detail))
        return not problems

    def call(self, name: str, path: str, action: str, message: Any,
             expect: int) -> Any:
        body = {"header": self.header(action), "message": message}
        self.check(f"{name}: request valid", self.spec.request(path, body))
        status, answer = self.post(path, body)
        problems = self.spec.response(path, status, answer)
        if status != expect:
            problems.append(f"HTTP {status}, expected {expect}: {str(answer)[:200]}")
        self.check(f"{name}: answer valid", problems, f"HTTP {status}")
        return answer


def _now() -> str:
    return datetime.now(UTC).isoformat()


def search(query_type: str, query: Any, **criteria: Any) -> dict[str, Any]:
    return {"transaction_id": uuid.uuid4().hex, "search_request": [{
        "reference_id": uuid.uuid4().hex, "timestamp": _now(),
        "search_criteria": {"query_type": query_type, "query": query, **criteria}}]}


def run(base: str, token: str, callback_port: int, sender_id: str = "demo.partner",
        area: str = "320722") -> list[Check]:
    with urllib.request.urlopen(base.rstrip("/") + "/openapi.yaml", timeout=30) as answer:
        spec = Spec(answer.read().decode("utf-8"))
    client = Client(base, token, sender_id, spec)
    inbox = Callbacks(callback_port)
    try:
        _searches(client, inbox, area)
        _subscriptions(client, inbox, area)
        status, answer = client.post("/registry/sync/search", {
            "header": client.header("search"), "message": search("expression", {})}, None)
        client.check("refusal without token: 401 in spec shape",
                     spec.response("/registry/sync/search", status, answer) +
                     ([] if status == 401 else [f"HTTP {status}"]))
    finally:
        inbox.close()
    return client.checks


def _searches(client: Client, inbox: Callbacks, area: str) -> None:
    expression = {"type": "expression", "value": {"expression": {
        "collection": "Group", "query": {"$and": [{"area_code": {"$eq": area}}]}}}}
    message = search("expression", expression, response_entity="Group",
                     pagination={"page_size": 3, "page_number": 1})
    answer = client.call("sync search (expression, Group)", "/registry/sync/search", "search",
                         message, 200)
    groups = _records(answer)
    numbers = [g["group_identifier"][0]["identifier_value"] for g in groups
               if g.get("group_identifier")]
    if numbers:
        client.call("sync search (idtype-value)", "/registry/sync/search", "search",
                    search("idtype-value", {"type": "household_number", "value": numbers[0]}),
                    200)
    predicate = [{"seq_num": 1, "expression1": {"attribute_name": "YOB", "operator": "le",
                                                "attribute_value": "1950"},
                  "condition": "and",
                  "expression2": {"attribute_name": "sex", "operator": "eq",
                                  "attribute_value": "female"}}]
    client.call("sync search (predicate)", "/registry/sync/search", "search",
                search("predicate", predicate, pagination={"page_size": 5}), 200)
    ack = client.call("async search", "/registry/search", "search",
                      search("predicate", predicate, pagination={"page_size": 2}), 202)
    _callback(client, inbox, "/registry/on-search", "on-search callback",
              ack.get("message", {}).get("correlation_id", ""))
    status = {"transaction_id": uuid.uuid4().hex, "txnstatus_request": {
        "reference_id": uuid.uuid4().hex, "txn_type": "search",
        "attribute_type": "transaction_id", "attribute_value": message["transaction_id"]}}
    answer = client.call("sync txn status", "/registry/sync/txn/status", "txn-status",
                         status, 200)
    found = answer.get("message", {}).get("txnstatus_response", {}).get("txn_status", {})
    client.check("txn status finds the search",
                 [] if found.get("transaction_id") == message["transaction_id"] else
                 ["the status names another transaction"])
    ack = client.call("async txn status", "/registry/txn/status", "txn-status", status, 202)
    _callback(client, inbox, "/registry/txn/on-status", "txn on-status callback",
              ack.get("message", {}).get("correlation_id", ""))


def _subscriptions(client: Client, inbox: Callbacks, area: str) -> None:
    message = {"transaction_id": uuid.uuid4().hex, "subscribe_request": [{
        "reference_id": uuid.uuid4().hex, "timestamp": _now(),
        "subscribe_criteria": {"reg_event_type": "death", "filter_type": "expression",
                               "filter": {"area_code": {"$eq": area}},
                               "notify_record_type": "Member"}}]}
    ack = client.call("subscribe", "/registry/subscribe", "subscribe", message, 202)
    body = _callback(client, inbox, "/registry/on-subscribe", "on-subscribe callback",
                     ack.get("message", {}).get("correlation_id", ""))
    items = (body or {}).get("message", {}).get("subscribe_response", [{}])
    codes = [s["code"] for i in items for s in i.get("subscriptions", [])]
    client.check("subscription code received", [] if codes else ["no subscription code"])
    if not codes:
        return
    ack = client.call("unsubscribe", "/registry/unsubscribe", "unsubscribe",
                      {"transaction_id": uuid.uuid4().hex, "timestamp": _now(),
                       "subscription_codes": codes}, 202)
    _callback(client, inbox, "/registry/on-unsubscribe", "on-unsubscribe callback",
              ack.get("message", {}).get("correlation_id", ""))


def _records(answer: Any) -> list[dict[str, Any]]:
    items = answer.get("message", {}).get("search_response", []) if isinstance(answer,
                                                                             dict) else []
    return [r for i in items for r in i.get("data", {}).get("reg_records", [])]


def _callback(client: Client, inbox: Callbacks, suffix: str, name: str,
              correlation: str) -> Any:
    try:
        path, body = inbox.wait(suffix, correlation)
    except queue.Empty:
        client.check(name, [f"no callback at …{suffix} within {CALLBACK_WAIT_SECONDS} s"])
        return None
    client.check(name + " valid", client.spec.request(suffix, body))
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000/dci")
    parser.add_argument("--token", required=True)
    parser.add_argument("--sender-id", default="demo.partner")
    parser.add_argument("--callback-port", type=int, default=8765)
    parser.add_argument("--area", default="320722")
    options = parser.parse_args(argv)
    checks = run(options.base, options.token, options.callback_port, options.sender_id,
                 options.area)
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}  {check.detail}")
    failed = [c for c in checks if not c.ok]
    print(f"{len(checks) - len(failed)}/{len(checks)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
