"""The project's structural rules (DESIGN.md), checked on the source with ``ast``.

- ``core/`` imports neither streamlit nor plotly; ``figures/`` imports no streamlit.
- Nothing calls ``eval`` or ``exec`` (core, the pages, the UI helpers, the entry point).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CORE = REPO_ROOT / "core"
FIGURES = REPO_ROOT / "figures"
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


@pytest.mark.parametrize("path", python_files(CORE, *FRONT_END), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_eval_or_exec(path: Path) -> None:
    lines = eval_calls(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.relative_to(REPO_ROOT)} calls eval/exec on line(s) {lines}"


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
