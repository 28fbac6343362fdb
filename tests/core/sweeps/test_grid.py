"""Two-parameter maps against the closed form of the quadratic rule in a linear world."""

from __future__ import annotations

import csv
import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from core.analysis import analyze
from core.model.presets import get_preset
from core.sweeps.grid import sweep_grid

NOTEBOOK = get_preset("notebook-quadratic").scenario


def closed_form(p_star: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    """docs/theory.md#performative-optimum: p̂ = (2(1 − α)p* − α)/(2 − 4α), clipped; the inaccuracy is |f(p̂) − p̂| = (1 − α)|p* − p̂|."""
    p_hat = np.clip((2 * (1 - alpha) * p_star - alpha) / (2 - 4 * alpha), 0.0, 1.0)
    return (1 - alpha) * np.abs(p_star - p_hat)


# A maximiser is located to about √ε ≈ 1e-8: nearer, S(p, f(p)) does not change in floating point.
def test_inaccuracy_over_p_star_and_alpha() -> None:
    m = sweep_grid(NOTEBOOK, ("world.p_star", 0.0, 1.0, 21), ("world.alpha", -0.5, 0.45, 20), "inaccuracy")
    p_star, alpha = np.meshgrid(m.xs, m.ys)
    # A linear world is a distribution only while f(0), f(1) ∈ [0, 1]: for α < 0, α ≥ −p*/(1 − p*) and
    # α ≥ 1 − 1/p*; elsewhere the map has no scenario.
    valid = (alpha >= -p_star / np.maximum(1 - p_star, 1e-300) - 1e-12) & (alpha * p_star >= p_star - 1 - 1e-12)
    assert np.array_equal(~np.isnan(m.values), valid)
    assert np.allclose(m.values[valid], closed_form(p_star, alpha)[valid], atol=1e-7)
    ratio = sweep_grid(NOTEBOOK, ("world.p_star", 0.0, 1.0, 5), ("world.alpha", 0.1, 0.45, 4), "inaccuracy_ratio")
    p_star, alpha = np.meshgrid(ratio.xs, ratio.ys)
    # The bound is L · sup|g/g′| = α/2.
    assert np.allclose(ratio.values, closed_form(p_star, alpha) / (alpha / 2), atol=1e-7)


def test_count_distance_and_utility() -> None:
    m = sweep_grid(NOTEBOOK, ("world.p_star", 0.1, 0.9, 4), ("world.alpha", 0.0, 0.4, 3), "fixed_points")
    assert np.all(m.values == 1)
    d = sweep_grid(NOTEBOOK, ("world.p_star", 0.1, 0.9, 4), ("world.alpha", 0.0, 0.4, 3), "distance")
    p_star, alpha = np.meshgrid(d.xs, d.ys)
    assert np.allclose(d.values, closed_form(p_star, alpha) / (1 - alpha), atol=1e-7)  # |p̂ − p*|
    with pytest.raises(ValueError, match="human_utility needs"):
        sweep_grid(NOTEBOOK, ("world.p_star", 0.1, 0.9, 4), ("world.alpha", 0.0, 0.4, 3), "human_utility")


def test_three_outcomes_cell_by_cell_and_the_csv() -> None:
    coordination = get_preset("coordination").scenario
    m = sweep_grid(coordination, ("world.beta", 0.0, 8.0, 3), ("world.epsilon", 0.0, 0.2, 2), "fixed_points")
    # β = 0: an indifferent human makes f constant, one fixed point. β = 8, ε = 0 is the preset, whose
    # description names seven: three attracting, three saddles and a repelling one (index sum 3 − 3 + 1 = 1).
    assert m.values[0, 0] == 1 and m.values[0, 2] == 7
    for i, eps in enumerate(m.ys):  # and every cell is the analysis of its own scenario
        for j, beta in enumerate(m.xs):
            assert m.values[i, j] == len(analyze(m.cell(beta, eps)).fixed_points)
    rows = list(csv.reader(io.StringIO(m.to_csv())))
    assert rows[0] == ["world.beta", "world.epsilon", "fixed_points"] and len(rows) == 1 + 6
    assert m.cell(8.0, 0.2).world.beta == 8.0 and m.cell(8.0, 0.2).world.epsilon == 0.2


def test_bad_maps_name_the_field() -> None:
    with pytest.raises(ValueError, match="^quantity: unknown"):
        sweep_grid(NOTEBOOK, ("world.p_star", 0.0, 1.0, 3), ("world.alpha", 0.0, 0.4, 3), "height")
    with pytest.raises(ValueError, match="^world.alpha: the two fields"):
        sweep_grid(NOTEBOOK, ("world.alpha", 0.0, 0.4, 3), ("world.alpha", 0.0, 0.4, 3), "inaccuracy")
    with pytest.raises(ValueError, match="^world.p_star, world.alpha: the scenario is not valid anywhere"):
        sweep_grid(NOTEBOOK, ("world.p_star", 2.0, 3.0, 3), ("world.alpha", 0.0, 0.4, 3), "inaccuracy")


class RecordingPool(ProcessPoolExecutor):
    """A real process pool that keeps the futures it hands out, to see which ran."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.futures: list = []

    def submit(self, *args, **kwargs):
        future = super().submit(*args, **kwargs)
        self.futures.append(future)
        return future


def test_worker_processes_give_the_same_map() -> None:
    scenario = get_preset("coordination").scenario
    x, y = ("world.beta", 1.0, 12.0, 30), ("world.Q.0.0", 0.5, 1.0, 40)  # 1,200 cells: blocks of 500 // 30 = 16 rows, three
    alone = sweep_grid(scenario, x, y, "distance")
    shares: list[float] = []
    with RecordingPool(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        pooled = sweep_grid(scenario, x, y, "distance", shares.append, pool)
        assert len(pool.futures) == 3 and all(f.done() and not f.cancelled() for f in pool.futures)
    assert np.array_equal(pooled.values, alone.values, equal_nan=True)
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(shares) == 3


def test_a_caller_that_gives_up_cancels_the_blocks_not_started() -> None:
    # The page leaves while the map is computed: its progress call raises (Streamlit's StopException), and
    # the blocks still queued are cancelled rather than computed for nobody.
    def leave(share: float) -> None:
        raise KeyboardInterrupt

    with RecordingPool(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        with pytest.raises(KeyboardInterrupt):
            sweep_grid(NOTEBOOK, ("world.p_star", 0.0, 1.0, 400), ("world.alpha", 0.0, 0.4, 40), "inaccuracy", leave,
                       pool)
        # 40 blocks of one row (400 cells each); one worker has run one, holds another and queues at most one
        # more, so 37 never start (at least 30 on a busy machine, where the worker may be quicker than this thread).
        assert len(pool.futures) == 40 and sum(f.cancelled() for f in pool.futures) >= 30, [f._state for f in pool.futures]
