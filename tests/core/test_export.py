"""Exported views run: the notebook in a real Jupyter kernel (nbclient), the script in a fresh interpreter, and
the numbers they print are the ones the page shows (its results table is ``analyze(scenario).report()``)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from urllib.parse import urlencode

import nbformat
import pytest
from hypothesis import given
from hypothesis import settings as settings_profile
from hypothesis import strategies as st

from core.analysis import analyze
from core.export import VIEWS, export, read_link, settings
from core.model.presets import get_preset
from core.model.scenario import Scenario
from tests.notebooks import REPO_ROOT, json_values

def test_the_script_runs_and_prints_the_pages_numbers(tmp_path) -> None:
    scenario = get_preset("route-choice").scenario
    path = tmp_path / "route.py"
    path.write_text(export(scenario, "triangle", "py"))
    env = os.environ | {"PYTHONPATH": str(REPO_ROOT), "PLOTLY_RENDERER": "json"}
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, env=env, timeout=120,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json_values(result.stdout)[0] == analyze(scenario).report()


def test_outcome_names_stay_data() -> None:
    # A name that looks like code stays data: inside the JSON string, and (newlines included) inside the
    # header's comment lines. The script rebuilds exactly this scenario and runs nothing else.
    base = get_preset("notebook-log").scenario
    names = ["''')+print('owned')#", "b\nprint('owned')\r\nprint('owned')"]
    scenario = Scenario.from_dict({**base.to_dict(), "outcomes": names})
    code = export(scenario, "binary", "py")
    setup = code.split("# The page's settings")[0]
    result = subprocess.run([sys.executable, "-c", setup + "\nprint(scenario.to_json())"], capture_output=True,
                            text=True, env=os.environ | {"PYTHONPATH": str(REPO_ROOT)}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("{")  # nothing ran before the scenario was printed
    assert Scenario.from_json(result.stdout) == scenario


@pytest.mark.parametrize("args, field", [
    (["--view", "home"], "--view"), (["--view", "triangle"], "--view"), (["--view", "decisions"], "--view"),
    (["--view", "binary", "--format", "html"], "--format"), (["--view", "dynamics", "--set", "dyn_eta=nan"], "dyn_eta"),
    (["--view", "dynamics", "--set", "dyn_method=print('owned')"], "dyn_method"),
    (["--view", "markets", "--set", "k=51"], "k"), (["--view", "markets", "--set", "k=2.5"], "k"),
    (["--view", "decisions", "--preset", "decision-example", "--set", "train_variants=x:y"], "train_variants"),
    (["--view", "sweep", "--set", "from=2"], "world.alpha"), (["--view", "studies", "--set", "study_outcomes=9"], "outcomes"),
    (["--view", "dynamics", "--set", "dyn_seed"], "--set"), ([], "--view")])
def test_bad_requests_exit_2_naming_the_field(args: list[str], field: str) -> None:
    preset = [] if "--preset" in args else ["--preset", "notebook-log"]
    result = subprocess.run([sys.executable, "-m", "core", "export", *preset, *args],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {field}:"), result.stderr


@pytest.mark.parametrize("url, field", [
    ("http://localhost:8501/?preset=notebook-log", "--link"), ("http://localhost:8501/dynamics", "--link"),
    ("http://localhost:8501/dynamics?world=linear&alpha=nope", "--link"),
    ("http://localhost:8501/dynamics?preset=nope", "--link"),
    ("http://localhost:8501/triangle?preset=notebook-log", "--view")])
def test_bad_links_exit_2(url: str, field: str) -> None:
    result = subprocess.run([sys.executable, "-m", "core", "export", "--link", url], capture_output=True, text=True,
                            cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"error: {field}:"), result.stderr


def test_a_link_gives_the_scenario_the_page_and_its_settings() -> None:
    scenario = get_preset("route-choice").scenario
    params = scenario.to_query_params() | {"k": "7", "pool": "lmsr", "unrelated": "x"}
    url = "https://example.org/app/markets?" + urlencode(params)
    assert read_link(url) == (scenario, "markets", params)
    result = subprocess.run([sys.executable, "-m", "core", "export", "--link", url, "--format", "py", "--set", "k=9"],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == export(scenario, "markets", "py", params | {"k": "9"})
    assert "k = 9\npool = 'lmsr'\npayment = 'own'\n" in result.stdout


def test_settings_are_parsed_and_written_as_literals() -> None:
    scenario = get_preset("coordination").scenario
    values = settings(scenario, "decisions", {"train_sampled": "1", "train_eps": "0.25", "joint_k": "5",
                                              "train_variants": "single:random_search"})
    assert values["train_sampled"] is True and values["train_eps"] == 0.25 and values["joint_k"] == 5
    assert values["train_variants"] == ("single:random-search",)  # an old link's name still opens
    code = export(scenario, "decisions", "py", {"train_variants": ""})
    assert "variants = ()" in code and "mean_curves" not in code  # no variant: the page trains nothing
    assert "mean_curves" in export(scenario, "decisions", "py")
    # Only the settings the code uses are written: a diagram has no second field, a map no plotted point.
    diagram = export(scenario, "sweep", "py")
    assert "field2" not in diagram and "plot = '0'" in diagram
    assert "plot =" not in export(scenario, "sweep", "py", {"mode": "map"})


@settings_profile(max_examples=60, deadline=None)
@given(view=st.sampled_from(sorted(VIEWS)), link=st.dictionaries(
    st.sampled_from(sorted({s.key for v in VIEWS.values() for s in v.settings})),
    st.one_of(st.text(max_size=30), st.sampled_from(["0", "1", "2", "1e9", "-1", "nan", "inf", "lmsr", "map", "log",
                                                     "world.alpha", "3", "0.5"])), max_size=6))
def test_any_link_gives_a_clear_error_or_code_that_runs_only_the_core(view: str, link: dict[str, str]) -> None:
    # The exported-notebook request a hostile link can make: either a ValueError naming what is wrong, or code
    # in which every setting is a literal and nothing else of the link appears outside the scenario's JSON.
    scenario = get_preset("coordination").scenario
    try:
        code = export(scenario, view, "py", link)
    except ValueError as err:
        assert str(err)
        return
    tree = ast.parse(code)
    variables = {s.variable for s in VIEWS[view].settings}
    for node in tree.body:  # each setting is a literal
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name) and node.targets[0].id in variables:
            ast.literal_eval(node.value)
    calls = {node.func.id if isinstance(node.func, ast.Name) else node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call)}
    assert not calls & {"eval", "exec", "compile", "__import__", "open", "system"}


def test_the_command_writes_the_file(tmp_path) -> None:
    out = tmp_path / "n.ipynb"
    result = subprocess.run([sys.executable, "-m", "core", "export", "--preset", "coordination", "--view",
                             "triangle", "--out", str(out)], capture_output=True, text=True, cwd=REPO_ROOT,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    nbformat.validate(nbformat.reads(out.read_text(), as_version=4))
