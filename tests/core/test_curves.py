"""The samples the figures draw (core/curves.py), against closed forms of simple worlds and rules."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.curves import (BREAK_EPS, TRIANGLE_HEIGHT, binary_curve, binary_scores, cobweb, arrow_field, from_plane,
                         g_curves, to_plane, triangle_grid)
from core.model.presets import get_preset
from core.model.rules import ScoringRule
from core.model.worlds import LinearWorld, MatrixWorld, PolicyWorld

QUADRATIC = ScoringRule("quadratic")
LINEAR = LinearWorld(p_star=0.25, alpha=0.25)
#: Drive (the jam, first outcome, has probability 0.9) while P(jam) < 1/2; take the train (0.1) above it.
SELF_DEFEATING = get_preset("self-defeating").scenario.world


def linear(x: np.ndarray, p_star: float = 0.25, alpha: float = 0.25) -> np.ndarray:
    return p_star + alpha * (x - p_star)


def quadratic_binary(x: np.ndarray, q: np.ndarray) -> np.ndarray:
    """S(p, q) = 2⟨p, q⟩ − ‖p‖² with p = (x, 1 − x), q = (q, 1 − q)."""
    return 2 * (x * q + (1 - x) * (1 - q)) - x**2 - (1 - x) ** 2


# --- two outcomes ---------------------------------------------------------------------------------


def test_smooth_curve_is_f_on_a_grid_without_gaps() -> None:
    curve = binary_curve(LINEAR, points=101)
    assert not np.isnan(curve.x).any() and curve.jumps.shape == (0, 3)
    assert curve.x[0] == 0.0 and curve.x[-1] == 1.0 and np.all(np.diff(curve.x) > 0)
    np.testing.assert_allclose(curve.x[::10], np.linspace(0, 1, 11), atol=1e-15)  # the grid, nothing else
    assert len(curve.x) == 101
    np.testing.assert_allclose(curve.f, linear(curve.x), atol=1e-15)


def test_step_curve_breaks_at_the_jump() -> None:
    assert SELF_DEFEATING.breakpoints() == (0.5,)
    curve = binary_curve(SELF_DEFEATING, points=101)
    gaps = np.flatnonzero(np.isnan(curve.x))
    np.testing.assert_array_equal(gaps, np.flatnonzero(np.isnan(curve.f)))
    left, right = curve.x < 0.5, curve.x > 0.5
    np.testing.assert_allclose(curve.f[left], 0.9)  # drive: a jam with probability 0.9
    np.testing.assert_allclose(curve.f[right], 0.1)  # the train
    # Sampled either side of the breakpoint, and broken between those samples (and at the tie, x = 0.5, f = 0.5).
    assert 0.5 - BREAK_EPS in curve.x and 0.5 + BREAK_EPS in curve.x
    for i in gaps:
        assert abs(curve.f[i - 1] - curve.f[i + 1]) > 1e-6
    np.testing.assert_allclose(curve.jumps, [[0.5, 0.9, 0.1]])


def test_scores_along_the_curve_are_the_quadratic_closed_form() -> None:
    curve = binary_curve(LINEAR, points=201)
    responds, held = binary_scores(QUADRATIC, LINEAR, curve.x, np.array([0.3, 0.7]))
    np.testing.assert_allclose(responds, quadratic_binary(curve.x, linear(curve.x)), atol=1e-12)
    np.testing.assert_allclose(held, quadratic_binary(curve.x, 0.3), atol=1e-12)
    # With the world held at the truth q the score peaks at the truth (the rule is proper).
    assert curve.x[np.argmax(held)] == pytest.approx(0.3, abs=1 / 200)


def test_scores_keep_the_gaps_and_the_log_rule_infinities() -> None:
    x = np.array([0.0, 0.25, np.nan, 1.0])
    responds, held = binary_scores(ScoringRule("log"), LINEAR, x, np.array([0.5, 0.5]))
    assert np.isnan(responds[2]) and np.isnan(held[2])
    assert held[0] == -np.inf and held[3] == -np.inf  # ln 0 on the outcome that happens half the time
    q = linear(0.25)
    assert responds[1] == pytest.approx(q * np.log(0.25) + (1 - q) * np.log(0.75))


def test_cobweb_follows_the_linear_orbit() -> None:
    start, steps = 0.9, 6
    path_x, path_y = cobweb(LINEAR, start, steps)
    orbit = 0.25 + 0.25 ** np.arange(steps + 1) * (start - 0.25)  # x_t = p* + α^t (x₀ − p*)
    assert len(path_x) == len(path_y) == 2 * steps + 1
    np.testing.assert_allclose(path_x[0::2], orbit)  # on the diagonal at (x_t, x_t) ...
    np.testing.assert_allclose(path_y[0::2], orbit)
    np.testing.assert_allclose(path_x[1::2], orbit[:-1])  # ... up to the curve at (x_t, x_{t+1})
    np.testing.assert_allclose(path_y[1::2], orbit[1:])


def test_cobweb_of_no_rounds_is_the_start() -> None:
    path_x, path_y = cobweb(LINEAR, 0.4, 0)
    assert path_x.tolist() == [0.4] and path_y.tolist() == [0.4]


def test_g_curves_are_the_rules_convex_functions() -> None:
    curves = g_curves([QUADRATIC, ScoringRule("log")], points=11)
    assert list(curves) == [QUADRATIC.label, ScoringRule("log").label]
    xs, g = curves[QUADRATIC.label]
    np.testing.assert_allclose(g, xs**2 + (1 - xs) ** 2, atol=1e-12)
    xs, g = curves[ScoringRule("log").label]
    inner = xs[1:-1]
    np.testing.assert_allclose(g[1:-1], inner * np.log(inner) + (1 - inner) * np.log(1 - inner), atol=1e-12)


# --- three outcomes -------------------------------------------------------------------------------


def test_vertices_and_centre_in_the_plane() -> None:
    x, y = to_plane(np.eye(3))
    np.testing.assert_allclose(np.column_stack([x, y]), [[0, 0], [1, 0], [0.5, TRIANGLE_HEIGHT]], atol=1e-15)
    cx, cy = to_plane(np.full(3, 1 / 3))
    assert (cx, cy) == pytest.approx((0.5, TRIANGLE_HEIGHT / 3))
    # Equilateral: every side has length 1.
    corners = np.column_stack([x, y])
    assert np.linalg.norm(corners[0] - corners[1]) == pytest.approx(1.0)
    assert np.linalg.norm(corners[1] - corners[2]) == pytest.approx(1.0)
    assert np.linalg.norm(corners[0] - corners[2]) == pytest.approx(1.0)


@given(st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3).filter(lambda v: sum(v) > 1e-3))
def test_plane_round_trip(weights: list[float]) -> None:
    p = np.array(weights) / sum(weights)
    np.testing.assert_allclose(from_plane(*to_plane(p)), p, atol=1e-12)


def test_triangle_grid_is_the_quadratic_score_of_a_matrix_world() -> None:
    world = MatrixWorld()
    grid = triangle_grid(world, QUADRATIC, resolution=20)
    assert grid.x.shape == (21,) and grid.y.shape == (int(20 * TRIANGLE_HEIGHT) + 1,)
    assert grid.p.shape == grid.f.shape == (len(grid.y), len(grid.x), 3) and grid.score.shape == grid.p.shape[:2]
    gx, gy = np.meshgrid(grid.x, grid.y)
    barycentric = from_plane(gx, gy)
    inside = np.all(barycentric >= -1e-12, axis=-1)
    assert inside.any() and (~inside).any()
    np.testing.assert_allclose(grid.p[inside], barycentric[inside], atol=1e-12)
    # f(p) = (1 − α) c + α A p, and the quadratic score S(p, q) = 2⟨p, q⟩ − ‖p‖².
    a, c = np.array(world.A), np.array(world.c)
    q = (1 - world.alpha) * c + world.alpha * grid.p @ a.T
    np.testing.assert_allclose(grid.f, q, atol=1e-12)
    want = 2 * np.sum(grid.p * q, axis=-1) - np.sum(grid.p**2, axis=-1)
    np.testing.assert_allclose(grid.score[inside], want[inside], atol=1e-12)
    assert np.isnan(grid.score[~inside]).all()


def test_triangle_grid_hides_infinite_scores() -> None:
    grid = triangle_grid(MatrixWorld(), ScoringRule("log"), resolution=10)
    assert not np.isinf(grid.score).any()
    assert np.isnan(grid.score[0, 0])  # the first vertex: ln 0 on outcomes that happen, NaN rather than −∞
    assert np.isfinite(grid.score[1, 5])  # inside


def test_field_on_interior_grid_points() -> None:
    world = get_preset("coordination").scenario.world
    assert isinstance(world, PolicyWorld)
    f = arrow_field(world, 6)
    assert f.k == 6
    # Interior points of the grid of sixths: compositions of 6 into 3 positive parts, C(5, 2) = 10.
    assert f.points.shape == (10, 3) and np.all(f.points > 0)
    np.testing.assert_allclose(f.points * 6, np.round(f.points * 6), atol=1e-12)
    np.testing.assert_allclose(f.images, world(f.points))
    assert len(arrow_field(world, 3).points) == 10  # small grids keep the edges: C(5, 2) points of thirds
