"""The sweep figures: branches styled by stability, jumps left as gaps, the map's cells hoverable."""

from __future__ import annotations

import numpy as np

from core.model.presets import get_preset
from core.sweeps import sweep
from core.sweeps.grid import sweep_grid
from figures.sweep import diagram_figure, map_figure
from tests.figures.helpers import checked


def test_a_step_world_jump_is_a_gap_not_a_slope() -> None:
    # A best-responding human choosing between a risky and a safe action: as Q[safe, first outcome] grows, the
    # optimum moves to another region and its f(p̂) jumps by 0.6 between two samples (a jump of f), which must
    # not be drawn as a line.
    d = sweep(get_preset("decision-risky-safe").scenario, "world.Q.1.0", 0.0, 1.0, 21)
    fig = checked(diagram_figure(d, 0, "P(good)"))
    (f_hat,) = [t for t in fig.data if t.name == "f(p̂)"]
    y = list(f_hat.y)
    assert any(y[k] is None and abs(y[k - 1] - y[k + 1]) > 0.5 for k in range(1, len(y) - 1))


def test_branches_are_styled_by_stability() -> None:
    d = sweep(get_preset("bank-run").scenario, "world.steepness", 1.0, 10.0, 10)
    fig = checked(diagram_figure(d, 0, "P(run)"))
    dashes = {t.name: t.line.dash for t in fig.data if t.name and t.name.startswith("fixed points")}
    assert dashes == {"fixed points, attracting": "solid", "fixed points, repelling": "dash"}
    (change,) = [t for t in fig.data if t.name == "stability change"]
    assert np.isclose(change.x[0], 4 / 0.96, atol=1e-6)


def test_the_map_has_one_hoverable_marker_per_cell() -> None:
    m = sweep_grid(get_preset("notebook-quadratic").scenario, ("world.p_star", 0.0, 1.0, 4),
                   ("world.alpha", 0.0, 0.4, 3), "inaccuracy")
    heat, cells = checked(map_figure(m)).data
    assert np.array_equal(np.asarray(heat.z), m.values)
    assert len(cells.x) == 12 and "click to open" in cells.hovertemplate
