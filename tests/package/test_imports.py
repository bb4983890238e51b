"""planlib's imports, read from the source (module-level and function-local alike): no
circle between planlib modules, no module importing another module's private name, and
every import going down the layers of docs/architecture.md (inputs -> core -> outputs ->
faces, and core's own lines).

Imports under ``if TYPE_CHECKING:`` never run and are left out. Importing a module counts
as an edge to that module (a package's ``__init__`` only when the import names the package
itself), the way import-linter and pydeps draw the graph.

Any circle or private import fails, printing where it is (the evaluation <-> batch circle
and its two private imports were removed in issue #15)."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable, Sequence
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


#: The layers of docs/architecture.md, lowest first: a module imports only its own layer and
#: those before it. The base holds what everything reads: constants, errors, the paths of a
#: project and the two light registries the plan checks read (model specs, target kinds).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("planlib", "planlib.constants", "planlib.errors", "planlib.config",
              "planlib.project_folder", "planlib.core.models.registry",
              "planlib.core.targets")),
    ("inputs", ("planlib.inputs",)),
    ("core", ("planlib.core",)),
    ("outputs", ("planlib.outputs", "planlib.fonts")),
    ("faces", ("planlib.cli", "planlib.pipeline", "planlib.suite", "planlib.skeleton")),
)

#: The lines of core's picture in docs/architecture.md, top first: a core module imports
#: only modules of its own line or the lines above it.
CORE_LINES: tuple[tuple[str, ...], ...] = (
    ("targets",),
    ("labels", "options", "columns", "forked", "models.registry", "models.level_shifts",
     "models.widening"),
    ("progress", "notes", "area_rule", "reliability"),
    ("stages",),
    ("cycle_labels", "cycle_columns", "series"),
    ("models",),
    ("batch.panel", "batch.fits", "batch.damped", "batch.backtest", "batch.auto",
     "batch.mixture"),
    ("models.predictive", "models.paths", "models.api", "models.cohort",
     "models.cohort_choice"),
    ("result",),
    ("outlook", "drivers"),
    ("batch",),
    ("panel_results",),
    ("evaluation",),
    ("dask_table", "proposal", "regions"),
)


def _place(module: str, places: Sequence[tuple[str, ...]], prefix: str = "") -> int | None:
    """The index of the entry naming ``module`` or a package holding it (the longest name
    wins; the root ``planlib`` names only its ``__init__``), or None."""
    best: tuple[int, int] | None = None
    for i, names in enumerate(places):
        for name in names:
            full = prefix + name
            holds = module == full or (full != "planlib" and module.startswith(full + "."))
            if holds and (best is None or len(full) > best[1]):
                best = (i, len(full))
    return None if best is None else best[0]


def _layer(module: str) -> int | None:
    return _place(module, [names for _, names in LAYERS])


def _core_line(module: str) -> int | None:
    if module == "planlib.core":
        return 0
    return _place(module, CORE_LINES, "planlib.core.")


def upward_imports(graph: dict[str, frozenset[str]],
                   place: Callable[[str], int | None]) -> list[str]:
    """Every edge from a module to one placed after it, and every module not placed."""
    found = []
    for module in sorted(graph):
        here = place(module)
        if here is None:
            found.append(f"{module} has no place")
            continue
        found += [f"{module} -> {target}" for target in sorted(graph[module])
                  if (there := place(target)) is not None and there > here]
    return found


def test_the_layer_check_finds_an_upward_import() -> None:
    """On a small graph with a known answer: an edge up and a module without a place."""
    toy = {"planlib.inputs.a": frozenset({"planlib.core.b", "planlib.errors"}),
           "planlib.core.b": frozenset({"planlib.inputs.a"}), "planlib.errors": frozenset(),
           "planlib.stray": frozenset()}
    assert upward_imports(toy, _layer) == ["planlib.inputs.a -> planlib.core.b",
                                           "planlib.stray has no place"]
    assert _core_line("planlib.core.models.registry") == 1
    assert _core_line("planlib.core.models.trends") == 5


def test_layers_import_only_to_their_left() -> None:
    """inputs -> core -> outputs -> faces (docs/architecture.md), over a base."""
    found = upward_imports(import_graph(), _layer)
    assert not found, "imports against the layers (move the code, or place the module in " \
        "LAYERS and docs/architecture.md): " + "; ".join(found)


def test_core_modules_import_only_the_lines_above_them() -> None:
    """core's own picture in docs/architecture.md, line by line."""
    core = {m: t for m, t in import_graph().items() if m.startswith("planlib.core")}
    found = upward_imports(core, _core_line)
    assert not found, "core imports against its picture (move the code, or place the " \
        "module in CORE_LINES and docs/architecture.md): " + "; ".join(found)


def test_no_test_imports_a_private_planlib_name() -> None:
    """Tests use planlib as its users do: a name a test needs is public (benchmarks too)."""
    root = PACKAGE.parent
    found = []
    for path in sorted([*(root / "tests").rglob("*.py"), *(root / "benchmarks").glob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found += [f"{path.relative_to(root)} line {node.lineno}: {alias.name}"
                  for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                  and (node.module or "").split(".")[0] == "planlib"
                  for alias in node.names
                  if alias.name.startswith("_") and not alias.name.startswith("__")]
    assert not found, "private planlib names imported by tests: " + "; ".join(found)
