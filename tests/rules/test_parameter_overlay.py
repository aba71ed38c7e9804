"""ParameterSet.with_changes: approved changes laid over the YAML values from their date."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from safetynet.policy import DatedChange, ParameterError, load_parameters
from safetynet.policy.resolve import Resolver

DONGHAI = pl.Series(["320722100201"])


def value(params, name: str, on: dt.date, key: str | None = None, area=DONGHAI) -> int:
    return int(Resolver(params, on, area).get(name, key))  # type: ignore[arg-type]


def test_a_change_applies_from_its_date_and_never_before() -> None:
    base = load_parameters()
    changed = base.with_changes([DatedChange("dibao.standard", "320722", dt.date(2030, 1, 1),
                                             700, "doc")])
    assert value(changed, "dibao.standard", dt.date(2029, 12, 31), "rural") == 65000
    assert value(changed, "dibao.standard", dt.date(2030, 1, 1), "rural") == 70000
    assert value(changed, "dibao.standard", dt.date(2030, 1, 1), "urban") == 70000
    assert value(base, "dibao.standard", dt.date(2030, 1, 1), "rural") == 65000  # untouched


def test_one_key_keeps_the_other_keys_in_force() -> None:
    changed = load_parameters().with_changes([
        DatedChange("dibao.standard.urban", "320722", dt.date(2030, 1, 1), 720, "doc")])
    on = dt.date(2030, 2, 1)
    assert value(changed, "dibao.standard", on, "urban") == 72000
    assert value(changed, "dibao.standard", on, "rural") == 65000


def test_a_township_scope_overrides_the_county_only_there() -> None:
    changed = load_parameters().with_changes([
        DatedChange("disability_living.amount", "320722100", dt.date(2030, 1, 1), 210, "doc")])
    on = dt.date(2030, 1, 1)
    assert value(changed, "disability_living.amount", on) == 21000
    other = pl.Series(["320722101201"])
    assert value(changed, "disability_living.amount", on, area=other) == 19500


def test_later_changes_win_and_the_history_keeps_every_value() -> None:
    changed = load_parameters().with_changes([
        DatedChange("tekun.basic_factor", "320722", dt.date(2030, 1, 1), "1.4", "a"),
        DatedChange("tekun.basic_factor", "320722", dt.date(2030, 1, 1), "1.5", "b"),
        DatedChange("tekun.basic_factor", "320722", dt.date(2031, 1, 1), "1.6", "c")])
    values = [d.raw for d in changed["tekun.basic_factor"].scopes["320722"]]
    assert values[-2:] == ["1.5", "1.6"]
    assert value(changed, "tekun.basic_factor", dt.date(2030, 6, 1)) == 15000


@pytest.mark.parametrize(("name", "raw", "scope"), [
    ("dibao.nothing", 1, "320722"),
    ("dibao.standard", "a lot", "320722"),
    ("dibao.standard", "650.555", "320722"),
    ("dibao.standard", 700, "3207221"),
    ("dibao.standard.suburban", 700, "320722"),
])
def test_invalid_changes_raise_parameter_errors(name: str, raw: object, scope: str) -> None:
    with pytest.raises(ParameterError):
        load_parameters().with_changes([DatedChange(name, scope, dt.date(2030, 1, 1), raw, "x")])


def test_the_fingerprint_tells_parameter_sets_apart() -> None:
    base = load_parameters()
    changed = base.with_changes([DatedChange("dibao.standard", "320722", dt.date(2030, 1, 1),
                                             700, "doc")])
    assert base.fingerprint() == load_parameters().fingerprint()
    assert len({base.fingerprint(), changed.fingerprint(),
                base.with_overrides({"dibao.standard": 700}).fingerprint()}) == 3
