"""The package's layout rules (docs/architecture.md, "Layout rules"), read
from the source with ``ast``: nothing is imported or run.

- no module over 400 lines; at most 6 modules at the package's top level,
  at least 4 subpackages;
- imports run one way: domain ← inputs ← roles ← scenarios ← engine ← runs
  ← reports ← experiments ← backtest ← service ← cli / api / viz
  (``errors`` and ``runtime`` are leaves anyone may use); nothing reaches
  up, not even inside a function, and no two units of one rank import each
  other;
- no import cycle among the package's modules, counting imports inside
  functions and the modules a package imports by listing itself (roles/);
- the engine imports no plotting, no report, no experiment and not the
  real deal (``inputs.sources``); neither it nor ``domain`` reaches the
  real deal through any chain of imports.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "negotiation"
MAX_LINES = 400
MAX_TOP_LEVEL_MODULES = 6
MIN_SUBPACKAGES = 4

# Rank of each top-level unit: a unit may import units of a lower rank.
LAYERS = {
    "errors": 0, "runtime": 0,  # leaves: import nothing of the package
    "domain": 1,
    "llm": 2,  # language-model parties: prompt, client and cache (uses domain; the engine's agent uses it)
    "inputs": 2,  # the readers: YAML, values, a key's pydantic node, facts and the real deal
    "roles": 3,  # one module per role, parsing its keys with inputs' readers
    "scenarios": 4,  # a whole scenario: its model dispatches to the roles' models; the loader builds the parties
    "engine": 5,
    "runs": 6,
    "reports": 7,
    "experiments": 8,  # an experiment's summary uses the reports' comparison and analysis
    "backtest": 9,
    "service": 10,  # the application service the ways in call: load, change, simulate, compare, experiments
    "api": 11, "cli": 11, "viz": 11,  # the ways in: Python, the command line, the browser app
    "__main__": 12,
}
ENGINE_FORBIDDEN = ("matplotlib", "negotiation.reports", "negotiation.experiments", "negotiation.backtest",
                    "negotiation.inputs.sources")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = ("negotiation", *path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(importer: str, is_package: bool, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute names of what ``node`` imports (``from . import x`` gives ``pkg.x``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level == 0:
        return [node.module or ""]
    package = importer.split(".")
    if not is_package:
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    if node.module:
        return [".".join([*base, *node.module.split(".")])]
    return [".".join([*base, alias.name]) for alias in node.names]


def imports(path: Path, root: Path = PACKAGE) -> list[tuple[str, int, bool]]:
    """(imported name, line, deferred) for every import outside ``if TYPE_CHECKING:``;
    deferred = inside a function body."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name, found = module_name(path, root), []

    def walk(node: ast.AST, deferred: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for orelse in child.orelse:
                    walk(orelse, deferred)
                continue
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in resolve(name, path.name == "__init__.py", child):
                    found.append((target, child.lineno, deferred))
            walk(child, deferred or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    walk(tree, False)
    return found


def unit(name: str) -> str | None:
    """The top-level unit of a module of the package (None for the package itself)."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def test_resolve_reads_relative_imports_as_python_does():
    node = ast.parse("from ..reports.compare import compare").body[0]
    assert resolve("negotiation.engine.model", False, node) == ["negotiation.reports.compare"]
    node = ast.parse("from . import experiments").body[0]
    assert resolve("negotiation.cli", True, node) == ["negotiation.cli.experiments"]
    node = ast.parse("from .. import __version__").body[0]
    assert resolve("negotiation.cli", True, node) == ["negotiation.__version__"]


def test_imports_found_include_deferred_ones_and_skip_type_checking(tmp_path):
    module = tmp_path / "negotiation" / "engine" / "x.py"
    module.parent.mkdir(parents=True)
    module.write_text("from typing import TYPE_CHECKING\nfrom ..domain import outcomes\n"
                      "if TYPE_CHECKING:\n    from ..reports import summary\n"
                      "def f():\n    import matplotlib\n")
    assert imports(module, tmp_path / "negotiation") == [("typing", 1, False), ("negotiation.domain", 2, False), ("matplotlib", 6, True)]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines: split it by job"


def test_a_few_modules_at_the_top_and_subpackages_below():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    subpackages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert len(top) <= MAX_TOP_LEVEL_MODULES, f"top-level modules: {top}"
    assert len(subpackages) >= MIN_SUBPACKAGES, f"subpackages: {subpackages}"
    for name in [p.removesuffix(".py") for p in top if p != "__init__.py"] + subpackages:
        assert name in LAYERS, f"{name} has no layer: place it in LAYERS here and in docs/architecture.md"


def exists(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def test_every_import_of_the_package_names_a_module_that_exists():
    """A relative import with one dot too few (``from .x`` in a package's
    ``__init__``) fails only when its function runs: catch it here."""
    wrong = []
    for path in modules():
        name = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                targets = resolve(name, path.name == "__init__.py", node)
                if isinstance(node, ast.ImportFrom) and not node.module:  # from . import x: x may be a name
                    targets = [t.rsplit(".", 1)[0] for t in targets]
                wrong += [f"{name}:{node.lineno} imports {t}, which does not exist"
                          for t in targets if t.startswith("negotiation.") and not exists(t)]
    assert not wrong, "\n".join(wrong)


def test_imports_run_one_way():
    wrong = []
    for path in modules():
        importer = module_name(path)
        source = unit(importer)
        if source is None:  # the package's __init__: a lazy facade over api
            continue
        for target, line, deferred in imports(path):
            if not target.startswith("negotiation."):
                continue
            dest = unit(target)
            if dest in (None, source) or dest.startswith("__"):  # itself, or the package root (__version__)
                continue
            if dest not in LAYERS:
                wrong.append(f"{importer}:{line} imports {target}: {dest} has no layer")
            elif LAYERS[dest] < LAYERS[source]:
                continue
            else:
                wrong.append(f"{importer}:{line} imports {target} ({source} may not import {dest})")
    assert not wrong, "\n".join(wrong)


def test_the_engine_imports_no_plot_report_or_real_deal():
    wrong = []
    for path in (PACKAGE / "engine").rglob("*.py"):
        for target, line, _ in imports(path):
            if any(target == f or target.startswith(f + ".") for f in ENGINE_FORBIDDEN):
                wrong.append(f"{module_name(path)}:{line} imports {target}")
        text = path.read_text(encoding="utf-8")
        if "real_deal" in text or "Truth" in text:
            wrong.append(f"{module_name(path)} names the real deal")
    assert not wrong, "\n".join(wrong)


REAL_DEAL = "negotiation.inputs.sources"


def test_neither_the_engine_nor_the_domain_reaches_the_real_deal():
    """Not even through a chain of imports (a scenario type imported from the
    loader, say): what the model is given cannot name the real deal."""
    graph = import_graph()
    wrong = []
    for start in sorted(m for m in graph if unit(m) in ("engine", "domain")):
        seen, todo, via = {start}, [start], {start: start}
        while todo:
            here = todo.pop()
            for nxt in sorted(graph.get(here, ())):
                if nxt not in seen:
                    seen.add(nxt)
                    via[nxt] = here
                    todo.append(nxt)
        if REAL_DEAL in seen:
            chain, at = [REAL_DEAL], REAL_DEAL
            while at != start:
                at = via[at]
                chain.append(at)
            wrong.append(" → ".join(reversed(chain)))
    assert not wrong, "\n".join(wrong)


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module → the package's modules it imports (at import time, inside a
    function, or, for a package that lists itself with
    ``pkgutil.iter_modules(__path__)`` as ``roles/`` does, every submodule
    whose name does not start with ``_``). ``from .mod import name`` imports
    ``mod``; ``from . import name`` the submodule ``name`` when there is one,
    else the package."""
    paths = sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)
    names = {module_name(p, root) for p in paths}

    def owner(target: str) -> str | None:
        while target and target not in names:
            target = target.rpartition(".")[0]
        return target or None

    graph: dict[str, set[str]] = {}
    for path in paths:
        importer = module_name(path, root)
        edges = graph.setdefault(importer, set())
        for target, _, _ in imports(path, root):
            found = owner(target) if target.startswith("negotiation") else None
            if found is not None and found != importer:
                edges.add(found)
        if path.name == "__init__.py" and "pkgutil.iter_modules(__path__)" in path.read_text(encoding="utf-8"):
            edges |= {module_name(p, root) for p in path.parent.glob("*.py") if not p.name.startswith("_")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, …, a]``, or ``None``: a depth-first
    search, where an edge back to a module still on the path closes a cycle."""
    done: set[str] = set()
    for start in sorted(graph):
        if start in done:
            continue
        path = [start]
        where = {start: 0}  # module on the path → its position
        todo = [iter(sorted(graph.get(start, ())))]
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:  # every import of path[-1] explored
                finished = path.pop()
                del where[finished]
                done.add(finished)
                todo.pop()
            elif nxt in where:
                return path[where[nxt]:] + [nxt]
            elif nxt not in done:
                where[nxt] = len(path)
                path.append(nxt)
                todo.append(iter(sorted(graph.get(nxt, ()))))
    return None


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None  # a diamond is no cycle
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"b"}}) == ["b", "c", "b"]
    assert find_cycle({"x": {"x"}}) == ["x", "x"]


def test_the_graph_counts_imports_inside_functions_and_self_listing_packages(tmp_path):
    """A deferred import closes a cycle as surely as one at the top: the
    import runs when the function does."""
    root = tmp_path / "negotiation"
    (root / "roles").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "engine.py").write_text("def build():\n    from .roles import x\n")
    (root / "roles" / "__init__.py").write_text("import pkgutil\nNAMES = list(pkgutil.iter_modules(__path__))\n")
    (root / "roles" / "x.py").write_text("from .. import engine\n")
    (root / "roles" / "_hidden.py").write_text("")
    graph = import_graph(root)
    assert graph["negotiation.roles"] == {"negotiation.roles.x"}  # listed, but not _hidden
    assert find_cycle(graph) == ["negotiation.engine", "negotiation.roles", "negotiation.roles.x", "negotiation.engine"]


def test_no_import_cycle_among_the_package_modules():
    """Each module can be read (and imported) after the ones it imports: no
    package ``__init__`` that its own submodules import back, no two modules
    that need each other, even inside functions."""
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])
