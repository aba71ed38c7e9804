"""Within one request the parameters in force are read from the database once."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safetynet.rules.parameters import current_parameters, forget_current, read_once


def test_parameters_are_read_once_inside_the_scope_and_again_after_forgetting(db) -> None:
    with CaptureQueriesContext(connection) as outside:
        current_parameters()
        current_parameters()
    assert len(outside) == 2
    with read_once(), CaptureQueriesContext(connection) as inside:
        first = current_parameters()
        assert current_parameters() is first
        assert len(inside) == 1
        forget_current()
        current_parameters()
        assert len(inside) == 2
