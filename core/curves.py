"""What the figures draw, sampled on grids: the map f, the scores along it, orbits, the triangle's grid.

The figure package (``figures/``) only draws; every number it shows comes from here or from
:class:`core.analysis.Analysis`. Two outcomes are parametrised by ``x`` = the probability of the first
outcome; three outcomes are drawn on an equilateral triangle in the plane (:func:`to_plane`): the first
outcome bottom left, the second bottom right, the third on top (docs/theory.md#conventions).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.learning.dynamics import repeated_prediction
from core.model.rules import ScoringRule
from core.model.simplex import binary, simplex_grid
from core.model.worlds import World

#: How far either side of a breakpoint the curve is sampled, so a jump shows as a vertical gap.
BREAK_EPS = 1e-9
#: A change of f between neighbouring samples larger than this, in a step world, is a jump (not a slope).
JUMP_TOL = 1e-6
#: The height of the triangle of side 1.
TRIANGLE_HEIGHT = np.sqrt(3.0) / 2.0


# --- two outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BinaryCurve:
    """The map f of a two-outcome world, sampled for drawing.

    Attributes
    ----------
    x : P(first outcome) on a grid of ``points`` values plus ``b ± BREAK_EPS`` at each breakpoint ``b``,
        with a NaN inserted where a step world jumps (so a line through the samples breaks there).
    f : f(x)[0] at each sample (NaN at the gaps).
    jumps : shape (k, 3): each breakpoint ``b`` of a step world with f just left and just right of it,
        ``(b, f(b − ε), f(b + ε))``; empty for smooth worlds.
    """

    x: np.ndarray
    f: np.ndarray
    jumps: np.ndarray


def binary_curve(world: World, points: int = 801) -> BinaryCurve:
    """Sample x ↦ f(x) on [0, 1] with the world's breakpoints, breaking the line where f jumps."""
    kinks = np.array(world.breakpoints(), dtype=float)
    xs = np.union1d(np.linspace(0.0, 1.0, points), np.concatenate([kinks - BREAK_EPS, kinks + BREAK_EPS]))
    xs = xs[(xs >= 0) & (xs <= 1)]
    fx = world(binary(xs))[:, 0]
    jumps = np.empty((0, 3))
    if world.is_step:
        gaps = np.flatnonzero(np.abs(np.diff(fx)) > JUMP_TOL)
        xs = np.insert(xs, gaps + 1, np.nan)
        fx = np.insert(fx, gaps + 1, np.nan)
        if len(kinks):
            sides = world(binary(np.stack([kinks - BREAK_EPS, kinks + BREAK_EPS], axis=-1)))[..., 0]
            jumps = np.column_stack([kinks, sides])
    return BinaryCurve(xs, fx, jumps)


def binary_scores(rule: ScoringRule, world: World, x: np.ndarray, held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The predictor's expected score along ``x`` (NaN where ``x`` is NaN).

    Returns ``S(p, f(p))``, the score when the world responds to the report, and ``S(p, q)`` with the world
    held at ``q = held`` (the stop-gradient view, docs/theory.md#learning-dynamics), both for ``p = (x, 1 − x)``.
    The log rule gives −∞ at the ends; those values are kept.
    """
    gaps = np.isnan(x)
    grid = binary(np.where(gaps, 0.5, x))
    with np.errstate(all="ignore"):
        responds = np.where(gaps, np.nan, rule.expected(grid, world(grid)))
        still = np.where(gaps, np.nan, rule.expected(grid, np.asarray(held, dtype=float)))
    return responds, still


def cobweb(world: World, start: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The cobweb path of repeated prediction p ← f(p) from P(first) = ``start``.

    With the orbit x₀, x₁ = f(x₀), …, x_s the path is (x₀, x₀), (x₀, x₁), (x₁, x₁), (x₁, x₂), …, (x_s, x_s):
    up to the curve, across to the diagonal, and so on; ``2 s + 1`` points for ``s`` steps.
    """
    orbit = repeated_prediction(world, binary(start), steps)[:, 0]
    path_x = np.repeat(orbit, 2)[:-1]
    path_y = np.concatenate([[orbit[0]], np.repeat(orbit[1:], 2)])
    return path_x, path_y


def g_curves(rules: list[ScoringRule], points: int = 401) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """G(x) = S(p, p) of each rule on two outcomes, by its label, on ``points`` values of x in [0, 1]."""
    xs = np.linspace(0.0, 1.0, points)
    with np.errstate(all="ignore"):
        return {rule.label: (xs, rule.G(binary(xs))) for rule in rules}


# --- three outcomes -------------------------------------------------------------------------------


def to_plane(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric (..., 3) to the plane: first outcome at (0, 0), second at (1, 0), third at (1/2, √3/2)."""
    p = np.asarray(p, dtype=float)
    return p[..., 1] + 0.5 * p[..., 2], TRIANGLE_HEIGHT * p[..., 2]


def from_plane(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The inverse of :func:`to_plane` (points outside the triangle get negative coordinates)."""
    p3 = np.asarray(y, dtype=float) / TRIANGLE_HEIGHT
    p2 = np.asarray(x, dtype=float) - 0.5 * p3
    return np.stack([1.0 - p2 - p3, p2, p3], axis=-1)


@dataclass(frozen=True)
class TriangleGrid:
    """A rectangular grid over the triangle of three outcomes, for a heat map.

    Attributes
    ----------
    x, y : the grid's plane coordinates, shapes (nx,) and (ny,).
    p : shape (ny, nx, 3): the prediction at each grid point (outside the triangle: the nearest
        point's clipped coordinates, only so that f is defined there).
    f : shape (ny, nx, 3): f(p).
    score : shape (ny, nx): S(p, f(p)) inside the triangle, NaN outside it and where it is not finite.
    """

    x: np.ndarray
    y: np.ndarray
    p: np.ndarray
    f: np.ndarray
    score: np.ndarray


def triangle_grid(world: World, rule: ScoringRule, resolution: int = 100) -> TriangleGrid:
    """Sample p, f(p) and S(p, f(p)) on a grid of spacing ``1/resolution`` over the triangle."""
    xs = np.linspace(0.0, 1.0, resolution + 1)
    ys = np.linspace(0.0, TRIANGLE_HEIGHT, int(resolution * TRIANGLE_HEIGHT) + 1)
    p = from_plane(*np.meshgrid(xs, ys))
    inside = np.all(p >= -1e-12, axis=-1)
    p = np.clip(p, 0.0, 1.0)
    p /= p.sum(axis=-1, keepdims=True)
    q = world(p)
    with np.errstate(all="ignore"):
        score = np.where(inside, rule.expected(p, q), np.nan)
    return TriangleGrid(xs, ys, p, q, np.where(np.isfinite(score), score, np.nan))


@dataclass(frozen=True)
class ArrowField:
    """Where repeated prediction goes from the points of ``simplex_grid(3, k)``.

    Attributes
    ----------
    points : shape (m, 3), the grid points (for ``k > 3`` only interior ones: arrows on the edges would
        crowd the outline).
    images : shape (m, 3), f at each point.
    k : the grid's resolution (points are multiples of ``1/k``), so a drawing can scale arrows to a cell.
    """

    points: np.ndarray
    images: np.ndarray
    k: int


def arrow_field(world: World, k: int = 14) -> ArrowField:
    """The field p ↦ f(p) on ``simplex_grid(3, k)`` (see :class:`ArrowField`)."""
    grid = simplex_grid(3, k)
    grid = grid[np.all(grid > 0, axis=1)] if k > 3 else grid
    return ArrowField(grid, world(grid), k)
