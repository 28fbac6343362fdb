"""Tests of core.solve.search: grid peaks and their refinement, on functions whose maxima are known."""

from __future__ import annotations

import numpy as np
import pytest

from core.model.simplex import grid_neighbours, project, simplex_grid
from core.solve.search import ascend_on_simplex, grid_peaks, illinois, maximise_on_grids, row_grids, zoom


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


def test_maximise_on_grids_refines_between_nodes_and_finds_each_rows_global_peak() -> None:
    # Row 0: a lower peak at 0.2 and the global one at 0.71234 (between the nodes of a coarse grid); row 1 the
    # mirror image, on a grid with an extra node: each row is answered on its own.
    def bumps(x, centre):
        return np.exp(-((x - 0.2) / 0.05) ** 2) + 1.5 * np.exp(-((x - centre) / 0.05) ** 2)

    centres = np.array([0.71234, 0.4321])

    def fn(rows, x):
        return bumps(x, centres[rows][:, None])

    xs = row_grids(np.linspace(0.0, 1.0, 41), [(), (0.333,)])
    assert xs.shape == (2, 42) and xs[0, -1] == xs[0, -2] == 1.0  # row 0 padded with its last node
    x, value = maximise_on_grids(fn, xs, count=2)
    np.testing.assert_allclose(x, centres, atol=1e-7)
    np.testing.assert_allclose(value, 1.5 + np.exp(-((centres - 0.2) / 0.05) ** 2), rtol=1e-12)
    # A maximum at the end of the interval is kept.
    x, value = maximise_on_grids(lambda rows, x: x, np.linspace(0.0, 1.0, 11)[None, :])
    assert (x[0], value[0]) == pytest.approx((1.0, 1.0))


def test_a_rows_answer_does_not_depend_on_the_other_rows_of_its_batch() -> None:
    slopes = np.array([0.3, 2.0, 5.0])

    def fn(rows, x):
        return np.sin(slopes[rows][:, None] * x) * (1 - x)

    xs = row_grids(np.linspace(0.0, 1.0, 101), [(), (0.5,), ()])
    together = maximise_on_grids(fn, xs, count=3)
    for k in range(3):
        alone = maximise_on_grids(lambda rows, x: fn(np.full(len(rows), k), x), xs[k:k + 1], count=3)
        assert together[0][k] == alone[0][0] and together[1][k] == alone[1][0]


def test_illinois_finds_every_bracketed_root_to_rounding() -> None:
    # cos(x) − c x on brackets of two rows with different c; the roots checked by their residual and by brentq.
    from scipy.optimize import brentq
    c = np.array([1.0, 0.5])

    def fn(rows, x):
        return np.cos(x) - c[rows][:, None] * x

    rows = np.array([0, 1])
    a, b = np.zeros(2), np.full(2, 2.0)
    roots = illinois(fn, rows, a, b, fn(rows, a[:, None])[:, 0], fn(rows, b[:, None])[:, 0])
    expected = [brentq(lambda x, ck=ck: np.cos(x) - ck * x, 0.0, 2.0, xtol=1e-15) for ck in c]
    np.testing.assert_allclose(roots, expected, atol=1e-14)


def test_zoom_finds_a_maximum_inside_its_window() -> None:
    x, value = zoom(lambda rows, x: -(x - 0.123456789) ** 2, np.zeros(1, dtype=int), np.zeros(1), np.ones(1))
    assert x[0] == pytest.approx(0.123456789, abs=1e-7) and value[0] == pytest.approx(0.0, abs=1e-14)


def test_ascent_reaches_the_projection_of_an_outside_point() -> None:
    # −‖p − c‖² is largest at c's Euclidean projection onto the simplex, found here by hand: for c = (1, 0.6, −1)
    # the projection drops the third coordinate and shifts the others by (1 + 0.6 − 1)/2 = 0.3: (0.7, 0.3, 0).
    c = np.array([[1.0, 0.6, -1.0], [0.5, 0.3, 0.2]])

    def fn(rows, p):
        return -np.sum((p - c[rows]) ** 2, axis=-1), -2.0 * (p - c[rows])

    starts = np.array([[1 / 3, 1 / 3, 1 / 3], [0.0, 0.0, 1.0], [0.1, 0.8, 0.1]])
    p, value, converged = ascend_on_simplex(fn, np.array([0, 0, 1]), starts)
    assert converged.all()
    np.testing.assert_allclose(p, [[0.7, 0.3, 0.0], [0.7, 0.3, 0.0], [0.5, 0.3, 0.2]], atol=1e-9)
    np.testing.assert_allclose(value[2], 0.0, atol=1e-16)


def test_ascent_agrees_with_slsqp_from_the_same_starts() -> None:
    # An independent local method: scipy's SLSQP on −S(p, f(p)) from every start, in softmax worlds of 3 to 5
    # outcomes with the log and quadratic rules. Each start's end is a KKT point at least as good as SLSQP's
    # (both are local: where the two reach different peaks, the test says which).
    from scipy.optimize import minimize

    from core.model.rules import ScoringRule
    from core.model.worlds import PolicyWorld
    from core.solve.optimum import score_and_gradient

    rng = np.random.default_rng(7)
    for n in (3, 4, 5):
        for kind in ("log", "quadratic"):
            world = PolicyWorld(actions=tuple(f"a{i}" for i in range(3)),
                                Q=tuple(tuple(r) for r in rng.dirichlet(np.ones(n), size=3)),
                                U=tuple(tuple(r) for r in rng.uniform(0, 1, size=(3, n))), policy="softmax", beta=4.0)
            rule = ScoringRule(kind)
            starts = rng.dirichlet(np.ones(n), size=4)
            fn = lambda rows, q: score_and_gradient(world, rule, q)  # noqa: E731
            p, value, converged = ascend_on_simplex(fn, np.zeros(4, dtype=int), starts)
            # A start that stalls in rounding before ASCENT_TOL is still at a KKT point, to rounding's scale.
            residual = np.max(np.abs(project(p + fn(None, p)[1]) - p), axis=1)
            assert np.all(converged | (residual <= 1e-7))
            for start, mine, v in zip(starts, p, value):
                res = minimize(lambda q: -score_and_gradient(world, rule, q)[0], start,
                               jac=lambda q: -score_and_gradient(world, rule, q)[1], method="SLSQP",
                               bounds=[(1e-12, 1.0)] * n, constraints=[{"type": "eq", "fun": lambda q: q.sum() - 1}],
                               options={"ftol": 1e-14, "maxiter": 500})
                assert v >= -res.fun - 1e-9
                if v <= -res.fun + 1e-9:  # the same peak: the same point
                    np.testing.assert_allclose(mine, res.x, atol=1e-5)
