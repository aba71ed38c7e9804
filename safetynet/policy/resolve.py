"""Resolve parameters per household: most specific matching scope, value in force on a date."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from numpy.typing import NDArray

from safetynet.policy.params import ParameterError, ParameterSet, Value

IntArray = NDArray[np.int64]
Int = int | IntArray


class Resolver:
    """Parameter values for a set of households (one area code each) on one date.

    A value that is the same for every household is returned as a plain ``int`` so that
    the rules broadcast it instead of carrying a full column.
    """

    def __init__(self, params: ParameterSet, on: dt.date, area_codes: pl.Series) -> None:
        self.params = params
        self.on = on
        self.area_codes = area_codes
        self._categories: pl.Series | None = None
        self._physical: NDArray[np.uint32] | None = None
        self._distinct_codes: NDArray[np.int64] = np.zeros(0, np.int64)
        if isinstance(area_codes.dtype, pl.Categorical | pl.Enum):
            # Match scopes against the few distinct codes, then spread by the physical index.
            distinct = area_codes.drop_nulls().unique()
            self._categories = distinct.cast(pl.String)
            self._distinct_codes = distinct.to_physical().cast(pl.Int64).to_numpy()
            self._physical = area_codes.to_physical().to_numpy()
        self._masks: dict[str, NDArray[np.bool_] | bool] = {}
        self._cache: dict[tuple[str, str | None], Int] = {}

    def _mask(self, scope: str) -> NDArray[np.bool_] | bool:
        """True where the household's area code starts with ``scope`` (True/False if all same)."""
        if scope not in self._masks:
            mask = self._starts_with(scope)
            self._masks[scope] = bool(mask[0]) if mask.all() or not mask.any() else mask
        return self._masks[scope]

    def _starts_with(self, scope: str) -> NDArray[np.bool_]:
        if self._categories is not None and self._physical is not None:
            size = int(self._distinct_codes.max(initial=0)) + 1
            table = np.zeros(size, np.bool_)
            table[self._distinct_codes] = self._categories.str.starts_with(scope).to_numpy()
            return np.asarray(table[self._physical], np.bool_)
        strings = self.area_codes.cast(pl.String)
        return np.asarray(strings.str.starts_with(scope).fill_null(False).to_numpy(), np.bool_)

    def get(self, name: str, key: str | None = None) -> Int:
        """The value of parameter ``name`` (entry ``key`` of a keyed parameter) per household."""
        cache_key = (name, key)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._resolve(name, key)
        return self._cache[cache_key]

    def _resolve(self, name: str, key: str | None) -> Int:
        if name not in self.params.parameters:
            raise ParameterError("parameters", name, "unknown parameter")
        override = self.params.overrides.get(name)
        if override is not None and (not isinstance(override, dict) or key in override):
            return _pick(override, name, key)
        result: Int | None = None
        for scope, dated in self.params[name].in_force(self.on):
            mask = self._mask(scope)
            value = _pick(dated.value, name, key)
            if mask is True:
                result = value
            elif mask is not False:
                base = np.full(len(self.area_codes), -1, np.int64) if result is None else result
                result = np.where(mask, value, base)
        return self._check_complete(name, result)

    def _check_complete(self, name: str, result: Int | None) -> Int:
        if len(self.area_codes) == 0:
            return 0 if result is None else result
        missing: NDArray[np.bool_] | bool = result is None
        if isinstance(result, np.ndarray):
            missing = result < 0
            if not missing.any():
                return result
        if result is None or isinstance(missing, np.ndarray):
            index = int(np.argmax(missing)) if isinstance(missing, np.ndarray) else 0
            area = self.area_codes[index]
            raise ParameterError(
                self.params[name].source, name, f"no value in force for area {area} on {self.on}"
            )
        return result


def _pick(value: Value, name: str, key: str | None) -> int:
    if isinstance(value, dict):
        if key is None or key not in value:
            raise ParameterError("parameters", name, f"a key is required, one of {list(value)}")
        return value[key]
    if key is not None:
        raise ParameterError("parameters", name, "parameter has no keys")
    return value
