"""The Dynamics figures (figures/dynamics.py): level lines at the marks, the η* axis, the triangle's corners."""

from __future__ import annotations

import numpy as np

from core.curves import TRIANGLE_HEIGHT, to_plane
from figures.dynamics import basins_figure, paths_figure, threshold_figure, trajectories_figure
from figures.style import FIXED, OPTIMUM
from tests.figures.helpers import checked, legend, traces

NAMES = ("a", "b", "c")
WHERE = {"p*": np.array([0.2, 0.3, 0.5]), "p̂": np.array([0.3, 0.3, 0.4])}


def test_paths_have_a_labelled_line_across_the_plot_at_each_mark() -> None:
    t = np.linspace(0.9, 0.5, 4)
    paths = {"repeated": (t, t, t), "online SGD": (t, t - 0.1, t + 0.1)}
    fig = checked(paths_figure(paths, "rain", {"p*": 0.5, "p̂": 0.6}))
    # Only the random method has a band, grouped with its mean in the legend.
    assert legend(fig) == ["repeated", "online SGD: 10–90% of runs", "online SGD (mean)"]
    np.testing.assert_array_equal(traces(fig, "online SGD (mean)")[0].x, [0, 1, 2, 3])
    lines, labels = fig.layout.shapes, fig.layout.annotations
    assert [(s.y0, s.y1, s.x0, s.x1, s.xref, s.yref) for s in lines] == [(0.5, 0.5, 0, 1, "x domain", "y"),
                                                                         (0.6, 0.6, 0, 1, "x domain", "y")]
    assert [s.line.color for s in lines] == [FIXED, OPTIMUM]
    assert [(a.text, a.y, a.x, a.xref, a.showarrow) for a in labels] == [("p*", 0.5, 0, "x domain", False),
                                                                         ("p̂", 0.6, 0, "x domain", False)]
    assert fig.layout.yaxis.title.text == "predicted P(rain)" and list(fig.layout.yaxis.range) == [-0.02, 1.02]


def test_threshold_axis_marks_each_positive_step_size_within_the_slider() -> None:
    fig = checked(threshold_figure({"p*": 0.5, "q*": 3.0, "r*": 0.0}, 0.2, 2.0))
    (limits,) = traces(fig, "η*: steps below it converge (hover: where)")
    assert list(limits.x) == [0.5, 2.0]  # 3.0 drawn at the axis' end; r* (no convergent step) left out
    assert list(limits.hovertext) == ["p*: η* = 0.5", "q*: η* = 3"]
    assert list(traces(fig, "your η = 0.2")[0].x) == [0.2]
    assert list(fig.layout.xaxis.range) == [0, 2.0] and fig.layout.yaxis.visible is False
    assert legend(checked(threshold_figure({}, 0.2, 2.0))) == ["your η = 0.2"]


def test_triangle_figures_name_the_corners_and_mark_the_attractors() -> None:
    rng = np.random.default_rng(0)
    starts = rng.dirichlet(np.ones(3), 8)
    labels = np.array(["p*"] * 5 + ["still moving"] * 3)
    for fig in (checked(trajectories_figure(rng.dirichlet(np.ones(3), (5, 4)), NAMES, WHERE)),
                checked(basins_figure(starts, labels, NAMES, WHERE))):
        corners = [(a.x, a.y, a.text) for a in fig.layout.annotations]
        assert corners == [(0, 0, "<b>a</b>"), (1, 0, "<b>b</b>"), (0.5, TRIANGLE_HEIGHT, "<b>c</b>")]
        for label, p in WHERE.items():
            (mark,) = traces(fig, label)
            np.testing.assert_allclose([mark.x[0], mark.y[0]], to_plane(p), atol=1e-12)
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.xaxis.visible is False
    assert legend(fig) == ["p* (62%)", "still moving (38%)"]  # the basins, largest first, with their shares
    assert fig.layout.legend.itemsizing == "constant" and fig.layout.legend.orientation == "h"
