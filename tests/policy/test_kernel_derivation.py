"""The compiled kernel is derived from the programme modules (docs/rules.md, "How the
kernel is derived"): its parameter table is their declarations, and the cached compiled
code follows any change to the files it is built from."""

from __future__ import annotations

import inspect
from pathlib import Path
from types import ModuleType

import pytest

from safetynet.policy import fast, kernel
from safetynet.policy.context import PARAMETER_COLUMNS, parameter
from safetynet.policy.programs import ORDER, orphan_allowance


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
