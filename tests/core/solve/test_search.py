"""Tests of core.solve.search: grid peaks and their refinement, on functions whose maxima are known."""

from __future__ import annotations

import numpy as np
import pytest

from core.model.simplex import grid_neighbours, simplex_grid
from core.solve.search import grid_peaks, maximise_on_interval


def test_grid_peaks_in_one_dimension() -> None:
    xs = np.linspace(0.0, 0.9, 181)  # the ends are falling away from their neighbours: not peaks
    values = np.sin(6 * np.pi * xs)  # maxima at 1/12, 5/12, 9/12
    peaks = grid_peaks(values)
    assert sorted(xs[peaks]) == pytest.approx([1 / 12, 5 / 12, 9 / 12], abs=0.005)
    # Best first; count keeps the best; ends count when they beat their one neighbour.
    ramp = np.array([3.0, 1.0, 2.0, 0.0, 5.0])
    np.testing.assert_array_equal(grid_peaks(ramp), [4, 0, 2])
    np.testing.assert_array_equal(grid_peaks(ramp, count=2), [4, 0])


def test_nan_is_never_a_peak_and_does_not_block_its_neighbours() -> None:
    values = np.array([np.nan, 1.0, 0.5, np.nan, 0.2])
    np.testing.assert_array_equal(grid_peaks(values), [1, 4])


def test_grid_peaks_on_the_simplex() -> None:
    # −‖p − c‖² has one maximum at the grid point nearest c; the sum of two bumps at two vertices has two.
    grid = simplex_grid(3, 20)
    nb = grid_neighbours(3, 20)
    c = np.array([0.2, 0.3, 0.5])
    peaks = grid_peaks(-np.sum((grid - c) ** 2, axis=1), nb)
    assert len(peaks) == 1 and np.allclose(grid[peaks[0]], c)
    bumps = np.exp(-20 * np.sum((grid - [1, 0, 0]) ** 2, axis=1)) + 2 * np.exp(-20 * np.sum((grid - [0, 0, 1]) ** 2, axis=1))
    peaks = grid_peaks(bumps, nb)
    np.testing.assert_allclose(grid[peaks], [[0, 0, 1], [1, 0, 0]])


def test_maximise_on_interval_refines_between_nodes_and_finds_the_global_peak() -> None:
    # Two peaks: a lower one at 0.2 and the global one at 0.71234 (between the nodes of a coarse grid).
    def fn(x):
        return np.exp(-((x - 0.2) / 0.05) ** 2) + 1.5 * np.exp(-((x - 0.71234) / 0.05) ** 2)

    x, value = maximise_on_interval(fn, np.linspace(0.0, 1.0, 41), count=2)
    assert x == pytest.approx(0.71234, abs=1e-7)
    assert value == pytest.approx(1.5 + np.exp(-((0.71234 - 0.2) / 0.05) ** 2), rel=1e-12)
    # A maximum at the end of the interval is kept.
    assert maximise_on_interval(lambda x: x, np.linspace(0.0, 1.0, 11)) == pytest.approx((1.0, 1.0))
