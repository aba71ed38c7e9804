"""The dated parameters of active discovery (policy/parameters/discovery/*.yaml), read for
an area on a date, in the units the rules use (yuan as Decimal, ratios as Decimal)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from safetynet.policy import ParameterSet
from safetynet.policy.params import FEN, RATIO_SCALE
from safetynet.rules.parameters import current_parameters

_batch: ContextVar[ParameterSet | None] = ContextVar("discovery_parameters", default=None)


@contextmanager
def batch() -> Iterator[None]:
    """Read the parameters once for a whole batch (an import, a monitoring run) instead of
    once per row: ``current_parameters`` asks the database for approved changes."""
    token = _batch.set(current_parameters())
    try:
        yield
    finally:
        _batch.reset(token)


def _parameters() -> ParameterSet:
    return _batch.get() or current_parameters()


def raw(name: str, area_code: str, on: dt.date) -> int | dict[str, int]:
    dated = _parameters()[f"discovery.{name}"].for_area(area_code, on)
    if dated is None:
        raise LookupError(f"discovery.{name} has no value for {area_code} on {on}")
    return dated.value


def number(name: str, area_code: str, on: dt.date) -> int:
    value = raw(name, area_code, on)
    assert isinstance(value, int)
    return value


def keyed(name: str, key: str, area_code: str, on: dt.date) -> int:
    value = raw(name, area_code, on)
    assert isinstance(value, dict)
    return int(value[key])


def yuan(name: str, area_code: str, on: dt.date) -> Decimal:
    return Decimal(number(name, area_code, on)) / FEN


def ratio(name: str, area_code: str, on: dt.date) -> Decimal:
    return Decimal(number(name, area_code, on)) / RATIO_SCALE


def dibao_standard(area_code: str, hukou: str, on: dt.date) -> Decimal:
    dated = _parameters()["dibao.standard"].for_area(area_code, on)
    if dated is None or not isinstance(dated.value, dict):
        raise LookupError(f"dibao.standard has no value for {area_code} on {on}")
    return Decimal(dated.value[hukou]) / FEN
