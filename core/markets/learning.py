"""k predictors learning together in one market: every predictor updates its own report in the same round,
with the conventions of :mod:`core.learning.dynamics` (step direction 2 P_T ∇, projection onto the simplex,
kept off the faces for rules that are not finite there).

``stop-gradient``  pᵢ ← Π(pᵢ + η d), d from ∇₁S(pᵢ, q) with q = f(A) held fixed: the rest points are the
                   profiles where every report equals f(A), so A is a fixed point.
``full-gradient``  pᵢ ← Π(pᵢ + η d), d from the gradient of predictor i's own expected payment, through the
                   pool and the world (the others' reports held fixed): the rest points are the equilibria'
                   first-order conditions.
``random-search``  every predictor proposes pᵢ′ = Π(pᵢ + η P_T z), z ~ N(0, I), and keeps it if its own expected
                   payment, the others' reports as they were, is higher.
"""

from __future__ import annotations

import numpy as np

from core.learning.dynamics import face_floor, project_floor, step_direction
from core.markets.equilibria import gradients
from core.markets.market import Market
from core.model.simplex import distance

METHODS = {"stop-gradient": "stop-gradient ascent", "full-gradient": "full gradient ascent",
           "random-search": "random search"}
MAX_TRAINING_STEPS = 5000
#: The starting reports: Dirichlet with this concentration (away from the faces, where the log rule's gradient
#: is steep enough to throw a fixed step across the simplex).
START_CONCENTRATION = 4.0
#: A run has settled when its announcement moved less than this (max-norm) in each of its last rounds (a tenth
#: of the run, at least 10).
SETTLED_TOL = 1e-7


def payments(market: Market, reports: np.ndarray) -> np.ndarray:
    """Every predictor's expected payment at profiles ``(S, k, n)``, shape ``(S, k)``."""
    q = market.world(market.announce(reports))
    with np.errstate(all="ignore"):
        s = market.rule.scores(reports)
        own = np.einsum("sn,skn->sk", q, s)
        if market.payment == "zero-sum" and market.k > 1:
            own = own - np.einsum("sn,skn->sk", q, (s.sum(axis=1, keepdims=True) - s) / (market.k - 1))
    return own


def train_market(market: Market, method: str, steps: int, step_size: float, seed: int,
                 fixed_points: np.ndarray) -> dict[str, np.ndarray]:
    """One run from random reports (Dirichlet, :data:`START_CONCENTRATION`, from ``seed``): the announcement at
    every round (``(steps + 1, n)``), its distance to the nearest of ``fixed_points`` (``(steps + 1,)``, NaN
    without any), the final reports ``(k, n)``, and whether the run ``settled`` (:data:`SETTLED_TOL`)."""
    if method not in METHODS:
        raise ValueError(f"method: choose one of {', '.join(METHODS)}, not {method!r}")
    if not 1 <= steps <= MAX_TRAINING_STEPS:
        raise ValueError(f"steps: give a whole number from 1 to {MAX_TRAINING_STEPS:,}, not {steps}")
    rng = np.random.default_rng(seed)
    k, n = market.k, market.world.n
    floor = face_floor(market.rule, n)
    r = project_floor(rng.dirichlet(np.full(n, START_CONCENTRATION), size=k), floor)[None]
    path = np.empty((steps + 1, n))
    path[0] = market.announce(r)[0]
    for t in range(1, steps + 1):
        if method == "stop-gradient":
            q = market.world(market.announce(r))
            with np.errstate(all="ignore"):
                grad = market.rule.expected_gradient(r, q[:, None])
            r = project_floor(r + step_size * step_direction(np.nan_to_num(grad)), floor)
        elif method == "full-gradient":
            r = project_floor(r + step_size * step_direction(np.nan_to_num(gradients(market, r))), floor)
        else:
            z = rng.standard_normal(r.shape)
            trial = project_floor(r + step_size * (z - z.mean(axis=-1, keepdims=True)), floor)
            # Predictor i's payment with its own proposal and everyone else's current report.
            alone = np.repeat(r, k, axis=0)
            alone[np.arange(k), np.arange(k)] = trial[0]
            better = np.diagonal(payments(market, alone)) > payments(market, r)[0]
            r = np.where(better[None, :, None], trial, r)
        path[t] = market.announce(r)[0]
    if len(fixed_points):
        d = np.min(distance(path[:, None], np.asarray(fixed_points)[None]), axis=1)
    else:
        d = np.full(steps + 1, np.nan)
    tail = max(10, steps // 10)
    settled = bool(steps >= tail and np.max(np.abs(np.diff(path[-tail - 1:], axis=0))) <= SETTLED_TOL)
    return {"announcement": path, "distance": d, "reports": r[0], "settled": settled}
