"""The parameters in force: the YAML files plus every approved change, from its date on.

Every evaluation made by SafetyNet (CLI, API, registry runs, what-if, the household page)
takes its parameters from ``current_parameters()``; every threshold that business code
outside ``policy/`` needs (an age, a number of months, a grade) is read through
``parameter_value`` (one area, one date) or ``lowest_in_force`` (a query over all areas).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import Any

from safetynet.policy import DatedChange, ParameterError, ParameterSet, load_parameters
from safetynet.policy.params import Parameter
from safetynet.rules.models import ChangeStatus, ParameterChange

ChangeKey = tuple[tuple[Any, ...], ...]
_cache: dict[ChangeKey, ParameterSet] = {}
# Within one request the parameters are read once (rules/middleware.py opens the scope);
# a decision on a change inside the request forgets them.
_request_scope: ContextVar[list[ParameterSet] | None] = ContextVar("parameters", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Inside this block ``current_parameters()`` asks the database once."""
    token = _request_scope.set([])
    try:
        yield
    finally:
        _request_scope.reset(token)


def forget_current() -> None:
    scope = _request_scope.get()
    if scope is not None:
        scope.clear()


def approved_changes() -> list[DatedChange]:
    """Approved changes in the order they were approved (a later one wins on the same date)."""
    rows = (ParameterChange.objects.filter(status=ChangeStatus.APPROVED)
            .order_by("decided_at", "pk")
            .values_list("parameter", "key", "scope", "effective_from", "value", "reference",
                         "pk"))
    return [DatedChange(f"{name}.{key}" if key else name, scope, start, parse_value(value),
                        reference or f"#{pk}")
            for name, key, scope, start, value, reference, pk in rows]


def current_parameters() -> ParameterSet:
    """The YAML parameters with the approved changes laid over them (cached per change set)."""
    scope = _request_scope.get()
    if scope:
        return scope[0]
    changes = approved_changes()
    key: ChangeKey = tuple((c.name, c.scope, c.start, str(c.value), c.reference)
                           for c in changes)
    if key not in _cache:
        _cache.clear()
        _cache[key] = load_parameters().with_changes(changes)
    if scope is not None:
        scope.append(_cache[key])
    return _cache[key]


def parameter_value(name: str, area_code: str, on: dt.date, key: str | None = None,
                    params: ParameterSet | None = None) -> int:
    """The value of ``name`` (its entry ``key`` if keyed) in force for ``area_code`` on ``on``,
    in the file's base unit (years, months, grade, fen...). Raises ParameterError naming the
    parameter, area and date when none is in force: never a silent default."""
    param = _parameter(name, params)
    dated = param.for_area(area_code, on)
    if dated is None:
        raise ParameterError(param.source, name,
                             f"no value in force for area {area_code} on {on.isoformat()}")
    return _entry(param.source, name, dated.value, key)


def parameter_entries(name: str, area_code: str, on: dt.date,
                      params: ParameterSet | None = None) -> dict[str, int]:
    """Every entry of the keyed parameter ``name`` in force for the area on the date."""
    param = _parameter(name, params)
    dated = param.for_area(area_code, on)
    if dated is None or not isinstance(dated.value, dict):
        raise ParameterError(param.source, name,
                             f"no keyed value in force for area {area_code} on {on.isoformat()}")
    return dict(dated.value)


def lowest_in_force(name: str, on: dt.date, key: str | None = None,
                    params: ParameterSet | None = None) -> int:
    """The smallest value of ``name`` (entry ``key``, or every entry when None) in force on
    ``on`` in any area: a bound for a query over every area, refined per area afterwards."""
    return min(_all_in_force(name, on, key, params))


def highest_in_force(name: str, on: dt.date, key: str | None = None,
                     params: ParameterSet | None = None) -> int:
    """The largest value of ``name`` in force on ``on`` in any area (see lowest_in_force)."""
    return max(_all_in_force(name, on, key, params))


def _all_in_force(name: str, on: dt.date, key: str | None,
                  params: ParameterSet | None) -> list[int]:
    param = _parameter(name, params)
    values: list[int] = []
    for _scope, dated in param.in_force(on):
        value = dated.value
        if key is None and isinstance(value, dict):
            values.extend(value.values())
        else:
            values.append(_entry(param.source, name, value, key))
    if not values:
        raise ParameterError(param.source, name, f"no value in force on {on.isoformat()}")
    return values


def _parameter(name: str, params: ParameterSet | None) -> Parameter:
    parameters = (params or current_parameters()).parameters
    if name not in parameters:
        raise ParameterError("parameters", name, "unknown parameter")
    return parameters[name]


def _entry(source: str, name: str, value: int | dict[str, int], key: str | None) -> int:
    if key is None and isinstance(value, int):
        return value
    if key is not None and isinstance(value, dict) and key in value:
        return value[key]
    raise ParameterError(source, f"{name}.{key}" if key else name,
                         "expected a keyed parameter with this key" if key
                         else "a keyed parameter: name the key")


def parse_value(text: str) -> object:
    """A value typed by a person or on the command line: true/false, a JSON object for a
    keyed parameter, or a number (kept exact as a Decimal)."""
    cleaned = text.strip()
    if cleaned.lower() in ("true", "false"):
        return cleaned.lower() == "true"
    if cleaned.startswith("{"):
        try:
            loaded = json.loads(cleaned, parse_float=Decimal)
        except json.JSONDecodeError:
            return cleaned
        return loaded if isinstance(loaded, Mapping) else cleaned
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return cleaned


def parse_assignments(assignments: list[str]) -> dict[str, object]:
    """``["dibao.standard=700", ...]`` -> overrides; raises ParameterError naming the fault."""
    overrides: dict[str, object] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ParameterError("--set", item, "expected NAME=VALUE, e.g. dibao.standard=700")
        overrides[name.strip()] = parse_value(value)
    return overrides


def check_overrides(overrides: Mapping[str, object]) -> ParameterSet:
    """The current parameters with ``overrides`` applied; raises ParameterError when one is
    unknown or of the wrong type."""
    return current_parameters().with_overrides(overrides)


def jsonable(overrides: Mapping[str, object]) -> dict[str, Any]:
    """Overrides as JSON (Decimal -> exact string) for storing with a simulation."""
    return json.loads(json.dumps(dict(overrides), default=str))
