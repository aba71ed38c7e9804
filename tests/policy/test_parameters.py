"""Parameter loading, validation, scopes, dates and overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from safetynet.policy import ParameterError, load_parameters
from safetynet.policy.resolve import Resolver


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


GOOD = """
label: {zh: 标准, en: Standard}
unit: yuan_per_month
scopes:
  "32": {2020-01-01: {value: 600, reference: {zh: 示例值, en: illustrative}}}
  "320722":
    2021-01-01: {value: 650, reference: {zh: 示例值, en: illustrative}}
    2022-07-01: {value: 680.5, reference: {zh: 文件, en: doc}}
"""


def test_default_tree_loads_every_programme() -> None:
    params = load_parameters()
    assert params["orphan_allowance.amount"].unit == "yuan_per_month"
    assert {"dibao.standard", "tekun.care_amount", "need.weights"} <= set(params.parameters)


def test_orphan_allowance_changes_on_2022_01_01() -> None:
    param = load_parameters()["orphan_allowance.amount"]
    assert param.for_area("320722100201", dt.date(2021, 12, 31)).value == 150_000  # fen
    assert param.for_area("320722100201", dt.date(2022, 1, 1)).value == 164_600


def test_most_specific_scope_and_latest_date_apply(tmp_path: Path) -> None:
    _write(tmp_path, "x/standard.yaml", GOOD)
    params = load_parameters(tmp_path)
    areas = pl.Series(["320722100201", "320705001", "321000"])
    resolver = Resolver(params, dt.date(2022, 9, 1), areas)
    assert resolver.get("x.standard").tolist() == [68_050, 60_000, 60_000]
    early = Resolver(params, dt.date(2021, 6, 1), areas)
    assert early.get("x.standard").tolist() == [65_000, 60_000, 60_000]


def test_no_value_in_force_names_file_and_key(tmp_path: Path) -> None:
    _write(tmp_path, "x/standard.yaml", GOOD)
    resolver = Resolver(load_parameters(tmp_path), dt.date(2019, 1, 1), pl.Series(["320722"]))
    with pytest.raises(ParameterError, match="standard.yaml: x.standard: no value in force"):
        resolver.get("x.standard")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace("yuan_per_month", "dollars"), "unit"),
        (GOOD.replace('"32"', '"3x"'), "scope"),
        (GOOD.replace("2020-01-01", "2020-13-01"), "(file)"),
        (GOOD.replace("2020-01-01", "2020-1-1x"), "scopes.32.values"),
        (GOOD.replace("600", '"six hundred"'), "scopes.32.values.2020-01-01.value"),
        (GOOD.replace("680.5", "680.555"), "scopes.320722.values.2022-07-01.value"),
        (GOOD.replace("en: doc", "en: ''"), "reference"),
        (GOOD.replace("reference: {zh: 文件, en: doc}", "reference: doc"), "reference"),
        (GOOD + "colour: red\n", "colour"),
        (GOOD.replace("label: {zh: 标准, en: Standard}", "label: {zh: 标准}"), "label"),
    ],
)
def test_invalid_files_name_the_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    _write(tmp_path, "x/standard.yaml", text)
    with pytest.raises(ParameterError) as info:
        load_parameters(tmp_path)
    assert info.value.source.endswith("standard.yaml")
    assert key in info.value.key


def test_keyed_values_must_match_keys(tmp_path: Path) -> None:
    text = """
label: {zh: 标准, en: Standard}
unit: yuan_per_month
keys: [urban, rural]
key_labels: {urban: {zh: 城镇, en: urban}, rural: {zh: 农村, en: rural}}
scope: "32"
values:
  2020-01-01: {value: {urban: 1}, reference: {zh: 文, en: x}}
"""
    _write(tmp_path, "x/s.yaml", text)
    with pytest.raises(ParameterError, match="expected keys"):
        load_parameters(tmp_path)
    _write(tmp_path, "x/s.yaml", text.replace(", rural: {zh: 农村, en: rural}", ""))
    with pytest.raises(ParameterError, match="key_labels: expected a label for each"):
        load_parameters(tmp_path)


def test_every_file_names_its_entries_and_sources_in_both_languages() -> None:
    params = load_parameters()
    standard = params["dibao.standard"]
    assert standard.key_label("urban", "zh") == "城镇"
    assert standard.key_label("urban", "en") == "urban"
    dated = params["orphan_allowance.amount"].for_area("320722", dt.date(2022, 9, 1))
    assert dated is not None and dated.reference_in("zh") == "东海县民政局，2022-09-30"
    assert dated.reference_in("en") == "Donghai County Civil Affairs Bureau, 2022-09-30"
    for param in params.parameters.values():
        assert set(param.key_labels) == set(param.keys or ()), param.name
        for values in param.scopes.values():
            assert all(d.reference_zh and d.reference for d in values), param.name


def test_overrides_scalar_keyed_and_unknown() -> None:
    params = load_parameters()
    assert params.with_overrides({"dibao.standard": 700}).overrides["dibao.standard"] == {
        "urban": 70_000,
        "rural": 70_000,
    }
    one = params.with_overrides({"dibao.standard.rural": 600.5})
    assert one.overrides["dibao.standard"] == {"rural": 60_050}
    with pytest.raises(ParameterError, match="unknown parameter"):
        params.with_overrides({"dibao.nonsense": 1})
    with pytest.raises(ParameterError, match="expected a number"):
        params.with_overrides({"dibao.standard": "lots"})
