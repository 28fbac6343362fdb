"""Exact fixed points and performative optimum for worlds whose f is a step function.

A best-responding human (or a hard threshold) takes the actions whose preference V[a]·p + b[a] is
largest; f is constant on each region where the set of best actions T is the same, and equals
q_T = the mean of the (ε-explored) outcome distributions of T there.

Fixed points, by support enumeration (as for Nash equilibria): for every set S of actions, the
mixture p = Σ_{a∈S} λ_a q_a that makes all of S tie is found from a linear system; it is a fixed
point if λ ≥ 0 and S is among the best actions at p. It is *regular* when f(p) = p holds with ties
split evenly and f is constant around p, and *mixed* otherwise (a fixed point of the closure and
convex hull of the graph of f, Kakutani's theorem, at which the human mixes S with weights λ).
Actions the human can never tell apart (identical preferences) tie everywhere; their fixed points
then form a whole segment, of which the ends and the even split are reported.

Optimum: on each region, S(p, f(p)) = S(p, q_T) with q_T fixed, maximised over the closed region (a
polytope) by SLSQP from the best grid point of that region. Where the best point lies on a region's
boundary the value is a supremum approached from inside the region: ``attained`` says which.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from scipy.optimize import linprog, minimize, nnls

from core.model.rules import ScoringRule
from core.model.simplex import grid_resolution, simplex_grid
from core.model.choice import best_actions
from core.model.worlds import PolicyWorld
from core.solve.results import FIXED_TOL, FixedPoint, Optimum, merge_close

#: Slack allowed in the "λ ≥ 0" and "S is best" tests of support enumeration.
SUPPORT_TOL = 1e-10


def step_fixed_points(world: PolicyWorld) -> list[FixedPoint]:
    v, b = world.preferences()
    qe = world.effective_outcomes()
    twins = _twins(v, b)
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for size in range(1, world.m + 1):
        for support in combinations(range(world.m), size):
            s = list(support)
            # Indistinguishable actions tie everywhere, so a support with two of them leaves λ undetermined
            # (lstsq would pick an arbitrary point inside their segment); only the segment's ends (the
            # extreme rows among twins, below) and the even split (next loop) are reported.
            if len(set(twins[s])) < size:
                continue
            if size == 1 and not _extreme_among_twins(qe, np.flatnonzero(twins == twins[s[0]]), s[0]):
                continue
            rows = [(v[a] - v[s[0]]) @ qe[s].T for a in s[1:]] + [np.ones(size)]
            rhs = [b[s[0]] - b[a] for a in s[1:]] + [1.0]
            lam, *_ = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)
            if not np.allclose(np.array(rows) @ lam, rhs, atol=1e-9) or np.any(lam < -SUPPORT_TOL):
                continue
            lam = np.clip(lam, 0.0, None)
            lam /= lam.sum()
            p = lam @ qe[s]
            pref = v @ p + b
            if np.any(pref[s] < pref.max() - SUPPORT_TOL * (1 + np.abs(pref).max())):
                continue
            weights = np.zeros(world.m)
            weights[s] = lam
            found.append((p, weights))
    # A degenerate support (identical actions) has many solutions; its even split is one of them.
    for size in range(2, world.m + 1):
        for support in combinations(range(world.m), size):
            p = qe[list(support)].mean(axis=0)
            if np.linalg.norm(world(p) - p) <= FIXED_TOL:
                found.append((p, world.base_policy(p)))
    unique = merge_close([p for p, _ in found])
    points = []
    for p in unique:
        weights = next(w for q, w in found if np.max(np.abs(q - p)) <= 1e-7)
        points.append(_classify(world, p, weights))
    return points


def tie_mixtures(world: PolicyWorld) -> np.ndarray:
    """For every set S of actions, the mixture p = Σ_{a∈S} λ_a q_a (ε-explored rows, λ ≥ 0) at which all of S
    tie, whether or not S is best there, shape ``(k, n)``.

    These are the candidates of support enumeration before its checks: near them sit the fixed points of a
    nearly rational human (softmax with large β), so the smooth search starts Newton's method from them.
    """
    v, b = world.preferences()
    qe = world.effective_outcomes()
    out = []
    for size in range(1, world.m + 1):
        for support in combinations(range(world.m), size):
            s = list(support)
            rows = [(v[a] - v[s[0]]) @ qe[s].T for a in s[1:]] + [np.ones(size)]
            rhs = [b[s[0]] - b[a] for a in s[1:]] + [1.0]
            lam = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)[0]
            if np.all(lam >= -SUPPORT_TOL):
                out.append(np.clip(lam, 0.0, None) @ qe[s] / np.clip(lam, 0.0, None).sum())
    return np.array(out).reshape(-1, world.n)


def _classify(world: PolicyWorld, p: np.ndarray, weights: np.ndarray) -> FixedPoint:
    if np.linalg.norm(world(p) - p) <= FIXED_TOL and _locally_constant(world, p):
        return FixedPoint(p=p, kind="regular", stability="attracting", spectral_radius=0.0,
                          mixing=world.action_probs(p))
    # Either f jumps at p, or f(p) ≠ p and p is a fixed point only of the convexified graph: the
    # human mixes the tied actions with these weights, and repeated prediction does not settle on p.
    mixing = (1.0 - world.epsilon) * weights + world.epsilon / world.m
    return FixedPoint(p=p, kind="mixed", stability="repelling", spectral_radius=float("inf"), mixing=mixing)


def _locally_constant(world: PolicyWorld, p: np.ndarray) -> bool:
    """Whether f is constant on a neighbourhood of p.

    Near p the best actions are a union of classes of indistinguishable actions among those tied at p
    (identical preferences tie everywhere); f is the mean of their outcome rows, which is the same for
    every such union exactly when every class has the same mean row (e.g. one class only, or ε = 1).
    """
    v, b = world.preferences()
    tied = np.flatnonzero(best_actions(v @ p + b))
    twins = _twins(v, b)
    qe = world.effective_outcomes()
    means = [qe[tied[twins[tied] == t]].mean(axis=0) for t in np.unique(twins[tied])]
    return all(np.allclose(m, means[0], rtol=0.0, atol=1e-12) for m in means)


def _twins(v: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Label of each action's class of indistinguishable actions (identical preference V[a]·p + b[a])."""
    labels = np.arange(len(b))
    for a in range(len(b)):
        for c in range(a):
            if np.allclose(v[a], v[c], rtol=0.0, atol=1e-12) and abs(b[a] - b[c]) <= 1e-12:
                labels[a] = labels[c]
                break
    return labels


def _extreme_among_twins(qe: np.ndarray, twins: np.ndarray, a: int) -> bool:
    """Whether row a is not a convex combination of the rows of its indistinguishable twins."""
    others = [c for c in twins if c != a and not np.allclose(qe[c], qe[a], rtol=0.0, atol=1e-12)]
    if not others:
        return True
    # Non-negative least squares with a heavily weighted "weights sum to 1" row.
    system = np.vstack([qe[others].T, 1e3 * np.ones(len(others))])
    _, residual = nnls(system, np.append(qe[a], 1e3))
    return residual > 1e-9


def step_optimum(world: PolicyWorld, rule: ScoringRule) -> Optimum:
    """The performative optimum of a step world (``attained`` False for a supremum approached at a jump)."""
    v, b = world.preferences()
    grid = simplex_grid(world.n, grid_resolution(world.n) if world.n > 2 else 400)
    # A region thinner than the grid spacing holds no grid point: add one point inside every region.
    grid = np.vstack([grid, _region_seeds(world)])
    best_sets = best_actions(grid @ v.T + b)
    best_p, best_q, best_value = grid[0], world(grid[0]), -np.inf
    for pattern in np.unique(best_sets, axis=0):
        members = np.all(best_sets == pattern, axis=1)
        q_t = world(grid[np.flatnonzero(members)[0]])
        values = rule.expected(grid[members], q_t)
        start = grid[members][int(np.argmax(values))]
        p, value = _maximise_in_region(rule, q_t, v, b, np.flatnonzero(pattern), start)
        if value > best_value:
            best_p, best_q, best_value = p, q_t, value
    # On a region's boundary f takes the tie value; the supremum is attained only if that is as good.
    actual = float(rule.expected(best_p, world(best_p)))
    if actual >= best_value - 1e-10:
        return Optimum(p=best_p, f=world(best_p), score=actual, attained=True)
    return Optimum(p=best_p, f=best_q, score=best_value, attained=False)


def _region_seeds(world: PolicyWorld) -> np.ndarray:
    """One point inside the region of each action that is strictly best somewhere.

    Two outcomes: the midpoints between consecutive breakpoints. More: for each action a, the point of
    the simplex where a beats every distinguishable other action by the largest margin (a small LP).
    """
    n = world.n
    if n == 2:
        edges = np.array([0.0, *world.breakpoints(), 1.0])
        mid = 0.5 * (edges[:-1] + edges[1:])
        return np.stack([mid, 1.0 - mid], axis=-1)
    v, b = world.preferences()
    twins = _twins(v, b)
    seeds = []
    for a in range(world.m):
        others = np.flatnonzero(twins != twins[a])
        if len(others) == 0:
            continue
        # Variables (p, t): maximise t subject to (V[a] − V[c])·p + b[a] − b[c] ≥ t for every other c.
        res = linprog(np.append(np.zeros(n), -1.0),
                      A_ub=np.hstack([v[others] - v[a], np.ones((len(others), 1))]), b_ub=b[a] - b[others],
                      A_eq=np.append(np.ones(n), 0.0)[None, :], b_eq=[1.0],
                      bounds=[(0.0, 1.0)] * n + [(None, None)], method="highs")
        if res.status == 0 and -res.fun > 0:
            p = np.clip(res.x[:n], 0.0, None)
            seeds.append(p / p.sum())
    return np.array(seeds).reshape(-1, n)


def _maximise_in_region(rule: ScoringRule, q: np.ndarray, v: np.ndarray, b: np.ndarray,
                        tied: np.ndarray, start: np.ndarray) -> tuple[np.ndarray, float]:
    a0 = tied[0]
    others = [c for c in range(len(b)) if c not in set(tied)]
    # Region: the tied actions stay at least as good as every other action.
    lhs = np.array([v[a0] - v[c] for c in others]).reshape(-1, len(q))
    rhs = np.array([b[a0] - b[c] for c in others])
    constraints = [{"type": "eq", "fun": lambda p: p.sum() - 1.0, "jac": lambda p: np.ones_like(p)}]
    if others:
        constraints.append({"type": "ineq", "fun": lambda p: lhs @ p + rhs, "jac": lambda p: lhs})
    res = minimize(
        lambda p: -float(rule.expected(p, q)),
        start,
        jac=lambda p: -rule.expected_gradient(p, q),
        bounds=[(1e-12, 1.0)] * len(q),
        constraints=constraints,
        method="SLSQP",
        options={"ftol": 1e-13, "maxiter": 200},
    )
    p = np.clip(res.x, 0.0, None)
    p /= p.sum()
    # q itself, when it lies in the region, is the exact maximiser of a proper rule (SLSQP only gets close).
    candidates = [start] + [c for c in (p, q) if ((not others) or np.all(lhs @ c + rhs >= -1e-9))
                            and np.isfinite(rule.expected(c, q))]
    values = [float(rule.expected(c, q)) for c in candidates]
    i = int(np.argmax(values))
    return candidates[i], values[i]
