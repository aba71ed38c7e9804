"""Dated, area-scoped policy parameters loaded from YAML.

Every amount and threshold of the rules lives in ``policy/parameters/<programme>/<name>.yaml``
(see docs/rules.md). Numeric values are converted once, at load time, to integers in a base
unit so that the rules never touch binary floats:

* money (``yuan_per_month``, ``yuan``): fen (1 yuan = 100 fen), at most 2 decimals;
* ``ratio``: ten-thousandths (1.3 -> 13000), at most 4 decimals;
* ``months``, ``years``, ``count``, ``grade``, ``points``: plain integers;
* ``flag``: 0 or 1.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PARAMETER_ROOT = Path(__file__).parent / "parameters"
RATIO_SCALE = 10_000
FEN = 100
MONEY_UNITS = frozenset({"yuan_per_month", "yuan"})
INTEGER_UNITS = frozenset({"months", "years", "count", "grade", "points", "working_days"})
UNITS = MONEY_UNITS | INTEGER_UNITS | {"ratio", "flag"}
SCOPE_LENGTHS = frozenset({2, 4, 6, 9, 12})
TOP_LEVEL_KEYS = frozenset({"label", "unit", "keys", "key_labels", "scope", "values", "scopes",
                            "description"})

Value = int | dict[str, int]


class ParameterError(ValueError):
    """A parameter file, key or override is invalid; names the file and key at fault."""

    def __init__(self, source: str, key: str, message: str) -> None:
        self.source = source
        self.key = key
        self.message = message
        super().__init__(f"{source}: {key}: {message}")


@dataclass(frozen=True)
class DatedValue:
    start: dt.date
    value: Value
    raw: Any
    reference: str  # English (or as typed for an approved change)
    reference_zh: str = ""  # Chinese; empty for an approved change (typed once)

    def reference_in(self, lang: str) -> str:
        return self.reference_zh if lang != "en" and self.reference_zh else self.reference


@dataclass(frozen=True)
class Parameter:
    name: str
    label_zh: str
    label_en: str
    unit: str
    keys: tuple[str, ...] | None
    scopes: dict[str, tuple[DatedValue, ...]]
    source: str
    key_labels: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (zh, en)

    def key_label(self, key: str, lang: str) -> str:
        zh, en = self.key_labels.get(key, (key, key))
        return en if lang == "en" else zh

    def value_on(self, scope: str, on: dt.date) -> DatedValue | None:
        """The value of ``scope`` in force on ``on``: the latest start date <= on."""
        current: DatedValue | None = None
        for dated in self.scopes.get(scope, ()):
            if dated.start <= on:
                current = dated
        return current

    def in_force(self, on: dt.date) -> list[tuple[str, DatedValue]]:
        """(scope, value) pairs in force on ``on``, least specific scope first."""
        pairs = [(s, self.value_on(s, on)) for s in sorted(self.scopes, key=len)]
        return [(s, v) for s, v in pairs if v is not None]

    def for_area(self, area_code: str, on: dt.date) -> DatedValue | None:
        """The value for one area: the most specific scope that is a prefix of the code."""
        best: DatedValue | None = None
        for scope, dated in self.in_force(on):
            if area_code.startswith(scope):
                best = dated
        return best


@dataclass(frozen=True)
class DatedChange:
    """A reviewed change of one parameter from a date on, laid over the YAML values.

    ``name`` is the parameter (every key of a keyed parameter) or ``name.key`` (one key);
    ``value`` is in the file's unit; ``scope`` an area code prefix as in the files.
    """

    name: str
    scope: str
    start: dt.date
    value: object
    reference: str


@dataclass(frozen=True)
class ParameterSet:
    parameters: dict[str, Parameter]
    overrides: dict[str, Value] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Parameter:
        return self.parameters[name]

    def with_changes(self, changes: Iterable[DatedChange]) -> ParameterSet:
        """A copy with each change added as a dated value of its scope (in the given order).

        Past values stay as they are: a change only adds the value from its start date,
        and a later dated value of the same scope takes over again from its own date. A
        change of one key keeps the other keys' values in force for the scope on that date.
        """
        parameters = dict(self.parameters)
        for change in changes:
            base, _key = self._split_name(change.name, "change")
            parameters[base] = _add_change(parameters[base], change)
        return ParameterSet(parameters, dict(self.overrides))

    def fingerprint(self) -> str:
        """SHA-256 of every dated value and override: equal sets give equal fingerprints."""
        document = {
            "parameters": {
                name: {
                    scope: [[d.start.isoformat(), d.value] for d in values]
                    for scope, values in sorted(param.scopes.items())
                }
                for name, param in sorted(self.parameters.items())
            },
            "overrides": self.overrides,
        }
        text = json.dumps(document, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()

    def _split_name(self, name: str, source: str) -> tuple[str, str | None]:
        """(parameter, key or None) of ``name`` / ``name.key``; unknown names raise."""
        if name in self.parameters:
            return name, None
        base, _, key = name.rpartition(".")
        param = self.parameters.get(base)
        if param is None or param.keys is None or key not in param.keys:
            raise ParameterError(source, name, "unknown parameter")
        return base, key

    def with_overrides(self, overrides: Mapping[str, object] | None) -> ParameterSet:
        """A copy in which each override replaces the value everywhere (what-if simulation).

        ``{"dibao.standard": 700}`` sets every key of a keyed parameter,
        ``{"dibao.standard.urban": 700}`` one key only. Values are in the file's unit.
        """
        merged: dict[str, Value] = dict(self.overrides)
        for name, raw in (overrides or {}).items():
            base, value = self._convert_override(name, raw)
            merged[base] = _merge_override(merged.get(base), value)
        return ParameterSet(self.parameters, merged)

    def _convert_override(self, name: str, raw: object) -> tuple[str, Value]:
        if name in self.parameters:
            param = self.parameters[name]
            keys = param.keys
            if keys is not None and not isinstance(raw, Mapping):
                return name, {k: convert_scalar(param.unit, raw, "override", name) for k in keys}
            return name, convert_value(param, raw, "override", name)
        base, _, key = name.rpartition(".")
        param_or_none = self.parameters.get(base)
        if param_or_none is None or param_or_none.keys is None or key not in param_or_none.keys:
            raise ParameterError("override", name, "unknown parameter")
        return base, {key: convert_scalar(param_or_none.unit, raw, "override", name)}


def _add_change(param: Parameter, change: DatedChange) -> Parameter:
    scope = _check_scope(change.scope, "change", f"{change.name}.scope")
    key = change.name[len(param.name) + 1 :] or None
    where = f"{change.name}.{scope}.{change.start.isoformat()}"
    raw: Any = change.value
    if param.keys is not None and key is None and not isinstance(raw, Mapping):
        raw = {k: raw for k in param.keys}
    if key is not None:
        current = param.for_area(scope, change.start)
        if current is None:
            raise ParameterError("change", where, "no value in force to keep the other keys of")
        raw = {**{str(k): v for k, v in current.raw.items()}, key: raw}
    value = convert_value(param, raw, "change", where)
    dated = DatedValue(change.start, value, raw, change.reference)
    kept = [d for d in param.scopes.get(scope, ()) if d.start != change.start]
    values = tuple(sorted([*kept, dated], key=lambda d: d.start))
    return replace(param, scopes={**param.scopes, scope: values})


def _merge_override(previous: Value | None, value: Value) -> Value:
    if isinstance(previous, dict) and isinstance(value, dict):
        return {**previous, **value}
    return value


def convert_scalar(unit: str, raw: object, source: str, key: str) -> int:
    """Convert one raw YAML/override scalar to the integer base unit of ``unit``."""
    if unit == "flag":
        if not isinstance(raw, bool):
            raise ParameterError(source, key, f"expected true or false, got {raw!r}")
        return int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int | float | str | Decimal):
        raise ParameterError(source, key, f"expected a number, got {raw!r}")
    try:
        number = Decimal(str(raw))
    except InvalidOperation:
        raise ParameterError(source, key, f"expected a number, got {raw!r}") from None
    if not number.is_finite() or number < 0:
        raise ParameterError(source, key, f"expected a non-negative number, got {raw!r}")
    scale = FEN if unit in MONEY_UNITS else RATIO_SCALE if unit == "ratio" else 1
    scaled = number * scale
    if scaled != scaled.to_integral_value():
        raise ParameterError(source, key, f"too many decimals for unit {unit}: {raw!r}")
    return int(scaled)


def convert_value(param: Parameter, raw: object, source: str, key: str) -> Value:
    if param.keys is None:
        return convert_scalar(param.unit, raw, source, key)
    if not isinstance(raw, Mapping):
        raise ParameterError(source, key, f"expected a mapping with keys {list(param.keys)}")
    given = {str(k) for k in raw}
    if given != set(param.keys):
        raise ParameterError(source, key, f"expected keys {list(param.keys)}, got {sorted(given)}")
    return {str(k): convert_scalar(param.unit, v, source, f"{key}.{k}") for k, v in raw.items()}


def _parse_date(raw: object, source: str, key: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        raise ParameterError(source, key, "expected a date, got a date-time")
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise ParameterError(source, key, f"expected a date YYYY-MM-DD, got {raw!r}") from None


def _check_scope(raw: object, source: str, key: str) -> str:
    scope = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not (scope.isdigit() and len(scope) in SCOPE_LENGTHS):
        message = f"scope must be an area code of 2/4/6/9/12 digits: {raw!r}"
        raise ParameterError(source, key, message)
    return scope


def _parse_values(shell: Parameter, raw: object, key: str) -> tuple[DatedValue, ...]:
    source = shell.source
    if not isinstance(raw, Mapping) or not raw:
        message = "expected a non-empty mapping of date -> {value, reference}"
        raise ParameterError(source, key, message)
    dated: list[DatedValue] = []
    for raw_date, entry in raw.items():
        start = _parse_date(raw_date, source, key)
        entry_key = f"{key}.{start.isoformat()}"
        if not isinstance(entry, Mapping) or set(entry) != {"value", "reference"}:
            raise ParameterError(source, entry_key, "expected exactly {value: ..., reference: ...}")
        zh, en = _parse_label(entry["reference"], source, f"{entry_key}.reference")
        value = convert_value(shell, entry["value"], source, f"{entry_key}.value")
        dated.append(DatedValue(start, value, entry["value"], en, zh))
    return tuple(sorted(dated, key=lambda d: d.start))


def _parse_label(raw: object, source: str, key: str = "label") -> tuple[str, str]:
    """A text in both languages: ``{zh: ..., en: ...}`` (labels, references, key names)."""
    if not isinstance(raw, Mapping) or set(raw) != {"zh", "en"}:
        raise ParameterError(source, key, "expected {zh: ..., en: ...}")
    zh, en = raw["zh"], raw["en"]
    if not (isinstance(zh, str) and isinstance(en, str) and zh.strip() and en.strip()):
        raise ParameterError(source, key, "zh and en must be non-empty strings")
    return zh, en


def _parse_key_labels(raw: object, keys: tuple[str, ...] | None,
                      source: str) -> dict[str, tuple[str, str]]:
    """Every key of a keyed parameter named in both languages."""
    if keys is None:
        if raw is not None:
            raise ParameterError(source, "key_labels", "only a parameter with keys has them")
        return {}
    if not isinstance(raw, Mapping) or {str(k) for k in raw} != set(keys):
        raise ParameterError(source, "key_labels", f"expected a label for each of {list(keys)}")
    return {str(k): _parse_label(v, source, f"key_labels.{k}") for k, v in raw.items()}


def _parse_keys(raw: object, source: str) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw or not all(isinstance(k, str | int) for k in raw):
        raise ParameterError(source, "keys", "expected a non-empty list of names")
    return tuple(str(k) for k in raw)


def _raw_scopes(doc: Mapping[str, Any], source: str) -> dict[object, object]:
    if ("scopes" in doc) == ("scope" in doc or "values" in doc):
        raise ParameterError(source, "scope", "give either scope + values or scopes")
    if "scopes" in doc:
        scopes = doc["scopes"]
        if not isinstance(scopes, Mapping) or not scopes:
            raise ParameterError(source, "scopes", "expected a mapping of scope -> values")
        return dict(scopes)
    if "scope" not in doc or "values" not in doc:
        raise ParameterError(source, "scope", "scope and values are both required")
    return {doc["scope"]: doc["values"]}


def parse_parameter(name: str, doc: object, source: str) -> Parameter:
    """Validate one parsed YAML document and build its :class:`Parameter`."""
    if not isinstance(doc, Mapping):
        raise ParameterError(source, "(file)", "expected a mapping at the top level")
    unknown = set(doc) - TOP_LEVEL_KEYS
    if unknown:
        raise ParameterError(source, sorted(unknown)[0], "unknown key")
    zh, en = _parse_label(doc.get("label"), source)
    unit = doc.get("unit")
    if unit not in UNITS:
        raise ParameterError(source, "unit", f"expected one of {sorted(UNITS)}, got {unit!r}")
    keys = _parse_keys(doc.get("keys"), source)
    key_labels = _parse_key_labels(doc.get("key_labels"), keys, source)
    shell = Parameter(name, zh, en, str(unit), keys, {}, source)
    scopes: dict[str, tuple[DatedValue, ...]] = {}
    for raw_scope, raw_values in _raw_scopes(doc, source).items():
        scope = _check_scope(raw_scope, source, "scope")
        scopes[scope] = _parse_values(shell, raw_values, f"scopes.{scope}.values")
    return Parameter(name, zh, en, shell.unit, shell.keys, scopes, source, key_labels)


def load_parameters(root: Path | None = None) -> ParameterSet:
    """Load and validate every ``<programme>/<name>.yaml`` under ``root``."""
    if root is None:
        return _default_parameters()
    return _load_tree(root)


@lru_cache(maxsize=1)
def _default_parameters() -> ParameterSet:
    return _load_tree(PARAMETER_ROOT)


def _load_tree(root: Path) -> ParameterSet:
    parameters: dict[str, Parameter] = {}
    for path in sorted(root.rglob("*.yaml")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, ValueError) as exc:
            raise ParameterError(str(path), "(file)", f"invalid YAML: {exc}") from exc
        parameters[name] = parse_parameter(name, doc, str(path))
    return ParameterSet(parameters)
