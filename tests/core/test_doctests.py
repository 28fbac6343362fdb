"""The Examples in core's docstrings run, and show what they say (numpydoc Examples as doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import core

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(core.__path__, "core.")
                 if not name.endswith("__main__"))


@pytest.mark.parametrize("name", ["core", *MODULES])
def test_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_the_main_entry_points_have_examples() -> None:
    finder = doctest.DocTestFinder()
    for function in (core, core.solve_batch):
        examples = sum(len(test.examples) for test in finder.find(function))
        assert examples >= 2, f"{function.__name__} has no runnable Examples"
