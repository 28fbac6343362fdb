"""The Nash equilibria of a market's reports, found and checked (docs/theory.md#markets).

Each predictor maximises its expected payment given the others' reports. With equal weights the search is for
the symmetric equilibria, every predictor reporting the same p. There the announcement is p under both pools,
and predictor i's first-order condition on the simplex is that the tangent part of

    F(p) = ∇₁S(p, f(p)) + w Df(p)ᵀ (s(p) − c(p))        (w = 1/k, s(p)_ω = S(p, ω))

vanishes, with c = 0 for the own payment and c = s(p) for the zero-sum one. The log pool's ∂A/∂pᵢ differs
from the linear pool's only along 𝟙, which the tangent part drops. So under the zero-sum payment the symmetric
equilibria are the fixed points, and under the own payment with k = 1 the condition is that of p̂.

- Two outcomes: the sign changes of F along (1, −1) on a fine grid, each solved by regula falsi, and the
  ends where the condition holds as an inequality. The search is complete on the grid's scale (``complete``).
- More outcomes: Newton's method on the tangent field from the grid's best nodes, and projected ascent along F
  for equilibria on a face. Only what these reach is found (``complete`` is False).
- Unequal weights: simultaneous projected gradient ascent of every predictor's own payment, from symmetric
  starts, to its rest points (``complete`` is False).

The market maker (``pool="lmsr"``) is solved in turn: each trader's best price given the price it finds, by a
global search (a grid finer than the check's, its best peaks climbed); the market after k traders is reported as
the one equilibrium (``equilibria``), each trader's move checked like a deviation. Its rest points are the
prices no trader moves: at an interior one the first-order condition is p = f(p) (docs/theory.md#markets), so
the world's interior fixed points are the candidates, each checked by the same global search
(``MarketAnalysis.rest_points``; those a trader leaves are ``rejected``). A rest point attracts when the map
from the price a trader finds to the price it leaves has a Jacobian there with spectral radius below 1.

Every candidate is checked by a global search over each predictor's deviations (a grid of the simplex, its
best peaks climbed). ``exact`` means that no deviation gains more than :data:`GAIN_TOL`; a candidate where
one gains more than :data:`NEAR_TOL` is no equilibrium (a local optimum or a saddle of some predictor's payment)
and is listed apart (``MarketAnalysis.rejected``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from core.markets.market import Market
from core.model.simplex import (binary, distance, grid_neighbours, grid_resolution, project, simplex_grid,
                                tangent_basis)
from core.solve.results import FixedPoint
from core.solve.bounds import theorem_bounds
from core.solve.search import ascend_on_simplex, grid_peaks, illinois
from core.solve.solutions import solve_batch

MAX_PREDICTORS = 50
#: The numbers of predictors a distance curve marks (the Markets page adds its slider's k).
CURVE_KS = (1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20, 25, 30, 40, 50)
#: An equilibrium is exact when no predictor's best deviation gains more than this.
GAIN_TOL = 1e-9
#: A candidate whose best deviation gains more than this is no equilibrium.
NEAR_TOL = 1e-6
#: Two candidates closer than this (max-norm over all reports) are one equilibrium.
SAME = 1e-7
#: Two outcomes: grid cells for the sign changes of the first-order condition.
LINE_CELLS = 4000
#: More outcomes, or unequal weights: starts, Newton steps, projected-ascent steps and step size.
STARTS, NEWTON_STEPS, ASCENT_STEPS, ASCENT_STEP = 12, 40, 4000, 0.05
#: Interior: every coordinate of every report above this.
INTERIOR = 1e-9
#: A market maker's trader searches a grid this many times finer per edge than the deviation check's.
MOVE_REFINE = 2
#: Peaks of a grid climbed by a global search.
PEAKS = 8


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium of the reports.

    Attributes
    ----------
    reports : shape ``(k, n)``, predictor i's report in row i.
    announcement, f : the pooled announcement A and f(A).
    payments : each predictor's expected payment.
    distance_to_fixed_point : distance (:func:`core.model.simplex.distance`) from A to the nearest fixed point
        (NaN if the world has none); ``nearest_fixed_point`` is that point.
    deviation_gain : per predictor, the most a unilateral deviation gains (global search).
    exact : every deviation gain ≤ :data:`GAIN_TOL`.
    bound : per predictor, the market bound |∂A/∂pᵢ f′(A) (g(pᵢ) − ḡᵢ)/g′(pᵢ)| on |f(A) − pᵢ| (two
        outcomes; ḡᵢ is 0 for the own payment, the mean of the others' g for zero-sum), ``None`` for more.
        A market maker's trader: |f′(pᵢ) (g(pᵢ) − g(pᵢ₋₁))/g′(pᵢ)| on |f(pᵢ) − pᵢ|, its price's own.
    bound_holds : per predictor, whether the bound holds (to 1e-9); ``None`` where there is no bound.
    attracts : whether simultaneous gradient learning (each predictor ascending its own payment, the others'
        reports held fixed) is drawn to the equilibrium: every eigenvalue of its Jacobian on the tangent
        spaces has negative real part. ``None`` where a report is on the boundary. A market maker's rest
        point: whether the traders' prices are drawn to it (see the module's docstring); ``None`` elsewhere.
    """

    reports: np.ndarray
    announcement: np.ndarray
    f: np.ndarray
    payments: np.ndarray
    distance_to_fixed_point: float
    nearest_fixed_point: np.ndarray | None
    deviation_gain: np.ndarray
    exact: bool
    bound: list[float] | None
    bound_holds: list[bool] | None
    attracts: bool | None


@dataclass(frozen=True)
class MarketAnalysis:
    """A market's equilibria (best paid first), the candidates that are none (``rejected``: some predictor gains
    more than :data:`NEAR_TOL` by deviating), the world's fixed points, whether the search for symmetric
    equilibria is complete, and whether the weights are equal (``symmetric``: the search was for symmetric
    equilibria). ``distance_bound`` bounds an interior equilibrium's distance to the fixed point (see
    :func:`distance_bound`). A market maker's ``equilibria`` is the market after its k traders and
    ``rest_points`` the prices no trader moves (``None`` for the pools)."""

    market: Market
    equilibria: list[Equilibrium]
    rejected: list[Equilibrium]
    fixed_points: list[FixedPoint]
    complete: bool
    symmetric: bool
    distance_bound: float | None
    rest_points: list[Equilibrium] | None = None

    @property
    def chosen(self) -> Equilibrium | None:
        """The best-paid equilibrium (the one a market curve follows), ``None`` if none was found."""
        return self.equilibria[0] if self.equilibria else None


def analyze_market(market: Market) -> MarketAnalysis:
    """Find, check and describe the market's equilibria."""
    if market.world.is_step:
        raise ValueError("world: a market needs a world without jumps (softmax or a ramp, not a best response "
                         "or a hard threshold)")
    fixed = solve_batch([market.world], market.rule, frozenset({"fixed_points"})).fixed_points[0]
    if market.pool == "lmsr":
        return _maker_analysis(market, fixed)
    symmetric = bool(np.allclose(market.weights, market.weights[0]))
    if symmetric:
        points, complete = symmetric_candidates(market)
        profiles = [np.repeat(p[None], market.k, axis=0) for p in points]
    else:
        profiles, complete = learned_candidates(market), False
    found = [describe(market, r, fixed) for r in _distinct(profiles)]
    # Best paid first; payments equal to rounding (a symmetric world's mirror images) keep the search's order.
    found.sort(key=lambda e: -round(float(e.payments.mean()), 12))
    kept = [e for e in found if np.all(e.deviation_gain <= NEAR_TOL)]
    rejected = [e for e in found if not np.all(e.deviation_gain <= NEAR_TOL)]
    return MarketAnalysis(market, kept, rejected, fixed, complete, symmetric, distance_bound(market))


def distance_bound(market: Market) -> float | None:
    """A bound on |A − p*| at an interior equilibrium of two outcomes, own payment, world a contraction
    (|f′| ≤ L < 1, one fixed point p*): the market bound gives |f(A) − xᵢ| ≤ wᵢ L sup|g/g′| for every i, so
    |f(A) − A| ≤ max wᵢ L sup|g/g′|, and |A − p*| ≤ |A − f(A)| + L |A − p*| gives
    |A − p*| ≤ max wᵢ L sup|g/g′| / (1 − L): the single predictor's bound (docs/theory.md#bounds) with the
    influence L shared. ``None`` where it does not apply (linear pool only: the log pool's ∂A/∂xᵢ is wᵢ only at
    symmetric profiles)."""
    if market.world.n != 2 or market.payment != "own" or (market.pool != "linear" and not
                                                           np.allclose(market.weights, market.weights[0])):
        return None
    bounds = theorem_bounds(market.world, market.rule)
    if bounds is None or bounds.sup_g_ratio is None or not bounds.lipschitz < 1:
        return None
    return float(np.max(market.weights) * bounds.lipschitz * bounds.sup_g_ratio / (1 - bounds.lipschitz))


def market_curve(world, rule, k_max: int, pool: str = "linear", payment: str = "own") -> list[MarketAnalysis]:
    """:func:`analyze_market` of the markets of k = 1 … ``k_max`` equal predictors (a market maker's: the
    first k traders of one market of ``k_max``)."""
    if pool == "lmsr":
        return first_traders(analyze_market(Market.equal(world, rule, k_max, pool, payment)), range(1, k_max + 1))
    return [analyze_market(Market.equal(world, rule, k, pool, payment)) for k in range(1, k_max + 1)]


# --- the market maker -------------------------------------------------------------------------------------------

def trade(market: Market, price: np.ndarray) -> np.ndarray:
    """The market maker's trader's best price when it finds ``price`` (its global search; see the module)."""
    return best_report(market, np.stack([price, price]), 1, MOVE_REFINE * grid_resolution(market.world.n))[0]


def trade_path(market: Market) -> np.ndarray:
    """The price each of the k traders leaves, in turn from the opening price, shape ``(k, n)``."""
    path = np.empty((market.k, market.world.n))
    price = market.previous(path, 0)
    for i in range(market.k):
        if i >= 2 and np.array_equal(path[i - 1], path[i - 2]):
            path[i:] = path[i - 1]  # settled: every later trader finds the price its predecessor found
            break
        path[i] = price = trade(market, price)
    return path


def _maker_analysis(market: Market, fixed: list[FixedPoint]) -> MarketAnalysis:
    outcome = describe(market, trade_path(market), fixed)
    rests = [describe(replace(market, opening=fp.p), np.repeat(fp.p[None], market.k, axis=0), fixed)
             for fp in fixed if np.all(fp.p > INTERIOR)]
    kept = [e for e in rests if np.all(e.deviation_gain <= NEAR_TOL)]
    left = [e for e in rests if not np.all(e.deviation_gain <= NEAR_TOL)]
    return MarketAnalysis(market, [outcome], left, fixed, market.world.n == 2, True, None, kept)


def first_traders(analysis: MarketAnalysis, ks) -> list[MarketAnalysis]:
    """A market maker's analysis of k traders cut to its first k′ traders for each k′ in ``ks`` (a trader acts
    the same whoever comes after it)."""
    world, fixed = analysis.market.world, analysis.fixed_points

    def first(e: Equilibrium, k: int) -> Equilibrium:
        a = e.reports[k - 1]
        dist, nearest = _nearest(a, fixed)
        cut = (lambda v: None if v is None else v[:k])
        return Equilibrium(e.reports[:k], a, world(a), e.payments[:k], dist, nearest, e.deviation_gain[:k],
                           bool(np.all(e.deviation_gain[:k] <= GAIN_TOL)), cut(e.bound), cut(e.bound_holds),
                           e.attracts)

    return [MarketAnalysis(replace(analysis.market, weights=np.full(k, 1.0 / k)),
                           [first(e, k) for e in analysis.equilibria], [first(e, k) for e in analysis.rejected],
                           fixed, analysis.complete, True, None, [first(e, k) for e in analysis.rest_points])
            for k in ks]


# --- the symmetric first-order condition ------------------------------------------------------------------------

def symmetric_field(market: Market, p: np.ndarray) -> np.ndarray:
    """F(p) of the module's docstring for points ``(B, n)`` (ambient; only its tangent part matters)."""
    world, rule, w = market.world, market.rule, market.weights[0]
    with np.errstate(all="ignore"):
        q = world(p)
        own = rule.expected_gradient(p, q)
        if market.payment == "zero-sum" and market.k > 1:
            return own
        return own + w * np.einsum("bij,bi->bj", world.jacobian(p), rule.scores(p))


def symmetric_candidates(market: Market) -> tuple[list[np.ndarray], bool]:
    n = market.world.n
    if n == 2:
        return _line_roots(market), True
    return _simplex_roots(market), False


def _line_roots(market: Market) -> list[np.ndarray]:
    def phi(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        field = symmetric_field(market, binary(x.reshape(-1)))
        return (field[:, 0] - field[:, 1]).reshape(x.shape)

    xs = np.unique(np.concatenate([np.linspace(0.0, 1.0, LINE_CELLS + 1), market.world.breakpoints()]))
    values = phi(np.zeros(1, dtype=int), xs[None])[0]
    roots = list(xs[1:-1][values[1:-1] == 0])
    change = np.flatnonzero(np.isfinite(values[:-1]) & np.isfinite(values[1:]) & (values[:-1] * values[1:] < 0))
    if len(change):
        rows = np.zeros(len(change), dtype=int)
        roots += list(illinois(phi, rows, xs[change], xs[change + 1], values[change], values[change + 1]))
    # The ends: raising the report from 0 (lowering it from 1) must not pay.
    if np.isfinite(values[0]) and values[0] <= 0:
        roots.append(0.0)
    if np.isfinite(values[-1]) and values[-1] >= 0:
        roots.append(1.0)
    return [binary(x) for x in sorted(roots, reverse=True)]


def _residual(market: Market, p: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        return symmetric_field(market, p) @ tangent_basis(market.world.n)


def _simplex_roots(market: Market) -> list[np.ndarray]:
    n = market.world.n
    t = tangent_basis(n)
    k = grid_resolution(n)
    grid = simplex_grid(n, k)
    norm = np.linalg.norm(_residual(market, grid), axis=1)
    starts = grid[grid_peaks(-np.where(np.isfinite(norm), norm, np.inf), grid_neighbours(n, k), STARTS)]
    found = []
    # Interior: Newton's method on the tangent residual, its Jacobian by central differences.
    p = starts.copy()
    h = 1e-7
    for _ in range(NEWTON_STEPS):
        r = _residual(market, p)
        shifted = np.concatenate([p[:, None] + h * t.T[None], p[:, None] - h * t.T[None]], axis=1)
        rs = _residual(market, shifted.reshape(-1, n)).reshape(len(p), 2 * (n - 1), n - 1)
        jac = ((rs[:, :n - 1] - rs[:, n - 1:]) / (2 * h)).swapaxes(1, 2)
        with np.errstate(all="ignore"):
            try:
                step = np.linalg.solve(jac, r[..., None])[..., 0]
            except np.linalg.LinAlgError:
                break
        p = p - step @ t.T
        inside = np.all(np.isfinite(p), axis=1) & np.all(p > 0, axis=1)
        p = p[inside]
        if not len(p):
            break
    r = np.linalg.norm(_residual(market, p), axis=1) if len(p) else np.zeros(0)
    found += list(p[r <= 1e-10])
    # On faces too: projected ascent along F until it rests (a KKT point of every predictor's problem). A start
    # heading for a root Newton already found is dropped.
    p, rested = starts.copy(), []
    for step in range(1, ASCENT_STEPS + 1):
        p = project(p + ASCENT_STEP * np.nan_to_num(symmetric_field(market, np.clip(p, 1e-300, None))))
        if step % 50 and step < ASCENT_STEPS:
            continue
        with np.errstate(all="ignore"):
            rest = np.max(np.abs(project(p + symmetric_field(market, p)) - p), axis=1) <= 1e-9
        rested += list(p[rest])
        known = np.array(found) if found else np.zeros((0, n))
        near = np.zeros(len(p), dtype=bool) if not len(known) else \
            np.min(np.max(np.abs(p[:, None] - known[None]), axis=2), axis=1) <= 1e-3
        p = p[~rest & ~near]
        if not len(p):
            break
    return found + rested


# --- unequal weights --------------------------------------------------------------------------------------------

def gradients(market: Market, reports: np.ndarray) -> np.ndarray:
    """Every predictor's gradient of its own expected payment at profiles ``(S, k, n)``, shape ``(S, k, n)``."""
    world, rule = market.world, market.rule
    a = market.announce(reports)
    q = world(a)
    with np.errstate(all="ignore"):
        s = rule.scores(reports)
        c = np.zeros_like(s)
        if market.payment == "zero-sum" and market.k > 1:
            c = (s.sum(axis=1, keepdims=True) - s) / (market.k - 1)
        through = np.einsum("sij,ski->skj", world.jacobian(a), s - c)
        w = market.weights[None, :, None]
        if market.pool == "linear":
            pooled = w * through
        else:
            pooled = w * a[:, None] * (through - np.einsum("skn,sn->sk", through, a)[..., None]) / reports
        return rule.expected_gradient(reports, q[:, None]) + pooled


def learned_candidates(market: Market) -> list[np.ndarray]:
    n, k = market.world.n, market.k
    starts = simplex_grid(n, 4)
    r = np.repeat(np.clip(starts, 0.02, None)[:, None], k, axis=1)
    r /= r.sum(axis=-1, keepdims=True)
    for _ in range(ASCENT_STEPS):
        r = project(r + ASCENT_STEP * np.nan_to_num(gradients(market, r)))
    g = gradients(market, r)
    rest = np.max(np.abs(project(r + g) - r), axis=(1, 2)) <= 1e-9
    return list(r[rest])


# --- checks -----------------------------------------------------------------------------------------------------

def _distinct(profiles: list[np.ndarray]) -> list[np.ndarray]:
    kept: list[np.ndarray] = []
    for r in profiles:
        if not any(np.max(np.abs(r - other)) <= SAME for other in kept):
            kept.append(r)
    return kept


def best_report(market: Market, reports: np.ndarray, i: int, resolution: int) -> tuple[np.ndarray, float]:
    """Predictor i's best report, the others' held, and its payment: the best node of a grid of the simplex
    (``resolution`` subdivisions per edge) and its best :data:`PEAKS` peaks climbed."""
    grid = simplex_grid(market.world.n, resolution)
    values = market.payoff(reports, i, grid)[0]
    values = np.where(np.isfinite(values), values, -np.inf)
    peaks = grid_peaks(values, grid_neighbours(market.world.n, resolution), PEAKS)
    climbed, climbed_values, _ = ascend_on_simplex(lambda rows, r: market.payoff(reports, i, r),
                                                   np.zeros(len(peaks), dtype=int), grid[peaks])
    climbed_values = np.where(np.isfinite(climbed_values), climbed_values, -np.inf)
    j = int(np.argmax(climbed_values)) if len(peaks) else -1
    if j < 0 or values.max() > climbed_values[j]:
        best = int(np.argmax(values))
        return grid[best], float(values[best])
    return climbed[j], float(climbed_values[j])


def best_deviation(market: Market, reports: np.ndarray, i: int) -> float:
    """The most predictor i gains by changing its report alone (:func:`best_report` on the check's grid)."""
    current = market.payoff(reports, i, reports[i])[0][0]
    return float(max(best_report(market, reports, i, grid_resolution(market.world.n))[1] - current, 0.0))


def describe(market: Market, reports: np.ndarray, fixed: list[FixedPoint]) -> Equilibrium:
    a = market.announce(reports)
    fa = market.world(a)
    payments = np.array([market.payoff(reports, i, reports[i])[0][0] for i in range(market.k)])
    # Predictors with the same weight, report and charge face the same problem: check one of each.
    gains = np.empty(market.k)
    checked: dict[tuple, float] = {}
    for i in range(market.k):
        key = (round(float(market.weights[i]), 15), tuple(np.round(reports[i], 12)),
               tuple(np.round(market.charge(reports, i), 12)))
        if key not in checked:
            checked[key] = best_deviation(market, reports, i)
        gains[i] = checked[key]
    dist, nearest = _nearest(a, fixed)
    bound, holds = _bounds(market, reports, a, fa)
    return Equilibrium(reports, a, fa, payments, dist, nearest, gains, bool(np.all(gains <= GAIN_TOL)), bound, holds,
                       _attracts(market, reports))


def _nearest(a: np.ndarray, fixed: list[FixedPoint]) -> tuple[float, np.ndarray | None]:
    """The distance from ``a`` to the nearest fixed point, and that point (NaN and ``None`` without any)."""
    if not fixed:
        return float("nan"), None
    d = distance(np.array([fp.p for fp in fixed]), a)
    j = int(np.argmin(d))
    return float(d[j]), fixed[j].p


def _bounds(market: Market, reports: np.ndarray, a: np.ndarray, fa: np.ndarray):
    if market.world.n != 2:
        return None, None
    x = reports[:, 0]
    g, dg = market.rule.binary_g(x)
    w = market.weights
    if market.pool == "lmsr":  # each trader's own price: the world's response to it, and the price it found
        jac, fa = market.world.jacobian(reports), market.world(reports)
        pull, others = 1.0, market.rule.binary_g(np.array([market.previous(reports, i)[0] for i in range(market.k)]))[0]
    else:
        jac, fa = market.world.jacobian(a)[None], fa[None]
        pull = w if market.pool == "linear" else w * a[0] * (1 - a[0]) / (x * (1 - x))
        others = (g.sum() - g) / (market.k - 1) if market.payment == "zero-sum" and market.k > 1 else 0.0
    slope = jac[:, 0, 0] - jac[:, 0, 1]
    with np.errstate(all="ignore"):
        bound = np.abs(pull * slope * (g - others) / dg)
    holds = np.abs(fa[:, 0] - x) <= bound + 1e-9
    return [float(b) for b in bound], [bool(h) for h in holds]


def _attracts(market: Market, reports: np.ndarray) -> bool | None:
    if np.any(reports <= INTERIOR):
        return None
    if market.pool == "lmsr":
        return _maker_attracts(market, reports)
    k, n = reports.shape
    t = tangent_basis(n)
    h = 1e-6
    dims = k * (n - 1)
    directions = np.zeros((dims, k, n))
    for i in range(k):
        directions[i * (n - 1):(i + 1) * (n - 1), i] = t.T
    shifted = np.concatenate([reports + h * directions, reports - h * directions])
    g = gradients(market, shifted) @ t  # (2 dims, k, n − 1)
    jac = ((g[:dims] - g[dims:]) / (2 * h)).reshape(dims, dims).T
    return bool(np.max(np.linalg.eigvals(jac).real) < 0)


def _maker_attracts(market: Market, reports: np.ndarray) -> bool | None:
    """At a rest point p (every price p, opening there), the Jacobian of the map from the price a trader finds
    to the price it leaves, M′ = −H_x⁻¹ H_p by the implicit function theorem on its first-order condition
    H(x, p) = 0 (H: the tangent gradient of its payment), each part by central differences: the prices are
    drawn to p when M′'s spectral radius is below 1. ``None`` away from rest points."""
    p = reports[-1]
    if not np.all(reports == p) or not np.array_equal(market.previous(reports, 0), p):
        return None
    n = market.world.n
    t = tangent_basis(n)
    h = 1e-6

    def field(found: np.ndarray, left: np.ndarray) -> np.ndarray:
        return market.payoff(np.stack([found, left]), 1, left)[1][0] @ t

    d_left = np.array([(field(p, p + h * v) - field(p, p - h * v)) / (2 * h) for v in t.T]).T
    d_found = np.array([(field(p + h * v, p) - field(p - h * v, p)) / (2 * h) for v in t.T]).T
    with np.errstate(all="ignore"):
        try:
            m = -np.linalg.solve(d_left, d_found)
        except np.linalg.LinAlgError:
            return None
    return bool(np.all(np.isfinite(m)) and np.max(np.abs(np.linalg.eigvals(m))) < 1)
