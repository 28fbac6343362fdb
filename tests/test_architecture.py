"""The project's structural rules (README.md, "Layout"), checked on the source with ``ast``.

- ``core/`` imports neither streamlit nor plotly; ``figures/`` imports neither streamlit nor plotly (a figure is
  the plain dictionary plotly.js reads); in the front end only ``ui/charts.py`` imports plotly.
- Nothing imports a page (``app_pages/``): pages are scripts that ``st.navigation`` runs.
- The project-internal imports form no cycle (a circle means a concept is split in the wrong place).
- Nothing calls ``eval`` or ``exec`` (core, the pages, the UI helpers, the entry point).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CORE = REPO_ROOT / "core"
FIGURES = REPO_ROOT / "figures"
CHARTS = REPO_ROOT / "ui" / "charts.py"  # the front end's one way to plotly
#: The project's packages (with app.py, everything whose imports are checked for cycles).
PACKAGES = ("core", "figures", "ui", "app_pages", "tests")
# The front end: the entry point and whichever of these folders exist.
FRONT_END = [REPO_ROOT / "app.py", REPO_ROOT / "pages", REPO_ROOT / "app_pages", REPO_ROOT / "ui"]


def python_files(*roots: Path) -> list[Path]:
    files: list[Path] = []
    for root in roots:
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files.extend(sorted(root.rglob("*.py")))
    return files


def imported_modules(source: str) -> set[str]:
    """Top-level names of every module the source imports (statements, ``__import__`` and ``import_module``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and _call_name(node) in {"__import__", "import_module"} and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value.split(".")[0])
    return found


def _call_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def module_name(path: Path) -> str:
    """The dotted name a project file is imported as (``core/model/__init__.py`` -> ``core.model``)."""
    parts = list(path.relative_to(REPO_ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def internal_imports(source: str, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """The project modules that the module ``name`` imports, anywhere in its source.

    ``import a.b`` and ``from a.b import c`` depend on ``a.b`` (and on ``a.b.c`` when that is a module);
    relative imports are resolved against the module's package. Importing ``a.b`` also runs ``a``'s
    ``__init__``; that is not counted as a dependency, or every package would be a cycle with its children.
    """
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)] if package else []
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for target in targets:
            # The longest prefix that is a project module (``import core.model.rules as r`` names a module).
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    """Every project module (the entry point, core, figures, ui, the pages, the tests) and what it imports."""
    files = python_files(REPO_ROOT / "app.py", *(REPO_ROOT / d for d in PACKAGES))
    names = {module_name(p): p for p in files}
    return {name: internal_imports(path.read_text(encoding="utf-8"), name, path.name == "__init__.py", set(names))
            for name, path in names.items()}


def find_cycle(graph: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A cycle ``[a, b, …, a]`` of the directed graph, or None if it is acyclic (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in sorted(graph):
        if root in state:
            continue
        path, stack = [root], [iter(sorted(graph.get(root, ())))]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return None


def eval_calls(source: str) -> list[int]:
    """Line numbers of calls to ``eval``/``exec`` (bare, ``builtins.eval``, or any ``.eval(...)``/``.exec(...)``)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and _call_name(node) in {"eval", "exec"}]


# --- the checkers themselves can fail ----------------------------------------------------------------


def test_import_checker_sees_every_spelling() -> None:
    source = """
import numpy as np
import streamlit as st
from plotly import graph_objects
from plotly.express import line
import importlib
x = importlib.import_module("altair.vegalite")
y = __import__("bokeh")
from . import sibling
"""
    assert imported_modules(source) == {"numpy", "streamlit", "plotly", "importlib", "altair", "bokeh"}


def test_eval_checker_sees_every_spelling() -> None:
    source = """
eval("1 + 1")
import builtins
builtins.exec("x = 1")
evaluate = 3
print("eval(") # a string is not a call
"""
    assert eval_calls(source) == [2, 4]


def test_cycle_checker_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set(), "d": {"a", "c"}}) is None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": {"x"}}) == ["x", "x"]
    assert find_cycle({"a": {"b", "z"}, "b": set(), "z": {"y"}, "y": {"z"}}) == ["z", "y", "z"]


def test_import_graph_sees_every_spelling() -> None:
    modules = {"core", "core.model", "core.model.rules", "core.model.simplex", "core.curves", "figures",
               "figures.style"}
    source = """
import core.model.rules as r
from core.curves import binary_curve
from core.model import simplex
from . import style
from .style import STYLE
import numpy
def late():
    from figures import STYLE
"""
    assert internal_imports(source, "figures.binary", False, modules) == {
        "core.model.rules", "core.curves", "core.model", "core.model.simplex", "figures", "figures.style"}
    assert internal_imports("from .rules import x\nfrom .. import curves", "core.model", True, modules) == {
        "core.model.rules", "core", "core.curves"}


# --- the rules --------------------------------------------------------------------------------------


def test_core_has_modules_to_check() -> None:
    names = {p.name for p in python_files(CORE)}
    assert {"simplex.py", "rules.py", "worlds.py", "scenario.py", "__main__.py"} <= names
    assert python_files(FIGURES)


@pytest.mark.parametrize("path", python_files(CORE), ids=lambda p: p.name)
def test_core_never_imports_streamlit(path: Path) -> None:
    assert "streamlit" not in imported_modules(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", python_files(CORE), ids=lambda p: p.name)
def test_core_never_imports_plotly(path: Path) -> None:
    assert "plotly" not in imported_modules(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", python_files(FIGURES), ids=lambda p: p.name)
def test_figures_never_import_streamlit(path: Path) -> None:
    assert "streamlit" not in imported_modules(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", python_files(FIGURES), ids=lambda p: p.name)
def test_figures_never_import_plotly(path: Path) -> None:
    """Figures are plain dictionaries: building plotly's graph objects cost more than the rest of a rerun."""
    assert "plotly" not in imported_modules(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [p for p in python_files(*FRONT_END) if p != CHARTS],
                         ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_front_end_reaches_plotly_only_through_the_charts_module(path: Path) -> None:
    assert "plotly" not in imported_modules(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", python_files(CORE, *FRONT_END), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_eval_or_exec(path: Path) -> None:
    lines = eval_calls(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(REPO_ROOT)} calls eval/exec on line(s) {lines}"


def test_nothing_imports_a_page() -> None:
    graph = import_graph()
    assert any(name.startswith("app_pages.") for name in graph)
    importers = {name: sorted(t for t in targets if t == "app_pages" or t.startswith("app_pages."))
                 for name, targets in graph.items()}
    assert not {name: pages for name, pages in importers.items() if pages}


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert {"app", "core", "core.analysis", "figures.style", "ui.compute"} <= set(graph)
    assert "core.analysis" in graph["core"] and "core" in graph["figures.triangle"]  # the graph has edges
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def stop_calls(source: str) -> list[int]:
    """Line numbers of calls to ``st.stop()`` (any ``.stop()`` of a module called ``st``)."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "stop"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "st"]


@pytest.mark.parametrize("path", python_files(*FRONT_END), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_st_stop(path: Path) -> None:
    """After ``st.stop()`` nothing of the run happens, not even writing the URL (app.py, after the page):
    a page ends early with ``ui.state.stop_page()``, which app.py catches."""
    lines = stop_calls(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(REPO_ROOT)} calls st.stop() on line(s) {lines}; use state.stop_page()"


#: Streamlit calls the front end does not use, and what it uses instead.
REPLACED = {"plotly_chart": "ui.charts.chart (a chart that updates in place instead of being rebuilt)",
            "dataframe": "ui.components.table (static, where the interactive grid is slow to redraw)",
            "table": "ui.components.table (HTML, where st.table's Arrow code is a first visit's largest download)"}


def replaced_calls(source: str) -> list[tuple[int, str]]:
    """Line numbers and names of calls ``<anything>.plotly_chart(...)``, ``.dataframe(...)`` or ``.table(...)``."""
    return [(node.lineno, node.func.attr) for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in REPLACED]


def test_replaced_calls_are_found() -> None:
    source = "import streamlit as st\nst.plotly_chart(fig)\ncolumn.dataframe(frame)\nst.table(frame)\ntable(frame)\n"
    assert replaced_calls(source) == [(2, "plotly_chart"), (3, "dataframe"), (4, "table")]


@pytest.mark.parametrize("path", python_files(*FRONT_END), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_one_way_to_draw_charts_and_tables(path: Path) -> None:
    found = replaced_calls(path.read_text(encoding="utf-8"))
    assert not found, [f"{path.relative_to(REPO_ROOT)}:{line} calls {name}; use {REPLACED[name]}"
                       for line, name in found]


# --- the facade -------------------------------------------------------------------------------------


def core_imports(source: str) -> list[tuple[str, str]]:
    """(module, name) of every import of ``core`` or below in the source; name is "" for ``import core...``."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((a.name, "") for a in node.names if a.name.split(".")[0] == "core")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "core":
            found.extend((node.module, a.name) for a in node.names)
    return found


def test_facade_checker_sees_every_spelling() -> None:
    source = "import core.model\nfrom core.curves import cobweb\nfrom core import analyze\ndef f():\n    import core\n"
    assert core_imports(source) == [("core.model", ""), ("core.curves", "cobweb"), ("core", "analyze"), ("core", "")]


FACADE_USERS = python_files(REPO_ROOT / "app.py", REPO_ROOT / "app_pages", REPO_ROOT / "ui", FIGURES)


@pytest.mark.parametrize("path", FACADE_USERS, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_the_front_end_imports_core_only_through_its_facade(path: Path) -> None:
    import core
    wrong = [(module, name) for module, name in core_imports(path.read_text(encoding="utf-8"))
             if module != "core" or name not in core.__all__]
    assert not wrong, f"{path.relative_to(REPO_ROOT)} imports {wrong}: import these from core (add them to __all__)"


def test_the_facade_exports_what_it_lists() -> None:
    import core
    assert len(core.__all__) == len(set(core.__all__))
    assert all(hasattr(core, name) for name in core.__all__)
    users = {name for path in FACADE_USERS for module, name in core_imports(path.read_text(encoding="utf-8"))}
    assert {"analyze", "Scenario", "sweep", "run_study", "DecisionProblem"} <= users  # the check sees real imports
