"""Structured logs: a request id in every line, JSON on demand, ID numbers masked,
slow queries logged without their parameters (which may hold personal data)."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from safetynet.core.masking import mask_id_numbers

request_id: ContextVar[str] = ContextVar("request_id", default="-")
slow_log = logging.getLogger("safetynet.slow_query")
request_log = logging.getLogger("safetynet.request")
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record and masks any full ID number in the message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.msg = mask_id_numbers(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message, extras."""

    EXTRAS = ("method", "path", "status", "duration_ms", "user_id", "sql")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
            "logger": record.name, "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage()}
        line.update({k: getattr(record, k) for k in self.EXTRAS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = mask_id_numbers(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    """Takes X-Request-ID from the proxy (or makes one), echoes it, logs the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if SAFE_REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": mask_id_numbers(request.path),
                       "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                       "user_id": getattr(user, "pk", None)})
            return response
        finally:
            request_id.reset(token)


def slow_query_wrapper(threshold_ms: int) -> Callable[..., Any]:
    """A database execute wrapper logging statements slower than ``threshold_ms``."""

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                context: dict[str, Any]) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = (time.perf_counter() - started) * 1000
            if took >= threshold_ms:
                slow_log.warning("slow query %.0f ms", took,
                                 extra={"duration_ms": round(took, 1), "sql": sql[:2000]})

    return wrapper


def install_slow_query_log(threshold_ms: int) -> None:
    """Wrap every new database connection (web and worker) with the slow-query logger."""

    def add(sender: Any, connection: Any, **kwargs: Any) -> None:
        if not any(getattr(w, "safetynet_slow", False) for w in connection.execute_wrappers):
            wrapper = slow_query_wrapper(threshold_ms)
            wrapper.safetynet_slow = True  # type: ignore[attr-defined]
            connection.execute_wrappers.append(wrapper)

    connection_created.connect(add, weak=False, dispatch_uid="safetynet_slow_query")


def logging_config(json_lines: bool, level: str) -> dict[str, Any]:
    """The LOGGING setting: console, request ids, JSON when asked."""
    text = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
    return {
        "version": 1, "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "safetynet.core.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "safetynet.core.logs.JsonFormatter"},
                       "text": {"format": text}},
        "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                                 "formatter": "json" if json_lines else "text"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {"safetynet": {"level": level}},
    }
