"""The compiled kernel is derived from the programme modules (docs/rules.md, "How the
kernel is derived"): its parameter table is their declarations, and the cached compiled
code follows any change to the files it is built from."""

from __future__ import annotations

import datetime as dt
import inspect
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from safetynet.policy import evaluate, fast, kernel
from safetynet.policy.context import PARAMETER_COLUMNS, parameter
from safetynet.policy.engine import build_context, collect_rows, rows_frame
from safetynet.policy.params import load_parameters
from safetynet.policy.programs import ORDER, orphan_allowance

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_policy import synthetic  # noqa: E402


def test_the_parameter_table_is_the_modules_declarations() -> None:
    assert tuple(PARAMETER_COLUMNS) == fast.FIXED_PARAMETERS
    column = orphan_allowance.STUDY_AGE_LIMIT
    assert fast.FIXED_PARAMETERS[column] == ("orphan_allowance.study_age_limit", None)
    # Declaring a parameter again gives its column.
    assert parameter("orphan_allowance.study_age_limit") == column


def _policy_modules_of(module: ModuleType) -> set[Path]:
    return {
        Path(value.__file__).resolve()
        for value in vars(module).values()
        if isinstance(value, ModuleType)
        and value.__name__.startswith("safetynet.policy")
        and value.__file__ is not None
    }


def test_the_kernel_cache_key_covers_every_file_it_calls() -> None:
    sources = set(fast.KERNEL_SOURCES)
    called = _policy_modules_of(kernel)
    assert called, "the kernel calls no programme formula"
    for module in (kernel, *(m for m in vars(kernel).values() if isinstance(m, ModuleType))):
        if module.__name__.startswith("safetynet.policy"):
            missing = _policy_modules_of(module) - sources
            assert not missing, f"{module.__name__} calls code outside the cache key: {missing}"
    assert {Path(inspect.getfile(m)).resolve() for m in ORDER} <= sources


def test_a_changed_source_loads_a_new_kernel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change to any file of the kernel's sources names a new copy (compiled anew by
    numba), never the cached kernel of the old text."""
    assert fast.kernel_module() is fast.KERNEL
    extra = tmp_path / "rule.py"
    extra.write_text("A = 1\n", encoding="utf-8")
    monkeypatch.setenv("SAFETYNET_KERNEL_DIR", str(tmp_path / "kernels"))
    monkeypatch.setattr(fast, "KERNEL_SOURCES", (*fast.KERNEL_SOURCES, extra))
    first = fast.kernel_module()
    assert first is not fast.KERNEL
    assert Path(str(first.__file__)).parent == tmp_path / "kernels"
    assert fast.kernel_module() is first
    extra.write_text("A = 2\n", encoding="utf-8")
    second = fast.kernel_module()
    assert second.__name__ != first.__name__
    assert Path(str(second.__file__)).read_bytes() == Path(kernel.__file__).read_bytes()


def test_several_parameter_rows_agree_with_the_readable_path(tmp_path: Path) -> None:
    """Households of a township with its own dibao standard and orphan age limit: the
    kernel reads a table of several rows (an array, not the single-row tuple)."""
    tree = tmp_path / "parameters"
    shutil.copytree(Path(fast.POLICY) / "parameters", tree)
    standard = tree / "dibao" / "standard.yaml"
    text = standard.read_text(encoding="utf-8").replace(
        'scope: "320722"\nvalues:\n  2021-01-01: {value: {urban: 650, rural: 650}, reference: '
        '{zh: "示例值", en: "illustrative"}}',
        'scopes:\n  "320722":\n    2021-01-01: {value: {urban: 650, rural: 650}, reference: '
        '{zh: "示例值", en: "illustrative"}}\n  "320722100":\n    2021-01-01: {value: '
        '{urban: 720, rural: 700}, reference: {zh: "示例值", en: "illustrative"}}',
    )
    assert "320722100" in text
    standard.write_text(text, encoding="utf-8")
    params = load_parameters(tree)
    persons, households = synthetic(3_000, seed=11)
    on = dt.date(2022, 9, 1)
    table, group, _ = fast.resolved_table(params, on, households["area_code"])
    assert len(table) == 2 and len(group) == households.height
    fast_rows = evaluate(persons, households, on, params=params)
    ctx = build_context(persons, households, on, params=params)
    assert fast_rows.to_dicts() == rows_frame(collect_rows(ctx), persons, households).to_dicts()
