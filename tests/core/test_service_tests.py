"""Every public service function is named by a test (issue #18).

``tests/untested_services.txt`` lists the functions that had no test when this check was
written; the check fails on a new public service function that no test names, and on a
listed function that has since gained a test (strike it from the list). Run this file
alone to print the list: ``pytest tests/core/test_service_tests.py -q -s``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import safetynet

ROOT = Path(safetynet.__file__).resolve().parent
TESTS = Path(__file__).resolve().parents[1]
BASELINE = TESTS / "untested_services.txt"


def service_functions() -> list[str]:
    """``app.services.name`` of every public top-level function of a service module."""
    found = []
    for path in sorted(ROOT.glob("*/services*.py")) + sorted(ROOT.glob("*/services/*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                found.append(f"{module}.{node.name}")
    return found


def untested() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.rglob("*.py"))
    named = set(re.findall(r"\b([a-z_][a-z0-9_]*)\s*\(", text))
    named |= set(re.findall(r"\.([a-z_][a-z0-9_]*)\b", text))
    return [f for f in service_functions() if f.rsplit(".", 1)[1] not in named]


def baseline() -> set[str]:
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_no_new_untested_service_function() -> None:
    missing = untested()
    print("\n".join(missing))
    assert sorted(set(missing) - baseline()) == []


def test_the_list_of_untested_functions_only_shrinks() -> None:
    tested_now = baseline() - set(untested())
    assert sorted(tested_now) == [], "these have tests now: strike them from the list"


def test_service_functions_are_found() -> None:
    functions = service_functions()
    assert "payments.services.approve_run" in functions or len(functions) > 100
