"""Exported views run: the notebook in a real Jupyter kernel (nbclient), the script in a fresh interpreter, and
the numbers they print are the ones the page shows (its results table is ``analyze(scenario).report()``)."""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from core.analysis import analyze
from core.export import export
from core.model.presets import get_preset
from core.model.scenario import Scenario
from tests.notebooks import REPO_ROOT, first_json, run_notebook

CASES = [("binary", "notebook-log"), ("binary", "bank-run"), ("triangle", "coordination"),
         ("triangle", "route-choice")]


@pytest.mark.parametrize("view, preset", CASES)
def test_the_notebook_runs_and_prints_the_pages_numbers(view: str, preset: str) -> None:
    scenario = get_preset(preset).scenario
    report, nb = run_notebook(export(scenario, view, "ipynb"))
    assert report == analyze(scenario).report()
    charts = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs
              if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(charts) == (2 if view == "binary" else 1)


def test_the_script_runs_and_prints_the_pages_numbers(tmp_path) -> None:
    scenario = get_preset("route-choice").scenario
    path = tmp_path / "route.py"
    path.write_text(export(scenario, "triangle", "py"))
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT), "PLOTLY_RENDERER": "json"}
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert first_json(result.stdout) == analyze(scenario).report()


def test_outcome_names_stay_data() -> None:
    # A name that looks like code stays data: inside the JSON string, and (newlines included) inside the
    # header's comment lines. The script rebuilds exactly this scenario and runs nothing else.
    base = get_preset("notebook-log").scenario
    names = ["''')+print('owned')#", "b\nprint('owned')\r\nprint('owned')"]
    scenario = Scenario.from_dict({**base.to_dict(), "outcomes": names})
    code = export(scenario, "binary", "py")
    setup = code.split("# The page's numbers")[0]
    result = subprocess.run([sys.executable, "-c", setup + "\nprint(scenario.to_json())"], capture_output=True,
                            text=True, env=os.environ | {"PYTHONPATH": str(REPO_ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("{")  # nothing ran before the scenario was printed
    assert Scenario.from_json(result.stdout) == scenario


@pytest.mark.parametrize("args, field", [(["--view", "sweep"], "--view"), (["--view", "triangle"], "--view"),
                                         (["--view", "binary", "--format", "html"], "--format")])
def test_bad_requests_exit_2_naming_the_field(args: list[str], field: str) -> None:
    result = subprocess.run([sys.executable, "-m", "core", "export", "--preset", "notebook-log", *args],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {field}:")


def test_the_command_writes_the_file(tmp_path) -> None:
    out = tmp_path / "n.ipynb"
    result = subprocess.run([sys.executable, "-m", "core", "export", "--preset", "coordination", "--view",
                             "triangle", "--out", str(out)], capture_output=True, text=True, cwd=REPO_ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    nbformat.validate(nbformat.reads(out.read_text(), as_version=4))
