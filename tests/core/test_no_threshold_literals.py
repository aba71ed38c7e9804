"""Thresholds are data: no age or amount literal in the business code.

DOMAIN.md: "Every amount and threshold here is data (dated, per region parameters), never
a literal in code". This test reads every business module of ``safetynet/`` (not the
migrations, not the synthetic demo data generator, and not ``policy/fast.py`` and
``policy/programs/``, which have their own check) and fails on:

* a comparison of an age (a name or call whose words include ``age``/``ages``) with a
  number other than 0;
* a constant whose name includes ``AGE``/``AGES`` bound to a number or a tuple of numbers;
* an age-to-date helper (``latest_birth_for_age``, ``birthday``, ``years_before`` ...)
  called with a number;
* a query filter on an age, a birth date, a grade or an amount (``..._grade__lte=2``) with a
  number;
* a comparison of an amount, income, standard or allowance with a number other than 0.

Read the thresholds from their parameter (``safetynet.rules.parameters.parameter_value``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "safetynet"
EXCLUDED = ("migrations", "demo", "policy/fast.py", "policy/programs")
AGE_WORDS = frozenset({"age", "ages"})
AMOUNT_WORDS = frozenset({"amount", "amounts", "income", "standard", "allowance", "premium"})
FILTER_WORDS = AGE_WORDS | AMOUNT_WORDS | {"grade", "birth"}
AGE_HELPERS = frozenset({"latest_birth_for_age", "birthday", "birthday_threshold",
                         "years_before", "_born_before", "bracket_start"})
LOOKUPS = ("__lt", "__lte", "__gt", "__gte")
# Not thresholds: each with why.
ALLOWED = {
    "safetynet/policy/columns.py: age constant MAX_AGE":
        "the size of the vectorised age table (ages 0-150), a bound of the table, not a rule",
}


def business_modules() -> list[Path]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not any(relative == e or relative.startswith(f"{e}/") or f"/{e}/" in f"/{relative}"
                   for e in EXCLUDED):
            found.append(path)
    return found


def words(node: ast.AST) -> set[str]:
    """The lower-case words of the name a node refers to (``p.age_on(d)`` -> age, on, p)."""
    if isinstance(node, ast.Call):
        return words(node.func)
    if isinstance(node, ast.Attribute):
        return words(node.value) | _split(node.attr)
    if isinstance(node, ast.Name):
        return _split(node.id)
    if isinstance(node, ast.Subscript):
        return words(node.value)
    if isinstance(node, ast.BinOp):
        return words(node.left) | words(node.right)
    return set()


def _split(name: str) -> set[str]:
    return {w for w in re.split(r"[_\W]+", name.lower()) if w}


def number(node: ast.AST) -> bool:
    """A numeric literal other than 0 (0 is a sanity bound, not a threshold)."""
    if isinstance(node, ast.UnaryOp):
        return number(node.operand)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id == "Decimal" and node.args:
        arg = node.args[0]
        return isinstance(arg, ast.Constant) and isinstance(arg.value, str) and \
            _nonzero(arg.value)
    return isinstance(node, ast.Constant) and not isinstance(node.value, bool) and \
        isinstance(node.value, int | float) and node.value != 0


def _nonzero(text: str) -> bool:
    try:
        return float(text) != 0
    except ValueError:
        return False


def literals(node: ast.AST) -> bool:
    if isinstance(node, ast.Tuple | ast.List):
        return bool(node.elts) and all(number(e) for e in node.elts)
    return number(node)


def findings(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            yield from _compare(node)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            yield from _constant(node)
        elif isinstance(node, ast.Call):
            yield from _call(node)


def _compare(node: ast.Compare) -> Iterator[tuple[int, str]]:
    operands = [node.left, *node.comparators]
    for left, right in zip(operands, operands[1:], strict=False):
        for side, other in ((left, right), (right, left)):
            if number(other) and words(side) & AGE_WORDS:
                yield node.lineno, "age compared with a number"
            elif number(other) and words(side) & AMOUNT_WORDS:
                yield node.lineno, "amount compared with a number"


def _constant(node: ast.Assign | ast.AnnAssign) -> Iterator[tuple[int, str]]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    for target in targets:
        names = target.elts if isinstance(target, ast.Tuple) else [target]
        for name in names:
            if isinstance(name, ast.Name) and _split(name.id) & AGE_WORDS and \
                    node.value is not None and _bound_number(node.value, name, target):
                yield node.lineno, f"age constant {name.id}"


def _bound_number(value: ast.AST, name: ast.Name, target: ast.AST) -> bool:
    if isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
        index = target.elts.index(name)
        return index < len(value.elts) and number(value.elts[index])
    return literals(value)


def _call(node: ast.Call) -> Iterator[tuple[int, str]]:
    name = node.func.attr if isinstance(node.func, ast.Attribute) else \
        node.func.id if isinstance(node.func, ast.Name) else ""
    if name in AGE_HELPERS and any(number(a) for a in node.args):
        yield node.lineno, f"{name}() with a number"
    for keyword in node.keywords:
        field = keyword.arg or ""
        if field.endswith(LOOKUPS) and _split(field) & FILTER_WORDS and number(keyword.value):
            yield node.lineno, f"filter {field} with a number"


def scan(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    relative = path.relative_to(PACKAGE.parent).as_posix()
    return [f"{relative}:{line}: {what}" for line, what in sorted(set(findings(tree)))]


def _without_line(finding: str) -> str:
    path, _line, what = finding.split(":", 2)
    return f"{path}:{what}"


def test_no_age_or_amount_literal_in_business_code() -> None:
    found = [line for path in business_modules() for line in scan(path)
             if _without_line(line) not in ALLOWED]
    assert not found, "thresholds belong in policy/parameters/:\n" + "\n".join(found)


@pytest.mark.parametrize("source", [
    "if person.age_on(day) >= 60: pass",
    "adult = p.age < 18",
    "MINOR_AGE = 14",
    "WORKING_AGES = (16, 59)",
    "ELDERLY_AGE, VERY_OLD = 60, 80",
    "cut = latest_birth_for_age(on, 16)",
    "q = Person.objects.filter(disability_grade__lte=2)",
    "q = Person.objects.filter(birth_date__lte=_born_before(d, 80))",
    "ok = household.monthly_amount > Decimal('1000')",
    "ok = income < 2000",
])
def test_the_scanner_finds_each_kind_of_literal(source: str) -> None:
    assert list(findings(ast.parse(source)))


@pytest.mark.parametrize("source", [
    "ok = p.age >= 0",
    "young = age < parameter_value('children.minor_age', area, on)",
    "LEFT_BEHIND_AGE = 'children.left_behind_age'",
    "page = items[:100]",
    "ok = amount > 0",
])
def test_the_scanner_lets_parameters_and_non_thresholds_pass(source: str) -> None:
    assert not list(findings(ast.parse(source)))
