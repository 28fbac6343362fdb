"""The Studies figures draw what they are given: one histogram per defined quantity, the bound only where it exists."""

from __future__ import annotations

import numpy as np

from figures.studies import bound_scatter_figure, histograms_figure
from tests.figures.helpers import checked


def test_histograms_leave_out_quantities_without_values() -> None:
    columns = {"inaccuracy": np.array([0.1, 0.2]), "distance": np.array([0.3, np.nan]),
               "norm_T": np.full(2, np.nan), "ratio": np.full(2, np.nan)}
    fig = checked(histograms_figure(columns))
    assert [t.x.tolist() for t in fig.data] == [[0.1, 0.2], [0.3]]
    assert [a.text for a in fig.layout.annotations] == ["inaccuracy ‖p̂ − f(p̂)‖", "distance ‖p̂ − p*‖"]
    # Side by side, each on its own axes with its title centred above it, the first y axis counting worlds.
    domains = [fig.layout.xaxis.domain, fig.layout.xaxis2.domain]
    assert 0 <= domains[0][0] < domains[0][1] < domains[1][0] < domains[1][1] <= 1
    assert [(t.xaxis, t.yaxis) for t in fig.data] == [("x", "y"), ("x2", "y2")]
    assert [a.x for a in fig.layout.annotations] == [sum(d) / 2 for d in domains]
    assert fig.layout.yaxis.title.text == "worlds" and fig.layout.yaxis2.title.text is None


def test_scatter_draws_the_bound_only_when_a_theorem_gives_one() -> None:
    norm, inacc = np.array([0.2, 0.5, 0.4]), np.array([0.05, 0.1, 0.3])
    with_bound = checked(bound_scatter_figure(norm, inacc, 0.5, np.array([2])))
    line = next(t for t in with_bound.data if t.name == "the theorem's bound")
    assert list(line.x) == [0.0, 0.5] and list(line.y) == [0.0, 0.25]
    worst = next(t for t in with_bound.data if t.name == "worst worlds")
    assert list(worst.x) == [0.4] and list(worst.y) == [0.3]
    without = checked(bound_scatter_figure(norm, inacc, float("nan"), np.array([2])))
    assert "the theorem's bound" not in [t.name for t in without.data]
