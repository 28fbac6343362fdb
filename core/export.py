"""A page's view as code: a short Python script or a Jupyter notebook that rebuilds the scenario through the
public ``core`` API, prints the numbers the page shows (``analyze(scenario).report()``, the page's results
table) and draws its charts with the app's own figure builders (plotly).

The scenario travels as its JSON document, read back by :meth:`core.model.scenario.Scenario.from_json`, so
nothing a user typed becomes code: the only text the exporter writes that comes from the user is inside one
JSON string literal, escaped by :func:`repr`. The code runs from the project's folder (it imports ``core`` and
``figures``).

Views so far: ``binary`` (two outcomes) and ``triangle`` (three).
"""

from __future__ import annotations

import json

from core.model.scenario import Scenario

FORMATS = ("py", "ipynb")
TITLES = {"binary": "Two outcomes", "triangle": "Three outcomes"}
VIEWS = tuple(TITLES)
OUTCOMES = {"binary": 2, "triangle": 3}

_SETUP = '''import json

from core import Scenario, analyze, curves

scenario = Scenario.from_json({document!r})
analysis = analyze(scenario)'''
_NUMBERS = '''# The page's numbers: its results table is this report.
print(json.dumps(analysis.report(), indent=2))'''
_CHARTS = {
    "binary": '''import plotly.graph_objects as go
from figures.binary import binary_map_figure, binary_score_figure

curve = curves.binary_curve(scenario.world)
responds, held = curves.binary_scores(scenario.rule, scenario.world, curve.x, analysis.optimum.f)
go.Figure(binary_map_figure(analysis, curve)).show()
go.Figure(binary_score_figure(analysis, curve.x, responds, held)).show()''',
    "triangle": '''import plotly.graph_objects as go
from figures.triangle import triangle_figure

grid, field = curves.triangle_grid(scenario.world, scenario.rule), curves.arrow_field(scenario.world)
go.Figure(triangle_figure(analysis, grid, field)).show()''',
}


def cells(scenario: Scenario, view: str) -> list[tuple[str, str]]:
    """The export as (kind, text) cells: ``"markdown"`` or ``"code"``."""
    if view not in VIEWS:
        raise ValueError(f"--view: choose one of {', '.join(VIEWS)} (the pages exported so far), not {view!r}")
    if scenario.n != OUTCOMES[view]:
        raise ValueError(f"--view: the {view} page shows {OUTCOMES[view]} outcomes; this scenario has {scenario.n}")
    names = ", ".join(scenario.outcomes)
    return [("markdown", f"# {TITLES[view]}: {names}\n\nThe app's *{TITLES[view]}* page for this scenario, "
                         f"rebuilt with the public `core` API. Run it from the project's folder."),
            ("code", _SETUP.format(document=json.dumps(scenario.to_dict(), allow_nan=False))),
            ("code", _NUMBERS),
            ("code", _CHARTS[view])]


def script(scenario: Scenario, view: str) -> str:
    """The export as one Python script."""
    parts = []
    for kind, text in cells(scenario, view):
        parts.append("\n".join("# " + line if line else "#" for line in text.splitlines()) if kind == "markdown"
                     else text)
    return "\n\n".join(parts) + "\n"


def notebook(scenario: Scenario, view: str) -> str:
    """The export as a Jupyter notebook (nbformat 4), as JSON text."""
    import nbformat  # only the export needs it

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text)
                for kind, text in cells(scenario, view)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


def export(scenario: Scenario, view: str, fmt: str = "ipynb") -> str:
    """The export of ``view`` in format ``fmt`` (``"py"`` or ``"ipynb"``)."""
    if fmt not in FORMATS:
        raise ValueError(f"--format: choose one of {', '.join(FORMATS)}, not {fmt!r}")
    return script(scenario, view) if fmt == "py" else notebook(scenario, view)
