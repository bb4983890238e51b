"""planlib's imports, read from the source (module-level and function-local alike): no
circle between planlib modules, and no module importing another module's private name.

Imports under ``if TYPE_CHECKING:`` never run and are left out. Importing a module counts
as an edge to that module (a package's ``__init__`` only when the import names the package
itself), the way import-linter and pydeps draw the graph.

Any circle or private import fails, printing where it is (the evaluation <-> batch circle
and its two private imports were removed in issue #15)."""

from __future__ import annotations

import ast
from collections import deque
from functools import cache
from pathlib import Path

import planlib

PACKAGE = Path(planlib.__file__).resolve().parent

def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    """Every planlib module by dotted name."""
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks (they never run)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return skip


@cache
def _imports(name: str) -> list[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in module ``name``
    that runs, relative imports resolved."""
    path = _modules()[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    skip = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[str, str | None, int]] = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [(base, alias.name, node.lineno) for alias in node.names]
    return found


@cache
def import_graph() -> dict[str, frozenset[str]]:
    """module -> the planlib modules it imports (``from pkg import mod`` is an edge to mod)."""
    modules = _modules()
    graph: dict[str, frozenset[str]] = {}
    for name in modules:
        targets = set()
        for module, imported, _ in _imports(name):
            sub = f"{module}.{imported}" if imported else None
            target = sub if sub in modules else module
            if target in modules and target != name:
                targets.add(target)
        graph[name] = frozenset(targets)
    return graph


def circles(graph: dict[str, frozenset[str]]) -> list[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def shortest_cycle(graph: dict[str, frozenset[str]], members: frozenset[str]) -> list[str]:
    """A shortest cycle through the component's first module, as a path (first = last)."""
    start = min(members)
    parents: dict[str, str] = {}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(graph[v] & members):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(parents[path[-1]])
                return [*reversed(path), start]
            if w not in parents:
                parents[w] = v
                queue.append(w)
    return [start]


def _describe(graph: dict[str, frozenset[str]], members: frozenset[str]) -> str:
    return (" -> ".join(shortest_cycle(graph, members))
            + f"  (circle of {len(members)} modules: {', '.join(sorted(members))})")


@cache
def _private_imports() -> list[tuple[str, str, str, int]]:
    """(importer, module, name, line) for every planlib name starting with one underscore
    imported from another planlib module."""
    found = []
    for name in _modules():
        for module, imported, line in _imports(name):
            if (module.split(".")[0] == "planlib" and imported and imported.startswith("_")
                    and not imported.startswith("__") and module != name):
                found.append((name, module, imported, line))
    return found


def test_the_graph_sees_module_level_and_function_local_imports() -> None:
    """The walker finds what the checks rely on: a module-level edge, a function-local
    one, and both ends of a real circle (checked on a small graph with a known answer)."""
    graph = import_graph()
    assert len(graph) > 50
    assert "planlib.inputs.plan" in graph["planlib.pipeline"]
    local = [(m, i) for m, i, _ in _imports("planlib.pipeline") if m.endswith("out_dir")]
    assert local, "run_plan's function-local import of outputs.out_dir is missing"
    toy = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}),
           "d": frozenset({"a"})}
    assert circles(toy) == [frozenset({"a", "b", "c"})]
    assert shortest_cycle(toy, frozenset({"a", "b", "c"})) == ["a", "b", "c", "a"]


def test_no_import_circle() -> None:
    graph = import_graph()
    found = circles(graph)
    assert not found, "import circle: " + "; ".join(_describe(graph, c) for c in found)


def test_no_other_module_imports_a_private_name() -> None:
    new = _private_imports()
    assert not new, "private names imported across modules (make them public or move " \
        "the code): " + "; ".join(f"{i} line {n}: from {m} import {p}" for i, m, p, n in new)
