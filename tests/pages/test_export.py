"""Every page's view, exported (core.export) and run in a real Jupyter kernel (nbclient), prints the numbers the
page shows and draws its charts: the page is opened by AppTest at a link, the notebook is exported with the
settings the page wrote into that link (what its download buttons export), and the two are compared, table by
table, sentence by sentence, chart by chart.

The expected values are the page's own output, read from its HTML tables (every digit, from ``data-value``),
its info boxes and its plotly figures; nothing is recomputed here."""

from __future__ import annotations

import math
import subprocess
import sys
from typing import Any
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import pytest

from core.export import VIEWS, export, settings
from core.model.presets import get_preset
from tests.notebooks import REPO_ROOT, drawn, json_values, printed, run_notebook
from tests.pages.helpers import decoded, charts, errors, metrics, open_app, params_of, table
from ui.components import results_table

# (page, preset, the link's view settings, the page's charts in the order the notebook draws them)
CASES = [
    ("binary", "notebook-log", {"start": "0.3", "steps": "20"}, ["map", "score", "cobweb"]),
    ("binary", "bank-run", {}, ["map", "score", "cobweb"]),
    ("triangle", "coordination", {}, ["triangle"]),
    ("scoring-rules", "notebook-log", {}, ["bars", "entropy"]),
    ("scoring-rules", "five-candidates", {}, ["bars"]),
    ("dynamics", "bank-run", {"dyn_method": "full-gradient", "dyn_eta": "0.2", "dyn_steps": "200",
                              "dyn_start": "0.4"}, ["paths", "cobweb"]),
    ("dynamics", "coordination", {"dyn_method": "sgd", "dyn_steps": "150", "dyn_seed": "4"},
     ["trajectories", "basins"]),
    ("decisions", "decision-example", {"pair": "mean", "joint_k": "4", "train_steps": "100",
                                       "train_variants": "single:gradient,zero_sum:random-search"},
     ["reports", "learn_distance", "learn_utility"]),
    ("decisions", "decision-risky-safe", {"pair": "mean", "train_steps": "60"},
     ["reports", "equilibrium", "learn_distance", "learn_utility"]),
    ("markets", "notebook-log", {"k": "4", "payment": "zero-sum", "market_steps": "100"},
     ["market_map", "market_curve", "market_learning"]),
    ("markets", "route-choice", {"k": "7", "pool": "lmsr"}, ["market_map", "market_curve"]),
    ("sweep", "bank-run", {"mode": "diagram", "param": "world.steepness", "from": "1.0", "to": "10.0",
                           "num": "12"}, ["sweep_diagram"]),
    ("sweep", "notebook-quadratic", {"mode": "map", "param": "world.p_star", "from": "0.0", "to": "1.0", "num": "5",
                                     "param2": "world.alpha", "from2": "0.0", "to2": "0.4", "num2": "3",
                                     "quantity": "distance"}, ["sweep_map"]),
    ("studies", "notebook-log", {"study_outcomes": "3", "study_worlds": "300", "study_seed": "7"},
     ["histograms", "scatter"]),
]


#: The pages whose first info box is the sentence computed for the view (the explorers' are made from the report).
SENTENCES = {"dynamics", "decisions", "markets", "sweep"}


def _missing(value: Any) -> bool:
    return value is None or value in ("None", "—", "") or (isinstance(value, float) and math.isnan(value))


def assert_same_table(page: pd.DataFrame, rows: list[dict[str, Any]]) -> None:
    """The page's table equals the notebook's records: the same columns (the page may add links), the same
    cells (numbers to 1e-12, as the page keeps every digit)."""
    assert rows, "the notebook printed an empty table"
    columns = list(rows[0])
    assert set(columns) <= set(page.columns), (columns, list(page.columns))
    assert len(page) == len(rows)
    for shown, row in zip(page[columns].to_dict(orient="records"), rows):
        for name in columns:
            a, b = shown[name], row[name]
            if _missing(a) or _missing(b):
                assert _missing(a) and _missing(b), (name, a, b)
            elif isinstance(b, bool) or isinstance(b, str):
                assert str(a) == str(b), (name, a, b)
            else:
                assert float(a) == pytest.approx(float(b), rel=1e-12, abs=1e-15), (name, a, b)


def _arrays(trace: dict[str, Any]) -> dict[str, np.ndarray]:
    out = {}
    for axis in ("x", "y", "z", "a", "b", "c"):
        if axis in trace and trace[axis] is not None:
            try:
                out[axis] = decoded(trace[axis])
            except (TypeError, ValueError):  # category labels
                out[axis] = np.asarray(trace[axis], dtype=object)
    return out


def assert_same_figure(page: dict[str, Any], notebook: dict[str, Any]) -> None:
    """The same traces (names and every coordinate) in the page's chart and the notebook's."""
    assert [t.get("name") for t in page["data"]] == [t.get("name") for t in notebook["data"]]
    for a, b in zip(page["data"], notebook["data"]):
        xa, xb = _arrays(a), _arrays(b)
        assert xa.keys() == xb.keys(), (a.get("name"), xa.keys(), xb.keys())
        for axis in xa:
            if xa[axis].dtype == object or xb[axis].dtype == object:
                assert list(map(str, xa[axis].ravel())) == list(map(str, xb[axis].ravel()))
            else:
                np.testing.assert_allclose(xa[axis].astype(float), xb[axis].astype(float), rtol=1e-12, atol=1e-15,
                                           equal_nan=True, err_msg=f"{a.get('name')}.{axis}")


@pytest.mark.parametrize("page_key, preset, view, chart_keys", CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_the_exported_notebook_shows_the_pages_numbers_and_charts(page_key: str, preset: str, view: dict,
                                                                   chart_keys: list[str]) -> None:
    scenario = get_preset(preset).scenario
    at = open_app(page_key, scenario.to_query_params() | view)
    assert not errors(at)
    link = params_of(at)  # the page's settings as it wrote them into its link: what its buttons export
    assert view.items() <= link.items()
    nb = run_notebook(export(scenario, page_key, "ipynb", link))
    text = printed(nb)
    values = json_values(text)

    if page_key in SENTENCES and link.get("mode") != "map":  # the page's sentence, the notebook prints
        assert at.info[0].value in text, at.info[0].value
    page_tables = [table(at, i) for i in range(sum('class="pfp-table"' in m.value for m in at.markdown))]
    if page_key in ("binary", "triangle"):
        (report,) = values
        assert_same_table(page_tables[0], results_table(report).to_dict(orient="records"))
    elif page_key == "studies":
        summary, worst = values
        shown = metrics(at)
        assert shown["worlds"] == f"{summary['count']:,}"
        assert shown["mean inaccuracy"] == f"{summary['quantities']['inaccuracy']['mean']:.4g}"
        assert_same_table(page_tables[0], worst)
    elif page_key == "sweep":
        assert not page_tables and not values  # its numbers are its CSV, compared through its chart below
        assert text.count("\n") > int(link["num"])
    else:
        assert len(page_tables) == len(values), (len(page_tables), len(values))
        for shown, rows in zip(page_tables, values):
            assert_same_table(shown, rows)

    page_charts, notebook_charts = charts(at), drawn(nb)
    assert len(notebook_charts) == len(chart_keys)
    for key, figure in zip(chart_keys, notebook_charts):
        assert_same_figure(page_charts[key], figure)


#: A scenario each exporting page takes, to open it without view settings.
PAGE_PRESETS = {"binary": "notebook-log", "triangle": "coordination", "scoring-rules": "five-candidates",
                "dynamics": "coordination", "decisions": "decision-example", "markets": "notebook-log",
                "sweep": "bank-run", "studies": "notebook-log"}


def test_every_exporting_page_is_covered() -> None:
    assert set(PAGE_PRESETS) == set(VIEWS) == {c[0] for c in CASES}


@pytest.mark.parametrize("page_key", sorted(PAGE_PRESETS))
def test_the_exports_defaults_are_the_pages(page_key: str) -> None:
    # Opened without view settings, the page writes its defaults into its link; the export, given none, uses
    # the same. And the address the app wrote, given to the command line, exports what the page's button does.
    scenario = get_preset(PAGE_PRESETS[page_key]).scenario
    at = open_app(page_key, scenario.to_query_params())
    link = params_of(at)
    assert settings(scenario, page_key, {}) == settings(scenario, page_key, link)
    url = f"http://localhost:8501/{page_key}?{urlencode(link)}"
    result = subprocess.run([sys.executable, "-m", "core", "export", "--link", url, "--format", "py"],
                            capture_output=True, text=True, cwd=REPO_ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == export(scenario, page_key, "py", link)
