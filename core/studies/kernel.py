"""The study kernel: everything a study reports, for a batch of worlds at once.

For each world: the performative optimum p̂ = argmax_p S(p, f(p)), f(p̂), the inaccuracy ‖p̂ − f(p̂)‖,
the fixed points (how many, the nearest to p̂, the distance ‖p̂ − p*‖), ‖αA‖_T, the theorem's bound
on the inaccuracy and the ratio inaccuracy / bound. Norms are Euclidean for every n, the norm of the
bounds (for two outcomes the explorer's pages show |p₁ − q₁| = ‖p − q‖ / √2 instead).

Matrix worlds f(p) = b + M p (b = (1 − α) c, M = α A) have batched fast paths:

- the fixed point solves (I − M + 𝟙𝟙ᵀ) p = b + 𝟙 (summing its rows gives (1 − α + n) Σp = 1 − α + n, so
  its solution lies on the simplex); it is unique for α < 1 (f contracts in ‖·‖₁) and for a positive A;
- Brier score: S(p, f(p)) = 2bᵀp + pᵀHp with H = M + Mᵀ − I, a quadratic that need not be concave. Its
  maximum over the simplex is a stationary point of the quadratic on the affine hull of some face,
  lying inside that face: for every face F the KKT system [H_FF −𝟙; 𝟙ᵀ 0] [p_F; μ] = [−b_F; 1] is
  solved for all worlds together and the best feasible solution kept (a face whose system is
  singular holds no value that a smaller face does not also reach). Exact up to rounding;
- log score: S(p, f(p)) = Σ_ω q_ω ln p_ω with q = b + Mp; damped saddle-free Newton steps in the
  tangent space from n + 2 starts (p*, the centre, and near each vertex), with a fraction-to-the-
  boundary rule and an Armijo line search; a start stops when ‖Tᵀ∇‖ ≤ :data:`GRAD_TOL` (``converged``)
  or after :data:`MAX_ITER` steps; the best start is kept.

Other rules, and policy worlds, go through the core's per-world solvers
(:func:`core.solve.performative_optimum`, :func:`core.solve.find_fixed_points`).

Bounds: for n > 2 the quadratic rule's ‖p̂ − f(p̂)‖ ≤ ‖αA‖_T √((n − 1)/n) (Oesterheld et al. 2023);
for n = 2 and any proper rule |p̂₁ − f₁(p̂)| ≤ L sup|g/g′| with L = ‖αA‖_T (Treutlein et al. 2022),
i.e. ‖p̂ − f(p̂)‖ ≤ √2 L sup|g/g′|. Elsewhere no theorem applies: the bound and the ratio are nan.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import combinations

import numpy as np

from core.model.simplex import tangent_basis
from core.solve.bounds import sup_g_ratio
from core.solve.fixed_points import find_fixed_points
from core.solve.optimum import performative_optimum
from core.studies.samplers import StudySpec, sample, scenario_of, world_of

#: Scalar results per world, in the order of the tables.
COLUMNS = ("inaccuracy", "distance", "norm_T", "bound", "ratio", "fixed_points", "score", "converged")
#: Rules whose matrix worlds are solved in batches (others: one world at a time).
BATCHED_RULES = ("quadratic", "log")
#: A face's KKT solution counts as inside the face down to this (negative) coordinate.
FEASIBLE_TOL = 1e-12
#: The log solver's stopping rule on the tangent gradient, and its step budget.
GRAD_TOL = 1e-9
MAX_ITER = 100


def run_chunk(spec: StudySpec, seed: int, start: int, stop: int, scenarios: bool = False) -> dict[str, np.ndarray]:
    """Worlds ``start .. stop − 1`` of the study: :func:`evaluate` of :func:`sample`, their ``index`` and,
    with ``scenarios``, each world's scenario document as compact JSON text (``scenario``)."""
    params = sample(spec, seed, start, stop)
    out = evaluate(spec, params)
    out["index"] = np.arange(start, stop)
    if scenarios:
        out["scenario"] = np.array([json.dumps(scenario_of(spec, params, i).to_dict(), allow_nan=False)
                                    for i in range(stop - start)], dtype=object)
    return out


def evaluate(spec: StudySpec, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The study's quantities for a batch of worlds (the arrays of :func:`core.studies.samplers.sample`).

    Returns arrays with one row per world: ``p_hat``, ``f_hat``, ``p_star`` (the fixed point nearest
    to p̂), shape (k, n), and the scalars of :data:`COLUMNS`.
    """
    if spec.sampler == "matrix":
        out = _matrix(spec, params)
    else:
        out = _per_world(spec, params)
    out["inaccuracy"] = np.linalg.norm(out["p_hat"] - out["f_hat"], axis=-1)
    out["distance"] = np.linalg.norm(out["p_hat"] - out["p_star"], axis=-1)
    out["bound"] = bound_slope(spec) * out["norm_T"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio"] = np.where(out["bound"] > 0, out["inaccuracy"] / out["bound"], np.nan)
    return out


def _matrix(spec: StudySpec, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    alpha = params["alpha"][:, None]
    b = (1.0 - alpha) * params["c"]
    m = alpha[..., None] * params["A"]
    n = spec.outcomes
    ones = np.ones((n, n))
    p_star = np.linalg.solve(np.eye(n) - m + ones, (b + 1.0)[..., None])[..., 0]
    k = len(b)
    converged = np.ones(k, dtype=bool)
    if spec.rule == "quadratic":
        p_hat = brier_optimum(b, m)
    elif spec.rule == "log":
        p_hat, converged = log_optimum(b, m, p_star)
    else:
        rule = spec.scoring_rule
        p_hat = np.array([performative_optimum(world_of(spec, params, i), rule).p for i in range(k)]).reshape(k, n)
    f_hat = b + np.einsum("kij,kj->ki", m, p_hat)
    norm_t = np.linalg.svd(np.einsum("kij,jl->kil", m, tangent_basis(n)), compute_uv=False)[:, 0]
    return {"p_hat": p_hat, "f_hat": f_hat, "p_star": p_star, "norm_T": norm_t,
            "fixed_points": np.ones(k, dtype=int), "score": spec.scoring_rule.expected(p_hat, f_hat),
            "converged": converged}


def _per_world(spec: StudySpec, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    rule, n = spec.scoring_rule, spec.outcomes
    k = len(params["beta"])
    p_hat, f_hat, p_star = np.empty((k, n)), np.empty((k, n)), np.full((k, n), np.nan)
    count, score = np.zeros(k, dtype=int), np.empty(k)
    for i in range(k):
        world = world_of(spec, params, i)
        opt = performative_optimum(world, rule)
        p_hat[i], f_hat[i], score[i] = opt.p, opt.f, opt.score
        points = find_fixed_points(world)
        count[i] = len(points)
        if points:
            p_star[i] = min((fp.p for fp in points), key=lambda p: float(np.linalg.norm(p - opt.p)))
    # ‖αA‖_T has no counterpart for a policy world: no theorem bounds its inaccuracy.
    return {"p_hat": p_hat, "f_hat": f_hat, "p_star": p_star, "norm_T": np.full(k, np.nan),
            "fixed_points": count, "score": score, "converged": np.ones(k, dtype=bool)}


def bound_slope(spec: StudySpec) -> float:
    """The theorem's bound divided by ‖αA‖_T for this study (nan where no theorem applies):
    √((n − 1)/n) for the quadratic rule with n > 2, √2 sup|g/g′| for a proper rule with n = 2."""
    n, rule = spec.outcomes, spec.scoring_rule
    if spec.sampler != "matrix":
        return float("nan")
    if n == 2:
        ratio = sup_g_ratio(rule)
        return float(np.sqrt(2.0) * ratio) if ratio is not None and np.isfinite(ratio) else float("nan")
    return float(np.sqrt((n - 1) / n)) if rule.kind == "quadratic" else float("nan")


@lru_cache(maxsize=8)
def _faces(n: int) -> tuple[np.ndarray, ...]:
    """The faces of the simplex by size: for size s, an array (number of faces, s) of their vertices."""
    return tuple(np.array(list(combinations(range(n), s))) for s in range(1, n + 1))


def brier_optimum(b: np.ndarray, m: np.ndarray) -> np.ndarray:
    """argmax over the simplex of 2⟨p, q⟩ − ‖p‖² with q = b + M p, for a batch: b (k, n), M (k, n, n)."""
    k, n = b.shape
    h = m + m.swapaxes(-1, -2) - np.eye(n)
    best_p, best_v = np.zeros((k, n)), np.full(k, -np.inf)
    rows = np.arange(k)
    for faces in _faces(n):
        f, s = faces.shape
        kkt = np.zeros((k, f, s + 1, s + 1))
        kkt[..., :s, :s] = h[:, faces[:, :, None], faces[:, None, :]]
        kkt[..., :s, s] = -1.0
        kkt[..., s, :s] = 1.0
        rhs = np.zeros((k, f, s + 1))
        rhs[..., :s] = -b[:, faces]
        rhs[..., s] = 1.0
        sol = _solve(kkt, rhs)[..., :s]
        feasible = np.all(sol >= -FEASIBLE_TOL, axis=-1)
        p = np.zeros((k, f, n))
        p[:, np.arange(f)[:, None], faces] = np.clip(sol, 0.0, None)
        value = 2.0 * np.einsum("kn,kfn->kf", b, p) + np.einsum("kfi,kij,kfj->kf", p, h, p)
        value = np.where(feasible, value, -np.inf)
        j = np.argmax(value, axis=1)
        better = value[rows, j] > best_v
        best_v = np.where(better, value[rows, j], best_v)
        best_p = np.where(better[:, None], p[rows, j], best_p)
    return best_p / best_p.sum(axis=-1, keepdims=True)


def _solve(a: np.ndarray, rhs: np.ndarray) -> np.ndarray:
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


def log_optimum(b: np.ndarray, m: np.ndarray, p_star: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """argmax over the simplex of Σ_ω q_ω ln p_ω with q = b + M p, for a batch, and whether it converged.

    ∇_j = q_j / p_j + Σ_ω M_ωj ln p_ω and ∂²/∂p_j∂p_l = −δ_jl q_j / p_j² + M_jl / p_j + M_lj / p_l.
    """
    k, n = b.shape
    t = tangent_basis(n)
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
        # Saddle-free Newton: H's eigenvalues replaced by −max(|λ|, δ), so the step always ascends.
        lam, vec = np.linalg.eigh(np.einsum("ji,kjl,lm->kim", t, hess, t))
        coef = np.einsum("kji,kj->ki", vec, gy) / np.maximum(np.abs(lam), 1e-8)
        dy = np.einsum("kij,kj->ki", vec, coef)
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
