"""All fixed points f(p) = p of a world, with their stability under repeated prediction p ← f(p).

- Worlds whose f is a step function (a best-responding human, a hard threshold) are solved exactly,
  region by region, in :mod:`core.solve.support_enumeration`, which also finds the *mixed* fixed points that
  exist only once the graph of f is closed and convexified (Kakutani).
- Continuous worlds with two outcomes: every sign change of h(x) = f(x) − x on a fine grid (with
  the world's kinks as nodes) is refined by Brent's method, and touching zeros (local minima of
  |h| near 0) by bounded minimisation.
- Continuous worlds with three or more outcomes: Newton's method in the tangent space, started
  from every local minimum of ‖f(p) − p‖ on a simplex grid. Zeros closer than about two grid
  cells can merge; the tests compare against a four times finer grid on every preset.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from core.model.simplex import binary, grid_neighbours, grid_resolution, project, simplex_grid, tangent_basis, tangent_jacobian
from core.model.worlds import PolicyWorld, World
from core.solve.results import FIXED_TOL, FixedPoint, classify, merge_close
from core.solve.search import grid_peaks
from core.solve.support_enumeration import step_fixed_points


def find_fixed_points(world: World) -> list[FixedPoint]:
    """All fixed points of ``world``, sorted by the probability of the first outcome, descending."""
    if world.is_step:
        points = step_fixed_points(world)
    else:
        roots = _binary_roots(world) if world.n == 2 else _simplex_roots(world)
        points = [_regular(world, p) for p in roots]
    return sorted(points, key=lambda fp: tuple(-fp.p))


def _regular(world: World, p: np.ndarray) -> FixedPoint:
    stability, rho = classify(tangent_jacobian(world.jacobian(p)))
    mixing = world.action_probs(p) if isinstance(world, PolicyWorld) else None
    return FixedPoint(p=p, kind="regular", stability=stability, spectral_radius=rho, mixing=mixing)


def _binary_roots(world: World) -> list[np.ndarray]:
    def h(x: float) -> float:
        return float(world(binary(x))[0] - x)

    xs = np.union1d(np.linspace(0.0, 1.0, grid_resolution(2) + 1), world.breakpoints())
    hs = world(binary(xs))[..., 0] - xs
    # Only exact zeros of the grid count as roots by themselves: a tolerance would turn every node of a
    # nearly identical world (|f(x) − x| tiny everywhere) into a fixed point of its own.
    exact = hs == 0.0
    roots = list(xs[exact])
    crossings = np.flatnonzero(np.sign(hs[:-1]) * np.sign(hs[1:]) < 0)
    for i in crossings:
        roots.append(brentq(h, xs[i], xs[i + 1], xtol=1e-15, rtol=4 * np.finfo(float).eps))
    # Zeros where h touches 0 without changing sign: interior local minima of |h| that come close, away
    # from the zeros found above (minimising |h| again there would only give a less precise copy).
    found = exact.copy()
    found[crossings] = found[crossings + 1] = True
    ah = np.abs(hs)
    touch = [i for i in grid_peaks(-ah) if 0 < i < len(xs) - 1 and ah[i] < 1e-4 and not found[i - 1:i + 2].any()]
    for i in touch:
        res = minimize_scalar(lambda x: abs(h(x)), bounds=(xs[i - 1], xs[i + 1]), method="bounded",
                              options={"xatol": 1e-14})
        if res.fun <= FIXED_TOL:
            roots.append(float(res.x))
    return merge_close([binary(x) for x in sorted(roots)])


def _simplex_roots(world: World, k: int | None = None) -> list[np.ndarray]:
    n = world.n
    k = grid_resolution(n) if k is None else k
    grid = simplex_grid(n, k)
    resid = np.linalg.norm(world(grid) - grid, axis=-1)
    starts = grid[grid_peaks(-resid, grid_neighbours(n, k), 64)]
    return merge_close([p for p in newton(world, starts) if _residual(world, p) <= FIXED_TOL])


def newton(world: World, starts: np.ndarray, iterations: int = 60) -> np.ndarray:
    """Newton's method for f(p) = p in the tangent space, batched over starts, projected onto Δ."""
    b = tangent_basis(world.n)
    p = np.array(starts, dtype=float)
    for _ in range(iterations):
        h = world(p) - p
        if np.max(np.linalg.norm(h, axis=-1)) < 1e-14:
            break
        system = tangent_jacobian(world.jacobian(p)) - np.eye(world.n - 1)
        rhs = -(h @ b)
        try:
            step = np.linalg.solve(system, rhs[..., None])[..., 0]
        except np.linalg.LinAlgError:
            step = np.stack([np.linalg.lstsq(s, r, rcond=None)[0] for s, r in zip(system, rhs)])
        p = project(p + step @ b.T)
    return p


def _residual(world: World, p: np.ndarray) -> float:
    return float(np.linalg.norm(world(p) - p))
