"""The house has no import cycle, also none hidden behind function-level imports, and no
service module imports its app's background tasks (jobs.py queues them; issue #18)."""

from __future__ import annotations

import ast
from pathlib import Path

import safetynet

ROOT = Path(safetynet.__file__).resolve().parent


def modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = ("safetynet", *path.relative_to(ROOT).with_suffix("").parts)
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """Every safetynet module ``name`` imports, at the top or inside a function."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                targets.add(child if child in known else base)
        elif isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
    return {t for t in targets if t in known and t != name}


def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imported(name, path, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycle() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]


def test_services_never_import_tasks() -> None:
    edges = graph()
    offenders = sorted(
        f"{name} -> {target}"
        for name, targets in edges.items()
        if name.rsplit(".", 1)[-1] in {"services", "selectors"}
        for target in targets
        if target.rsplit(".", 1)[-1] == "tasks"
    )
    assert offenders == []


ALLOWED = Path(__file__).resolve().parents[1] / "function_imports.txt"


def unexplained_function_imports() -> dict[str, int]:
    """Per file, the imports inside a function with no comment saying why: on their own
    line(s), or on the line above their block of consecutive imports."""
    counts: dict[str, int] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        seen: set[int] = set()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            imports = sorted((inner for inner in ast.walk(node)
                              if isinstance(inner, (ast.Import, ast.ImportFrom))),
                             key=lambda inner: inner.lineno)
            explained_until = 0
            for inner in imports:
                if inner.lineno in seen:
                    continue
                seen.add(inner.lineno)
                end = inner.end_lineno or inner.lineno
                own = any("#" in line for line in lines[inner.lineno - 1:end])
                above = lines[inner.lineno - 2].strip()
                if above.startswith("#"):
                    explained_until = end
                elif explained_until == inner.lineno - 1:
                    explained_until = end  # the comment above the block covers it
                if own or explained_until == end:
                    continue
                name = str(path.relative_to(ROOT.parent))
                counts[name] = counts.get(name, 0) + 1
    return counts


def allowed_function_imports() -> dict[str, int]:
    allowed: dict[str, int] = {}
    for line in ALLOWED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, count, reason = line.split(" ", 2)
            assert reason.strip(), f"{path}: give the reason"
            allowed[path] = int(count)
    return allowed


def test_function_level_imports_say_why() -> None:
    """An import inside a function needs a comment why (Django's app registry, an optional
    dependency); the allow-list only shrinks."""
    allowed = allowed_function_imports()
    over = {path: count for path, count in unexplained_function_imports().items()
            if count > allowed.get(path, 0)}
    assert over == {}


def test_the_function_import_allow_list_only_shrinks() -> None:
    now = unexplained_function_imports()
    stale = {path: count for path, count in allowed_function_imports().items()
             if now.get(path, 0) < count}
    assert stale == {}, "fewer unexplained imports now: lower these counts"
