"""The sweep figures: branches styled by stability, jumps left as gaps, the map's cells hoverable."""

from __future__ import annotations

import numpy as np

from core.model.presets import get_preset
from core.sweeps import sweep
from core.sweeps.grid import sweep_grid
from figures.sweep import diagram_figure, map_figure
from tests.figures.helpers import checked


def test_a_step_world_jump_is_a_gap_not_a_slope() -> None:
    # Commuters who best-respond: as Q[drive, jam] grows past 0.9 the optimum's f(p̂) drops from about 0.9 to
    # 0.1 between two samples (a jump of f), which must not be drawn as a line.
    d = sweep(get_preset("self-defeating").scenario, "world.Q.0.0", 0.0, 1.0, 21)
    fig = checked(diagram_figure(d, 0, "P(jam)"))
    (f_hat,) = [t for t in fig.data if t.name == "f(p̂)"]
    y = list(f_hat.y)
    assert None in y
    gap = y.index(None)
    assert abs(y[gap - 1] - y[gap + 1]) > 0.3


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
