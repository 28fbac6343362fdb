"""The performative optimum p̂ = argmax_p S(p, f(p)): what a score-maximising predictor reports.

The search is global: S(p, f(p)) is evaluated on a grid over the whole simplex (with the world's
kinks as nodes for two outcomes), and every local maximum of the grid is refined locally (bounded
Brent for two outcomes, SLSQP with the analytic gradient for more). Step worlds are solved region
by region in :mod:`core.solve.support_enumeration`.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from core.model.rules import ScoringRule
from core.model.simplex import binary, grid_neighbours, grid_resolution, simplex_grid
from core.model.worlds import World
from core.solve.results import Optimum
from core.solve.search import grid_peaks, maximise_on_interval
from core.solve.support_enumeration import step_optimum

#: How many of the grid's local maxima are refined.
REFINE_STARTS = 8


def performative_score(world: World, rule: ScoringRule, p: np.ndarray) -> np.ndarray:
    """S(p, f(p)) for a batch of predictions."""
    return rule.expected(p, world(p))


def performative_gradient(world: World, rule: ScoringRule, p: np.ndarray) -> np.ndarray:
    """∇_p S(p, f(p)) = ∇_p S(p, q)|_{q=f(p)} + Df(p)ᵀ s(p), with s(p)_ω = S(p, ω) (ambient)."""
    p = np.asarray(p, dtype=float)
    q = world(p)
    through_world = np.einsum("...ij,...i->...j", world.jacobian(p), rule.scores(p))
    return rule.expected_gradient(p, q) + through_world


def performative_optimum(world: World, rule: ScoringRule) -> Optimum:
    """The global maximiser of S(p, f(p)) over the simplex."""
    if world.is_step:
        return step_optimum(world, rule)
    p = _binary_optimum(world, rule) if world.n == 2 else _simplex_optimum(world, rule)
    return Optimum(p=p, f=world(p), score=float(performative_score(world, rule, p)))


def _binary_optimum(world: World, rule: ScoringRule) -> np.ndarray:
    xs = np.union1d(np.linspace(0.0, 1.0, grid_resolution(2) + 1), world.breakpoints())
    x, _ = maximise_on_interval(lambda x: performative_score(world, rule, binary(x)), xs, count=REFINE_STARTS)
    return binary(x)


def _simplex_optimum(world: World, rule: ScoringRule) -> np.ndarray:
    n = world.n
    k = grid_resolution(n)
    grid = simplex_grid(n, k)
    with np.errstate(all="ignore"):
        vals = performative_score(world, rule, grid)
    peaks = grid_peaks(vals, grid_neighbours(n, k), REFINE_STARTS)
    best_p, best_v = grid[peaks[0]], float(vals[peaks[0]])
    for start in grid[peaks]:
        p, v = refine_optimum(world, rule, start)
        if v > best_v:
            best_p, best_v = p, v
    return best_p


def refine_optimum(world: World, rule: ScoringRule, start: np.ndarray) -> tuple[np.ndarray, float]:
    """The local maximum of S(p, f(p)) that SLSQP (with the analytic gradient) reaches from ``start``, and its
    value. Used by the global search above and by sweeps, which start it from the previous optimum."""
    n = world.n

    def negative(p: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            v = float(performative_score(world, rule, p))
        return -v if np.isfinite(v) else 1e300

    def negative_gradient(p: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            g = performative_gradient(world, rule, p)
        return -np.nan_to_num(g, nan=0.0, posinf=1e12, neginf=-1e12)

    on_simplex = {"type": "eq", "fun": lambda p: p.sum() - 1.0, "jac": lambda p: np.ones_like(p)}
    res = minimize(negative, start, jac=negative_gradient, method="SLSQP", bounds=[(1e-12, 1.0)] * n,
                   constraints=[on_simplex], options={"ftol": 1e-14, "maxiter": 200})
    p = np.clip(res.x, 0.0, None)
    p /= p.sum()
    return p, -negative(p)
