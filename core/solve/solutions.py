"""The one solve layer: everything the explorer computes, for a batch of worlds at once.

:func:`solve_batch` takes K worlds of one kind and number of outcomes (a list, or a
:class:`core.model.batch.WorldBatch`) and a scoring rule for each, and returns their :class:`Solutions`: the
fixed points with their stability and certificate, the performative optimum p̂ and f(p̂), its inaccuracy and
its distance to the nearest fixed point, the theorems' bounds and the ratios to them, the human's utility, and
the honest optima. :func:`core.analysis.analyze` is the batch of one; diagrams, maps and studies call it with
their many worlds. Each world takes the way that suits it (its own grids, its own step or smooth search), so
what a world gets never depends on the other worlds of its batch: a sweep's value, a map's cell and a study's
row are the analysis of the scenario they link to.

Distances are those of :func:`core.model.simplex.distance`, the papers': |p₁ − q₁| for two outcomes, the
Euclidean norm for more; the bounds (:mod:`core.solve.bounds`) are stated in the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.model.batch import WorldBatch
from core.model.rules import ScoringRule
from core.model.simplex import distance
from core.model.worlds import PolicyWorld, World
from core.solve.bounds import BoundColumns, theorem_bounds_batch
from core.solve.certificate import Certificates, certify_columns
from core.solve.fixed_points import fixed_point_columns
from core.solve.optimum import performative_optima
from core.solve.results import FixedPoints, Optima

#: What :func:`solve_batch` can compute; a map asks only for what its quantity needs.
PARTS = frozenset({"fixed_points", "optimum", "bounds"})
#: Values within this (relative) of the best count as tied for the honest optimum.
TIE_TOL = 1e-12


@dataclass(frozen=True)
class Solutions:
    """What :func:`solve_batch` found for each world k of a batch, as columns (``None`` for a part not asked for).

    Attributes
    ----------
    fixed_points : every fixed point, flat (``fixed_points[k]``: world k's, sorted by the first outcome, descending).
    certificates : the completeness certificates (``certificates[k]``: world k's).
    scores : G(p) = S(p, p) at each fixed point, flat like ``fixed_points``.
    human_utilities : the human's expected utility at each fixed point, flat (``None`` without a policy).
    optima : the performative optima (``optima[k]``: world k's).
    optimum_human_utility, optimum_mixing : the human's expected utility acting on p̂, and π(· | p̂).
    inaccuracy : distance(p̂, f(p̂)), shape ``(K,)``.
    distance_to_fixed_point : distance from p̂ to the nearest fixed point (NaN where there is none).
    nearest_fixed_point : that fixed point, shape ``(K, n)`` (NaN where there is none).
    bounds : the theorems' bounds (``bounds[k]``: world k's, ``None`` where none applies).
    best_by_score, best_for_human : per world, the index into its fixed points of the honest optima (−1: none).
    """

    fixed_points: FixedPoints | None
    certificates: Certificates | None
    scores: np.ndarray | None
    human_utilities: np.ndarray | None
    optima: Optima | None
    optimum_human_utility: np.ndarray | None
    optimum_mixing: np.ndarray | None
    inaccuracy: np.ndarray | None
    distance_to_fixed_point: np.ndarray | None
    nearest_fixed_point: np.ndarray | None
    bounds: BoundColumns | None
    best_by_score: np.ndarray | None
    best_for_human: np.ndarray | None

    @property
    def counts(self) -> np.ndarray:
        """The number of fixed points of each world."""
        return self.fixed_points.counts.astype(float)

    def of_world(self, values: np.ndarray, k: int) -> np.ndarray:
        """World k's entries of a flat column of the fixed points (``scores``, ``human_utilities``)."""
        lo, hi = np.searchsorted(self.fixed_points.owner, [k, k + 1])
        return values[lo:hi]

    def bound(self, which: str) -> np.ndarray:
        """Each world's bound on ``"inaccuracy"`` or ``"distance"`` (NaN where none applies)."""
        return self.bounds.inaccuracy if which == "inaccuracy" else self.bounds.distance_to_fixed_point

    def ratio(self, which: str) -> np.ndarray:
        """The inaccuracy (``"inaccuracy"``) or the distance to the fixed point (``"distance"``) over its bound;
        NaN where no bound applies, or where the bound is 0 (f constant: p̂ is then honest anyway)."""
        value = self.inaccuracy if which == "inaccuracy" else self.distance_to_fixed_point
        bound = self.bound(which)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bound > 0, value / bound, np.nan)


def solve_batch(worlds: Sequence[World] | WorldBatch, rules: ScoringRule | Sequence[ScoringRule],
                parts: frozenset[str] = PARTS) -> Solutions:
    """The :class:`Solutions` of each world with its rule.

    Parameters
    ----------
    worlds : sequence of World or WorldBatch
        K worlds of one kind and one number of outcomes.
    rules : ScoringRule or sequence of ScoringRule
        One rule for every world, or one per world.
    parts : frozenset of str
        Which of :data:`PARTS` to compute ("fixed_points", "optimum", "bounds"); the others stay ``None``.

    Returns
    -------
    Solutions
        Columns over the K worlds; ``Solutions.of_world(k)`` is what :func:`core.analysis.analyze` shows.

    Examples
    --------
    The quadratic rule in linear worlds with p* = 1/4: p̂ = (2(1−α)p* − α)/(2 − 4α) clipped to [0, 1] (THEORY),
    so 0.25 at α = 0, 0.125 at α = 1/4 and the edge 0 at α = 0.4, where the inaccuracy is f(0) = p*(1 − α) = 0.15.

    >>> from core import LinearWorld, ScoringRule, solve_batch
    >>> worlds = [LinearWorld(p_star=0.25, alpha=alpha) for alpha in (0.0, 0.25, 0.4)]
    >>> solutions = solve_batch(worlds, ScoringRule("quadratic"))
    >>> solutions.optima.p[:, 0].round(6).tolist(), solutions.inaccuracy.round(6).tolist()
    ([0.25, 0.125, 0.0], [0.0, 0.09375, 0.15])
    """
    batch = worlds if isinstance(worlds, WorldBatch) else WorldBatch(worlds)
    count = len(batch)
    one_rule = isinstance(rules, ScoringRule)
    rules = [rules] * count if one_rule else list(rules)
    if len(rules) != count:
        raise ValueError(f"solve_batch: {count} worlds but {len(rules)} rules")
    if not parts <= PARTS:
        raise ValueError(f"solve_batch: unknown parts {', '.join(sorted(parts - PARTS))}")
    policy = issubclass(batch.kind, PolicyWorld)
    everyone = np.arange(count)
    points = certificates = scores = utilities = optima = opt_utility = opt_mixing = None
    inaccuracy = nearest = nearest_point = bounds = best_score = best_human = None
    if "fixed_points" in parts:
        points = fixed_point_columns(batch)
        owner, flat = points.owner, points.p
        certificates = certify_columns(batch, owner, flat)
        scores = np.empty(len(owner))
        for rule in set(rules):
            mine = slice(None) if one_rule else np.isin(owner, [k for k in everyone if rules[k] == rule])
            scores[mine] = rule.G(flat[mine])
        best_score = best_index(scores, scores, owner, count)
        if policy:
            utilities = batch.at(owner).expected_utility(flat, points.mixing) if len(owner) else np.zeros(0)
            best_human = best_index(utilities, scores, owner, count)
    if "optimum" in parts:
        optima = performative_optima(batch, rules)
        inaccuracy = distance(optima.p, optima.f)
        if policy:
            world = batch.at(everyone)
            opt_utility, opt_mixing = world.expected_utility(optima.p), world.action_probs(optima.p)
        if points is not None:
            d = distance(flat, optima.p[owner]) if len(owner) else np.zeros(0)
            closest = best_index(-d, np.zeros(len(d)), owner, count)
            start = np.searchsorted(owner, everyone)
            has = closest >= 0
            nearest, nearest_point = np.full(count, np.nan), np.full((count, batch.n), np.nan)
            nearest[has] = d[start[has] + closest[has]]
            nearest_point[has] = flat[start[has] + closest[has]]
    if "bounds" in parts:
        bounds = theorem_bounds_batch(batch, rules)
    return Solutions(points, certificates, scores, utilities, optima, opt_utility, opt_mixing, inaccuracy, nearest,
                     nearest_point, bounds, best_score, best_human)


def best_index(values: np.ndarray, tiebreak: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """For each world (``owner`` sorted), the index among its own entries of the largest finite value; among
    near-ties (within :data:`TIE_TOL`, relative) the one with the largest ``tiebreak``, then the first. −1 for a
    world with no finite value."""
    v = np.where(np.isfinite(values), values, -np.inf)
    top = np.full(count, -np.inf)
    np.maximum.at(top, owner, v)
    tied = np.isfinite(v) & (v >= top[owner] - TIE_TOL * (1.0 + np.abs(top[owner])))
    out = np.full(count, -1)
    position = np.arange(len(v))
    start = np.searchsorted(owner, np.arange(count))
    candidates = position[tied]
    if len(candidates):
        tb = np.where(np.isfinite(tiebreak[candidates]), tiebreak[candidates], -np.inf)
        order = np.lexsort((candidates, -tb, owner[candidates]))
        chosen = candidates[order]
        first = np.concatenate([[True], np.diff(owner[chosen]) > 0])
        out[owner[chosen[first]]] = chosen[first] - start[owner[chosen[first]]]
    return out
