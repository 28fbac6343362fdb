"""The performative optimum p̂ = argmax_p S(p, f(p)): what a score-maximising predictor reports.

The search is global, and runs on many worlds at once (:func:`performative_optima`); each world takes the way
that suits it, decided for itself:

- step worlds (best response, hard thresholds) are solved region by region
  (:func:`core.solve.support_enumeration.step_optimum`);
- affine worlds f(p) = b + M p (a matrix world: b = (1 − α) c, M = α A; a linear one) with the quadratic rule: S(p, f(p)) = 2bᵀp + pᵀHp + const
  with H = M + Mᵀ − I, a quadratic that need not be concave. Its maximum over the simplex is a stationary point
  of the quadratic on the affine hull of some face, lying inside that face: for every face F the KKT system
  [H_FF −𝟙; 𝟙ᵀ 0] [p_F; μ] = [−b_F; 1] is solved for all worlds together and the best feasible solution kept
  (a face whose system is singular holds no value that a smaller face does not also reach). Exact up to rounding;
- affine worlds with the log rule: S(p, f(p)) = Σ_ω q_ω ln p_ω with q = b + Mp; damped saddle-free Newton steps in
  the tangent space from n + 2 starts (the fixed point, the centre, and near each vertex), with a
  fraction-to-the-boundary rule and an Armijo line search; a start stops when ‖Tᵀ∇‖ ≤ :data:`GRAD_TOL`
  (``converged``) or after :data:`MAX_ITER` steps; the best start is kept;
- other two-outcome worlds: S(x, f(x)) on a grid of 2000 cells with the world's kinks as nodes, the best
  :data:`REFINE_STARTS` peaks refined by a zoom (:mod:`core.solve.search`);
- other worlds of three or more outcomes: S(p, f(p)) on a simplex grid, the best peaks climbed by the spectral
  projected gradient method with the analytic gradient, all worlds' starts at once
  (:func:`core.solve.search.ascend_on_simplex`); SLSQP finishes a start that has not converged.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations

import numpy as np
from scipy.optimize import minimize

from core.model.batch import WorldBatch
from core.model.rules import ScoringRule
from core.model.simplex import binary, grid_neighbours, grid_resolution, simplex_grid, tangent_basis, tangent_jacobian
from core.model.worlds import World
from core.solve.fixed_points import affine_fixed_point
from core.solve.results import Optima, Optimum
from core.solve.search import ascend_on_simplex, grid_peaks, maximise_on_grids, row_grids
from core.solve.support_enumeration import step_optimum

#: Rules whose optimum in an affine world is found in closed form (quadratic) or by batched Newton steps (log).
AFFINE_RULES = ("quadratic", "log")
#: How many of the grid's local maxima are refined.
REFINE_STARTS = 8
#: A face's KKT solution counts as inside the face down to this (negative) coordinate.
FEASIBLE_TOL = 1e-12
#: The Brier objective is treated as concave where H's largest eigenvalue on the tangent space is below −this,
#: and a face's stationary point as a KKT point where raising no coordinate off the face gains more than this.
CONCAVE_TOL, KKT_TOL = 1e-9, 1e-12
#: Optima from different starts within this (relative) of each other are the same value, up to rounding.
TIE_TOL = 1e-12
#: The log solver's stopping rule on the tangent gradient, and its step budget.
GRAD_TOL = 1e-9
MAX_ITER = 100


def performative_score(world: World, rule: ScoringRule, p: np.ndarray) -> np.ndarray:
    """S(p, f(p)) for a batch of predictions."""
    return rule.expected(p, world(p))


def performative_gradient(world: World, rule: ScoringRule, p: np.ndarray) -> np.ndarray:
    """∇_p S(p, f(p)) = ∇_p S(p, q)|_{q=f(p)} + Df(p)ᵀ s(p), with s(p)_ω = S(p, ω) (ambient)."""
    return score_and_gradient(world, rule, p)[1]


def score_and_gradient(world: World, rule: ScoringRule, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S(p, f(p)) and :func:`performative_gradient` together, f evaluated once."""
    p = np.asarray(p, dtype=float)
    q = world(p)
    through_world = np.einsum("...ij,...i->...j", world.jacobian(p), rule.scores(p))
    return rule.expected(p, q), rule.expected_gradient(p, q) + through_world


def performative_optimum(world: World, rule: ScoringRule) -> Optimum:
    """The global maximiser of S(p, f(p)) over the simplex."""
    return performative_optima(WorldBatch([world]), [rule])[0]


def performative_optima(batch: WorldBatch, rules: Sequence[ScoringRule]) -> Optima:
    """:func:`performative_optimum` of each world of ``batch`` with its rule (``rules[k]`` for world k)."""
    count, n = len(batch), batch.n
    p_all, f_all = np.empty((count, n)), np.empty((count, n))
    score, attained, converged = np.empty(count), np.ones(count, dtype=bool), np.ones(count, dtype=bool)
    step = batch.is_step()
    for k in np.flatnonzero(step):
        opt = step_optimum(batch.world(int(k)), rules[k])
        p_all[k], f_all[k], score[k], attained[k] = opt.p, opt.f, opt.score, opt.attained
    smooth = np.flatnonzero(~step)
    groups: dict[ScoringRule, list[int]] = {}
    if smooth.size and all(r is rules[0] for r in rules):  # one rule for the batch (a study's): no hashing
        groups[rules[0]] = smooth.tolist()
    else:
        for k in smooth:
            groups.setdefault(rules[k], []).append(int(k))
    for rule, rows in groups.items():
        part = batch.take(rows) if len(rows) < count else batch
        if hasattr(batch.kind, "affine") and rule.kind in AFFINE_RULES:
            b, m = part.at(np.arange(len(rows))).affine()
            b, m = np.broadcast_to(b, (len(rows), n)), np.broadcast_to(m, (len(rows), n, n))
            if rule.kind == "quadratic":
                p = brier_optimum(b, m)
            else:
                with np.errstate(all="ignore"):  # a coordinate nearing 0 on the way to a face
                    p, converged[rows] = log_optimum(b, m)
        elif n == 2:
            p = binary(_binary_optima(part, rule))
        else:
            p = _simplex_optima(part, rule)
        p_all[rows] = p
        f_all[rows] = part.at(np.arange(len(rows)))(p)
        score[rows] = rule.expected(p, f_all[rows])
    return Optima(p_all, f_all, score, attained, converged)


def _binary_optima(batch: WorldBatch, rule: ScoringRule) -> np.ndarray:
    def score(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        return rule.expected(binary(x), binary(batch.first(rows, x)))

    xs = row_grids(np.linspace(0.0, 1.0, grid_resolution(2) + 1), batch.breakpoints())
    return maximise_on_grids(score, xs, count=REFINE_STARTS)[0]


def _simplex_optima(batch: WorldBatch, rule: ScoringRule) -> np.ndarray:
    """The global optimum of each world of ``batch`` (three or more outcomes): S(p, f(p)) on the simplex grid,
    its best :data:`REFINE_STARTS` peaks climbed by :func:`core.solve.search.ascend_on_simplex`, all worlds'
    starts at once; a start that has not converged there is finished by SLSQP (:func:`refine_optimum`)."""
    count, n = len(batch), batch.n
    k = grid_resolution(n)
    grid = simplex_grid(n, k)
    neighbours = grid_neighbours(n, k)
    with np.errstate(all="ignore"):
        values = rule.expected(grid, batch.at(np.arange(count), 2)(np.broadcast_to(grid, (count,) + grid.shape)))
    peaks = [grid_peaks(values[j], neighbours, REFINE_STARTS) for j in range(count)]
    best = np.array([values[j, peaks[j][0]] for j in range(count)])
    best_p = grid[[peaks[j][0] for j in range(count)]]
    owner = np.repeat(np.arange(count), [len(peak) for peak in peaks])
    starts = grid[np.concatenate(peaks)]

    def value_gradient(rows: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return score_and_gradient(batch.at(rows), rule, p)

    p, v, converged = ascend_on_simplex(value_gradient, owner, starts)
    for i in np.flatnonzero(~converged):
        p[i], v[i] = refine_optimum(batch.world(int(owner[i])), rule, p[i])
    v = np.where(np.isfinite(v), v, -np.inf)
    top = np.full(count, -np.inf)
    np.maximum.at(top, owner, v)
    # Within rounding of the best, the start from the better grid peak wins (the first of its world).
    tied = (v >= top[owner] - TIE_TOL * (1.0 + np.abs(top[owner]))) & (top[owner] > best[owner])
    for i in np.flatnonzero(tied)[::-1]:
        best_p[owner[i]] = p[i]
    return best_p / best_p.sum(axis=-1, keepdims=True)


def refine_optimum(world: World, rule: ScoringRule, start: np.ndarray) -> tuple[np.ndarray, float]:
    """The local maximum of S(p, f(p)) that SLSQP (with the analytic gradient) reaches from ``start``, and its
    value."""
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


@lru_cache(maxsize=8)
def _faces(n: int) -> tuple[np.ndarray, ...]:
    """The faces of the simplex by size: for size s, an array (number of faces, s) of their vertices."""
    return tuple(np.array(list(combinations(range(n), s))) for s in range(1, n + 1))


def brier_optimum(b: np.ndarray, m: np.ndarray) -> np.ndarray:
    """argmax over the simplex of 2⟨p, q⟩ − ‖p‖² with q = b + M p, for a batch: b (k, n), M (k, n, n).

    The objective is 2⟨b, p⟩ + pᵀHp with H = M + Mᵀ − I. Where H is negative definite on the tangent space
    (concave, most sampled worlds), the maximiser is the one KKT point: the faces are tried from the largest
    down, and a world is done at the first face whose stationary point is feasible (p ≥ 0) with no coordinate
    off the face that would pay to raise ((b + Hp)ⱼ ≤ λ, the multiplier of Σp = 1). Every other world (not
    concave, or no face passed to rounding) compares the stationary points of every face. Each world's answer
    depends only on its own numbers, never on the batch.
    """
    k, n = b.shape
    h = m + m.swapaxes(-1, -2) - np.eye(n)
    t = tangent_basis(n)
    # einsum, not BLAS: a product's rounding must not depend on how many worlds share the batch.
    concave = np.linalg.eigvalsh(tangent_jacobian(h))[:, -1] < -CONCAVE_TOL
    p = np.zeros((k, n))
    todo = np.flatnonzero(concave)
    for faces in reversed(_faces(n)):
        if not todo.size:
            break
        cand, sol, feasible = _face_points(b[todo], h[todo], faces)
        slack = b[todo, None] + np.einsum("kij,kfj->kfi", h[todo], cand) - sol[..., -1:]
        outside = np.ones((len(faces), n), dtype=bool)
        outside[np.arange(len(faces))[:, None], faces] = False
        kkt = feasible & np.all(~outside | (slack <= KKT_TOL), axis=-1)
        hit = kkt.any(axis=1)
        p[todo[hit]] = cand[hit, np.argmax(kkt[hit], axis=1)]
        todo = todo[~hit]
    rest = np.concatenate([np.flatnonzero(~concave), todo])
    if rest.size:
        p[rest] = _best_face_point(b[rest], h[rest])
    return p / p.sum(axis=-1, keepdims=True)


def _face_points(b: np.ndarray, h: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The stationary points of 2⟨b, p⟩ + pᵀHp on each face of ``faces`` (f, s) within Σp = 1: the points
    (k, f, n) clipped at 0, the solutions (k, f, s + 1) with the multiplier λ last, and whether they are feasible."""
    k, n = b.shape
    f, s = faces.shape
    kkt = np.zeros((k, f, s + 1, s + 1))
    kkt[..., :s, :s] = h[:, faces[:, :, None], faces[:, None, :]]
    kkt[..., :s, s] = -1.0
    kkt[..., s, :s] = 1.0
    rhs = np.zeros((k, f, s + 1))
    rhs[..., :s] = -b[:, faces]
    rhs[..., s] = 1.0
    sol = _solve_or_nan(kkt, rhs)
    feasible = np.all(sol[..., :s] >= -FEASIBLE_TOL, axis=-1)
    p = np.zeros((k, f, n))
    p[:, np.arange(f)[:, None], faces] = np.clip(sol[..., :s], 0.0, None)
    return p, sol, feasible


def _best_face_point(b: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The best feasible stationary point over every face of the simplex (the global maximum of a quadratic)."""
    k, n = b.shape
    best_p, best_v = np.zeros((k, n)), np.full(k, -np.inf)
    rows = np.arange(k)
    for faces in _faces(n):
        p, _, feasible = _face_points(b, h, faces)
        value = 2.0 * np.einsum("kn,kfn->kf", b, p) + np.einsum("kfi,kij,kfj->kf", p, h, p)
        value = np.where(feasible, value, -np.inf)
        j = np.argmax(value, axis=1)
        better = value[rows, j] > best_v
        best_v = np.where(better, value[rows, j], best_v)
        best_p = np.where(better[:, None], p[rows, j], best_p)
    return best_p


def _solve_or_nan(a: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Batched a x = rhs; a singular system gives nan (it holds no candidate of its own)."""
    try:
        return np.linalg.solve(a, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        # Rare (measure zero for sampled worlds): solve one by one, so that every other system gets
        # exactly the numbers it gets in any batch.
        out = np.full(rhs.shape, np.nan)
        for idx in np.ndindex(a.shape[:-2]):
            try:
                out[idx] = np.linalg.solve(a[idx], rhs[idx])
            except np.linalg.LinAlgError:
                pass
        return out


def _log_value(b: np.ndarray, m: np.ndarray, p: np.ndarray) -> np.ndarray:
    q = b + np.einsum("...ij,...j->...i", m, p)
    return np.sum(q * np.log(p), axis=-1)


#: Saddle-free Newton's floor on |λ|; −H counts as positive definite when every Cholesky pivot exceeds this
#: many times its largest diagonal entry (or 1, if that is smaller), far above the floor.
EIGEN_FLOOR, PIVOT_FLOOR = 1e-8, 1e-6


def _ascent_step(hess: np.ndarray, grad: np.ndarray) -> np.ndarray:
    """Saddle-free Newton steps (Dauphin et al. 2014) for a batch of Hessians ``(k, d, d)`` and gradients
    ``(k, d)``: H's eigenvalues replaced by −max(|λ|, δ), so that each step ascends.

    Near a maximum H is negative definite and the step is Newton's, −H⁻¹∇: those are solved by a Cholesky
    factorisation of −H, written out over the d ≤ 5 columns for the whole batch at once (LAPACK's cost per
    tiny matrix dominated the study of log-rule worlds); the eigendecomposition is kept for the others."""
    k, d = grad.shape
    a = -hess
    low = np.zeros_like(a)
    definite = np.ones(k, dtype=bool)
    scale = np.max(np.abs(np.diagonal(a, axis1=1, axis2=2)), axis=1)
    for j in range(d):
        pivot = a[:, j, j] - np.einsum("kr,kr->k", low[:, j, :j], low[:, j, :j])
        definite &= pivot > PIVOT_FLOOR * np.maximum(scale, 1.0)
        low[:, j, j] = np.sqrt(np.where(definite, pivot, 1.0))
        for i in range(j + 1, d):
            low[:, i, j] = (a[:, i, j] - np.einsum("kr,kr->k", low[:, i, :j], low[:, j, :j])) / low[:, j, j]
    y = np.zeros_like(grad)
    for i in range(d):  # L y = ∇
        y[:, i] = (grad[:, i] - np.einsum("kr,kr->k", low[:, i, :i], y[:, :i])) / low[:, i, i]
    step = np.zeros_like(grad)
    for i in reversed(range(d)):  # Lᵀ x = y
        step[:, i] = (y[:, i] - np.einsum("kr,kr->k", low[:, i + 1:, i], step[:, i + 1:])) / low[:, i, i]
    other = np.flatnonzero(~definite)
    if other.size:
        lam, vec = np.linalg.eigh(hess[other])
        coef = np.einsum("kji,kj->ki", vec, grad[other]) / np.maximum(np.abs(lam), EIGEN_FLOOR)
        step[other] = np.einsum("kij,kj->ki", vec, coef)
    return step


def log_optimum(b: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """argmax over the simplex of Σ_ω q_ω ln p_ω with q = b + M p, for a batch, and whether it converged.

    ∇_j = q_j / p_j + Σ_ω M_ωj ln p_ω and ∂²/∂p_j∂p_l = −δ_jl q_j / p_j² + M_jl / p_j + M_lj / p_l.
    """
    k, n = b.shape
    t = tangent_basis(n)
    p_star = affine_fixed_point(b, m)
    starts = np.concatenate([np.clip(p_star, 1e-9, None)[:, None], np.full((k, 1, n), 1.0 / n),
                             np.broadcast_to(0.9 * np.eye(n) + 0.1 / n, (k, n, n))], axis=1)
    s = starts.shape[1]
    p = starts.reshape(k * s, n) / starts.reshape(k * s, n).sum(axis=-1, keepdims=True)
    bb, mm = np.repeat(b, s, axis=0), np.repeat(m, s, axis=0)
    grad_norm = np.full(k * s, np.inf)
    active = np.arange(k * s)
    for _ in range(MAX_ITER):
        if not active.size:
            break
        pa, ba, ma = p[active], bb[active], mm[active]
        q = ba + np.einsum("kij,kj->ki", ma, pa)
        grad = q / pa + np.einsum("kij,ki->kj", ma, np.log(pa))
        ratio = ma / pa[:, :, None]
        hess = ratio + ratio.swapaxes(-1, -2)
        hess[:, np.arange(n), np.arange(n)] -= q / pa**2
        # einsum, not BLAS: a product's rounding must not depend on how many worlds share the batch.
        gy = np.einsum("kj,jl->kl", grad, t)
        grad_norm[active] = np.linalg.norm(gy, axis=-1)
        moving = grad_norm[active] > GRAD_TOL
        active, pa, ba, ma, gy, hess = active[moving], pa[moving], ba[moving], ma[moving], gy[moving], hess[moving]
        if not active.size:
            break
        dy = _ascent_step(tangent_jacobian(hess), gy)
        d = np.einsum("kl,jl->kj", dy, t)
        with np.errstate(divide="ignore", invalid="ignore"):
            reach = np.where(d < 0, -0.99 * pa / d, np.inf).min(axis=-1)
        step = np.minimum(1.0, reach)
        now = _log_value(ba, ma, pa)
        # Armijo's sufficient ascent, less the rounding of the values (near the optimum the gain is below it).
        slack = 8 * np.finfo(float).eps * np.abs(now)
        slope = 1e-4 * np.einsum("ki,ki->k", gy, dy)
        todo = np.arange(active.size)
        for _ in range(40):
            trial = pa[todo] + step[todo, None] * d[todo]
            with np.errstate(divide="ignore", invalid="ignore"):
                ok = _log_value(ba[todo], ma[todo], trial) - now[todo] + slack[todo] >= step[todo] * slope[todo]
            p[active[todo[ok]]] = trial[ok]
            todo = todo[~ok]
            if not todo.size:
                break
            step[todo] *= 0.5
        # No ascent left within rounding: those starts stop where they are.
        active = np.delete(active, todo)
    values = _log_value(bb, mm, p).reshape(k, s)
    best = np.argmax(values, axis=1)
    p = p.reshape(k, s, n)[np.arange(k), best]
    converged = grad_norm.reshape(k, s)[np.arange(k), best] <= GRAD_TOL
    return p / p.sum(axis=-1, keepdims=True), converged
