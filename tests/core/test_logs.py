"""Structured logs: JSON lines with the request id, ID numbers masked."""

from __future__ import annotations

import json
import logging

from safetynet.core.logs import JsonFormatter, RequestIdFilter, request_id


def test_json_line_carries_request_id_and_masks_id_numbers() -> None:
    record = logging.LogRecord("safetynet.x", logging.WARNING, __file__, 1,
                               "person %s exists", ("320722199001010019",), None)
    token = request_id.set("req-1")
    try:
        assert RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-1"
    assert line["message"] == "person 320722********0019 exists"
    assert line["level"] == "WARNING"
