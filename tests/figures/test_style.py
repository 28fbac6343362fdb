"""The shared legend language (figures/style.py): one style per kind of point, one trace per style drawn."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.model.presets import get_preset
from core.solve.results import FixedPoint
from figures import STYLE
from figures.style import FIXED_POINT_KEYS, UIREVISION, figure, fixed_point_traces, honest_traces, style_of
from tests.figures.helpers import checked


def point(stability: str, kind: str = "regular", x: float = 0.5) -> FixedPoint:
    return FixedPoint(p=np.array([x, 1 - x]), stability=stability, spectral_radius=0.5, kind=kind)


@pytest.mark.parametrize("stability", ["attracting", "repelling", "saddle", "neutral"])
def test_regular_points_are_styled_by_stability(stability: str) -> None:
    assert style_of(point(stability)) is STYLE[stability]
    assert style_of(point(stability, kind="mixed")) is STYLE["mixed"]


def test_style_names_are_distinct() -> None:
    names = [s.name for s in STYLE.values()]
    assert len(set(names)) == len(names)
    assert set(FIXED_POINT_KEYS) | {"optimum", "by_score", "for_human", "announcement"} == set(STYLE)


def test_one_trace_per_style_present_in_legend_order() -> None:
    pts = [point("repelling", x=0.1), point("attracting", x=0.2), point("repelling", x=0.3),
           point("repelling", kind="mixed", x=0.4)]
    xs = [fp.p[0] for fp in pts]
    hover = [f"h{i}" for i in range(4)]
    traces = checked(figure(fixed_point_traces(pts, xs, xs, hover), "", "", "")).data
    assert [t.name for t in traces] == [STYLE[k].name for k in ("attracting", "repelling", "mixed")]
    by_name = {t.name: t for t in traces}
    assert list(by_name[STYLE["repelling"].name].x) == [0.1, 0.3]
    assert list(by_name[STYLE["repelling"].name].hovertext) == ["h0", "h2"]
    assert list(by_name[STYLE["mixed"].name].x) == [0.4]
    assert by_name[STYLE["attracting"].name].marker.symbol == STYLE["attracting"].symbol
    assert fixed_point_traces([], [], [], []) == []


def test_honest_rings_only_when_there_is_a_choice() -> None:
    several = analyze(get_preset("decision-example").scenario)  # three fixed points, a human policy
    xs = [fp.p[0] for fp in several.fixed_points]
    rings = checked(figure(honest_traces(several, xs, xs), "", "", "")).data
    assert [t.name for t in rings] == [STYLE["by_score"].name, STYLE["for_human"].name]
    assert list(rings[0].x) == [xs[several.best_by_score]] and list(rings[1].x) == [xs[several.best_for_human]]
    single = analyze(get_preset("notebook-quadratic").scenario)
    assert honest_traces(single, [0.25], [0.25]) == []


def test_layout_keeps_the_zoom_and_titles() -> None:
    fig = checked(figure([], "title", "x axis", "y axis"))
    assert fig.layout.uirevision == UIREVISION
    assert fig.layout.title.text == "title" and fig.layout.xaxis.title.text == "x axis"


@pytest.mark.parametrize("trace", [
    {"type": "scatter", "x": [0, 1], "marker_color": "red"},  # plotly.py's shorthand; plotly.js reads marker.color
    {"type": "scatter", "x": [0, 1], "hovertext": None},  # plotly drops a None
    {"type": "heatmap", "z": [[1, 2]], "colorbar": {"title": "S"}},  # plotly.js 3 reads only title.text
])
def test_the_schema_check_rejects_what_plotly_js_would_not_read_as_written(trace: dict) -> None:
    with pytest.raises(AssertionError):
        checked({"data": [trace], "layout": {}})


def test_the_schema_check_rejects_an_unknown_property() -> None:
    with pytest.raises(ValueError):
        checked({"data": [{"type": "scatter", "colour": "red"}], "layout": {}})
    assert checked({"data": [{"type": "scatter", "x": np.arange(3.0), "marker": {"color": "red"}}],
                    "layout": {"xaxis": {"title": {"text": "p"}}}}).data[0].marker.color == "red"
