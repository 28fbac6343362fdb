"""A slow, obviously-correct reference for the analysis parts of the core.

Nothing here calls the core's search code (``core.solve.fixed_points``, ``core.solve.support_enumeration``,
``core.solve.optimum``, ``core.solve.bounds``, ``core.model.simplex``): only ``world(p)`` (and, for best-response
worlds, the world's own tables Q, U, ε, threshold; for two outcomes ``world.breakpoints()`` as extra
grid nodes), ``rule.expected(p, q)`` and ``rule.binary_g``, which the tests of worlds and rules check
on their own. Everything is brute force over dense grids,
vectorised with numpy, so that each step can be checked by reading it:

- fixed points, two outcomes: exact zeros and sign changes of h(x) = f(x) − x on 200,001 points,
  refined by bisection; for a best-responding human, the fixed points of the closed, convexified
  best-response correspondence, region by region (the Kakutani "mixed" points at the jumps of f and
  the ends of segments of indistinguishable actions);
- fixed points, three outcomes: the zeros of the piecewise-linear interpolant of h = f − p on the
  triangles of a k = 400 grid (a zero of a smooth h with invertible Jacobian is inside a triangle
  whose interpolant vanishes), polished by ``scipy.optimize.root``; four and more outcomes: local
  minima of ‖h‖ on a grid and random points, by Newton's method with finite differences, polished the
  same way; softmax worlds: Newton's method in the space of the human's preferences
  (:func:`logit_fixed_points`), and for worlds of equal candidates an exhaustive enumeration on the
  symmetric subspaces (:func:`symmetric_fixed_points`);
- the performative optimum: the argmax of S(p, f(p)) over the dense grid, refined by compass
  search (moves of mass between two outcomes, halving the step); for step worlds the objective is
  replaced by its upper envelope max(S(p, f(p)), S(p, f(p ± δ d))) with δ = 1e-9, i.e. f evaluated
  just inside every region next to p, so that a supremum approached at a jump of f counts;
- stability: eigenvalues of the tangent Jacobian by central finite differences in a Helmert basis.

Limits (none matters for the presets): a zero where h touches 0 without crossing it is not found;
best-response worlds with three or more outcomes have no reference list of fixed points (their tests derive
them by hand); :func:`step_fixed_point_cells` gives the grid cells that must hold them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
from scipy.optimize import brentq, nnls, root

#: Points of the binary grid, and subdivisions per edge of the triangle grid.
N_BINARY = 200_001
K_TRIANGLE = 400
#: Grid sizes for four to six outcomes (about 40,000 to 60,000 points each).
K_HIGHER = {4: 60, 5: 30, 6: 20}
#: Random starts (each of two Dirichlet concentrations) of the multi-start search for four to six outcomes.
RANDOM_STARTS = 600
#: Largest log(x / y) of the symmetric enumeration (the smaller probability down to e^−60 of the larger).
T_MAX = 60.0
#: Scores within this of the best count as ties of the optimum.
TIE_TOL = 1e-9
#: "Just inside" a region of a step world.
DELTA = 1e-9


@dataclass
class RefFixedPoint:
    p: np.ndarray
    kind: str  # "regular" or "mixed"


@dataclass
class RefOptimum:
    score: float
    p: np.ndarray
    maximisers: list[np.ndarray] = field(default_factory=list)


# --- small helpers ---------------------------------------------------------------------------


def binary_points(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    return np.stack([x, 1.0 - x], axis=-1)


def f1(world, x: np.ndarray) -> np.ndarray:
    """f for two outcomes, as the probability of the first outcome."""
    return world(binary_points(x))[..., 0]


def helmert_basis(n: int) -> np.ndarray:
    """Orthonormal basis of {v : Σv = 0} written out by formula: v_k = (1,…,1, −k, 0,…)/√(k(k+1))."""
    basis = np.zeros((n, n - 1))
    for k in range(1, n):
        basis[:k, k - 1] = 1.0
        basis[k, k - 1] = -float(k)
        basis[:, k - 1] /= np.sqrt(k * (k + 1.0))
    return basis


def triangle_grid(k: int) -> tuple[np.ndarray, np.ndarray]:
    """Points (i/k, j/k, 1 − (i + j)/k) and the integer pairs (i, j), for i + j ≤ k."""
    i, j = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
    keep = i + j <= k
    ij = np.stack([i[keep], j[keep]], axis=-1)
    pts = np.stack([ij[:, 0] / k, ij[:, 1] / k, (k - ij[:, 0] - ij[:, 1]) / k], axis=-1)
    return pts, ij


def lattice(n: int, k: int) -> np.ndarray:
    """Integer compositions of k into n parts (rows), by plain enumeration of bar positions."""
    rows = []
    for bars in combinations(range(k + n - 1), n - 1):
        edges = (-1,) + bars + (k + n - 1,)
        rows.append([edges[t + 1] - edges[t] - 1 for t in range(n)])
    return np.array(rows, dtype=int)


def edge_directions(n: int) -> np.ndarray:
    """Moves of mass from one outcome to another: e_i − e_j for i ≠ j (a positive spanning set)."""
    out = []
    for i in range(n):
        for j in range(n):
            if i != j:
                d = np.zeros(n)
                d[i], d[j] = 1.0, -1.0
                out.append(d)
    return np.array(out)


def merge(points: list[np.ndarray], tol: float) -> list[np.ndarray]:
    if len(points) > 50:
        # Many copies of few points: one per cell of a 1e-9 grid first (order kept), then pairwise.
        arr = np.asarray(points)
        _, first = np.unique(np.round(arr, 9), axis=0, return_index=True)
        points = list(arr[np.sort(first)])
    kept: list[np.ndarray] = []
    for p in points:
        if all(np.max(np.abs(p - q)) > tol for q in kept):
            kept.append(p)
    return kept


def is_step(world) -> bool:
    """A best-responding human or a hard threshold: f is a step function."""
    policy = getattr(world, "policy", None)
    return policy == "best_response" or (policy == "threshold" and world.ramp_width == 0)


# --- stability by finite differences -----------------------------------------------------------


def fd_tangent_jacobian(world, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Df restricted to the tangent space, by central differences along a Helmert basis."""
    p = np.asarray(p, dtype=float)
    b = helmert_basis(len(p))
    cols = [(world(p + h * b[:, j]) - world(p - h * b[:, j])) / (2 * h) for j in range(b.shape[1])]
    return b.T @ np.array(cols).T


def fd_stability(world, p: np.ndarray, margin: float = 1e-6) -> tuple[str, np.ndarray]:
    """("attracting" | "repelling" | "saddle" | "unclear", moduli of the eigenvalues)."""
    moduli = np.abs(np.linalg.eigvals(fd_tangent_jacobian(world, p)))
    if np.all(moduli < 1 - margin):
        return "attracting", moduli
    if np.all(moduli > 1 + margin):
        return "repelling", moduli
    if np.any(moduli < 1 - margin) and np.any(moduli > 1 + margin):
        return "saddle", moduli
    return "unclear", moduli


# --- fixed points ------------------------------------------------------------------------------


def dense_fixed_points(world) -> list[RefFixedPoint]:
    """Every fixed point of ``world``, found by brute force (see the module docstring)."""
    if world.n == 2:
        if is_step(world):
            return _binary_step_fixed_points(world)
        return [RefFixedPoint(binary_points(x), "regular") for x in _binary_zeros(world)]
    if is_step(world):
        raise NotImplementedError("no reference for best-response worlds with more than two outcomes")
    roots = _triangle_zeros(world) if world.n == 3 else _grid_minima_zeros(world)
    return [RefFixedPoint(p, "regular") for p in roots]


def _bisect(fun, lo: np.ndarray, hi: np.ndarray, iterations: int = 80) -> np.ndarray:
    """Vectorised bisection for sign changes of ``fun`` on [lo, hi]."""
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    s_lo = np.sign(fun(lo))
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        s_mid = np.sign(fun(mid))
        left = s_mid == s_lo
        lo = np.where(left, mid, lo)
        hi = np.where(left, hi, mid)
    return 0.5 * (lo + hi)


def _binary_zeros(world) -> list[float]:
    def h(x: np.ndarray) -> np.ndarray:
        return f1(world, x) - x

    xs = np.linspace(0.0, 1.0, N_BINARY)
    hs = h(xs)
    exact = list(xs[hs == 0.0])
    change = np.flatnonzero(hs[:-1] * hs[1:] < 0)
    crossed = list(_bisect(h, xs[change], xs[change + 1])) if len(change) else []
    return sorted(float(x[0]) for x in merge([np.array([x]) for x in exact + crossed], 1e-9))


def _binary_policy_sets(world, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Best-action sets (boolean, (..., m)) and the ε-explored P(first outcome) of each action.

    Written from the definitions in docs/theory.md#worlds, not from the world's own helpers.
    """
    q = np.array(world.Q, dtype=float)
    qe = ((1.0 - world.epsilon) * q + world.epsilon * q.mean(axis=0))[:, 0]
    x = np.asarray(x, dtype=float)
    if world.policy == "threshold":
        share = x if world.threshold_outcome == 0 else 1.0 - x
        pref = np.stack([np.zeros_like(x), share - world.threshold], axis=-1)
    else:
        u = np.array(world.U, dtype=float)
        pref = x[..., None] * u[:, 0] + (1.0 - x[..., None]) * u[:, 1]
    top = pref.max(axis=-1, keepdims=True)
    best = pref >= top - 1e-12 * (1.0 + np.abs(pref).max(axis=-1, keepdims=True))
    return best, qe


def _binary_step_fixed_points(world) -> list[RefFixedPoint]:
    """Fixed points of the closed, convexified best-response correspondence F.

    F(x) = hull{q_a : a best at x}; on a region where the best set T is constant, F is the fixed
    interval [min q_T, max q_T] and its fixed points are that interval cut with the region; at the
    border of two regions the actions of both tie, and x is fixed when x ∈ hull(q_{T ∪ T'}).
    A fixed point is *regular* when f itself equals x on a neighbourhood of x, else *mixed*.
    """
    xs = np.linspace(0.0, 1.0, N_BINARY)
    best, qe = _binary_policy_sets(world, xs)
    # Regions: maximal runs of the same best set; their borders are located by bisection.
    change = np.flatnonzero(np.any(best[1:] != best[:-1], axis=1))
    borders = []
    for i in change:
        left_set = best[i]
        lo, hi = xs[i], xs[i + 1]
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            if np.array_equal(_binary_policy_sets(world, np.array([mid]))[0][0], left_set):
                lo = mid
            else:
                hi = mid
        borders.append((0.5 * (lo + hi), best[i] | best[i + 1]))
    # Thin tie "regions" a grid point happens to sit on are borders, not regions.
    edges = [0.0] + [b for b, _ in borders] + [1.0]
    candidates: list[float] = []
    for a, b in zip(edges[:-1], edges[1:]):
        if b - a < 1e-9:
            continue
        t = _binary_policy_sets(world, np.array([0.5 * (a + b)]))[0][0]
        lo_q, hi_q = qe[t].min(), qe[t].max()
        lo_x, hi_x = max(lo_q, a), min(hi_q, b)
        if lo_x <= hi_x:
            candidates += [lo_x, hi_x]
            mean = qe[t].mean()
            if lo_x <= mean <= hi_x:
                candidates.append(mean)
    for x0, tied in borders:
        if qe[tied].min() - 1e-12 <= x0 <= qe[tied].max() + 1e-12:
            candidates.append(x0)
    points = []
    for x in sorted(float(c[0]) for c in merge([np.array([c]) for c in candidates], 1e-9)):
        around = f1(world, np.array([x - DELTA, x, x + DELTA]))
        regular = bool(np.all(np.abs(around - x) <= 1e-12))
        points.append(RefFixedPoint(binary_points(x), "regular" if regular else "mixed"))
    return points


def step_fixed_point_cells(world, k: int) -> tuple[np.ndarray, float]:
    """Grid points near a fixed point of the closed, convexified best-response correspondence, any n.

    F(p) = hull{q_a : a best at p} (q_a the ε-explored rows of Q; written from docs/theory.md#setting). Every point of
    the simplex lies within L1 distance δ = n/k of a point of the grid {counts / k}, so within δ of every
    fixed point p* there is a grid point p; there the actions best at p* are within τ = max|V| δ of the best
    (preferences V p + b move by at most max|V| ‖Δp‖₁), and p lies within δ ≥ ‖p − p*‖₂ of
    hull(q_best(p*)). So every fixed point has a grid point within δ that passes the test
    "dist₂(p, hull{q_a : pref_a ≥ max − τ}) ≤ δ" (non-negative least squares with a heavy sum-to-one row).
    Returns the passing points and δ.
    """
    n = world.n
    q = np.array(world.Q, dtype=float)
    qe = (1.0 - world.epsilon) * q + world.epsilon * q.mean(axis=0)
    if world.policy == "threshold":
        v = np.zeros((2, n))
        v[1, world.threshold_outcome] = 1.0
        b = np.array([0.0, -world.threshold])
    else:
        v, b = np.array(world.U, dtype=float), np.zeros(len(q))
    pts = lattice(n, k) / k
    delta = n / k
    tau = 2.0 * np.abs(v).max() * delta + 1e-12
    pref = pts @ v.T + b
    near = pref >= pref.max(axis=1, keepdims=True) - tau
    passing = []
    for pattern in np.unique(near, axis=0):
        rows = qe[pattern]
        members = pts[np.all(near == pattern, axis=1)]
        if len(rows) == 1:
            passing.append(members[np.linalg.norm(members - rows[0], axis=1) <= delta])
            continue
        system = np.vstack([rows.T, 1e3 * np.ones(len(rows))])
        keep = [x for x in members if nnls(system, np.append(x, 1e3))[1] <= delta]
        passing.append(np.array(keep).reshape(-1, n))
    return np.vstack(passing), delta


def _polish(world, p0: np.ndarray) -> np.ndarray | None:
    """Newton-type polish of f(p) = p in the coordinates p_1..p_{n−1} (p_n = 1 − Σ)."""

    def h(y: np.ndarray) -> np.ndarray:
        p = np.append(y, 1.0 - y.sum())
        return (world(p) - p)[:-1]

    sol = root(h, np.asarray(p0, dtype=float)[:-1], method="hybr", options={"xtol": 1e-14})
    p = np.append(sol.x, 1.0 - sol.x.sum())
    if np.any(p < -1e-12) or np.linalg.norm(world(p) - p) > 1e-12:
        return None
    return p


def _triangle_zeros(world, k: int = K_TRIANGLE) -> list[np.ndarray]:
    pts, ij = triangle_grid(k)
    h = (world(pts) - pts)[:, :2]  # h sums to zero, two coordinates determine it
    index = -np.ones((k + 1, k + 1), dtype=int)
    index[ij[:, 0], ij[:, 1]] = np.arange(len(ij))
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    up = i + j <= k - 1
    down = i + j <= k - 2
    tri = np.concatenate([
        np.stack([index[i[up], j[up]], index[i[up] + 1, j[up]], index[i[up], j[up] + 1]], axis=-1),
        np.stack([index[i[down] + 1, j[down]], index[i[down], j[down] + 1], index[i[down] + 1, j[down] + 1]],
                 axis=-1),
    ])
    h0, h1, h2 = h[tri[:, 0]], h[tri[:, 1]], h[tri[:, 2]]
    # Solve h0 + μ1 (h1 − h0) + μ2 (h2 − h0) = 0 for the barycentric weights (Cramer's rule).
    a11, a21 = h1[:, 0] - h0[:, 0], h1[:, 1] - h0[:, 1]
    a12, a22 = h2[:, 0] - h0[:, 0], h2[:, 1] - h0[:, 1]
    det = a11 * a22 - a12 * a21
    with np.errstate(divide="ignore", invalid="ignore"):
        mu1 = (-h0[:, 0] * a22 + a12 * h0[:, 1]) / det
        mu2 = (-a11 * h0[:, 1] + a21 * h0[:, 0]) / det
    eps = 1e-12
    inside = (det != 0) & (mu1 >= -eps) & (mu2 >= -eps) & (mu1 + mu2 <= 1 + eps)
    p0, p1, p2 = pts[tri[inside, 0]], pts[tri[inside, 1]], pts[tri[inside, 2]]
    located = p0 + mu1[inside, None] * (p1 - p0) + mu2[inside, None] * (p2 - p0)
    # One zero can show in up to six triangles around a vertex: group within two cells.
    groups = merge(list(located), 2.0 / k)
    polished = [_polish(world, g) for g in groups]
    if any(p is None for p in polished):
        raise AssertionError("reference: a zero of the interpolant did not polish to a fixed point")
    return merge(polished, 1e-9)


def _grid_minima_zeros(world, random_starts: int = RANDOM_STARTS, seed: int = 0) -> list[np.ndarray]:
    """Four and more outcomes: Newton's method with finite differences from every local minimum of ‖h‖ on a
    grid and from random points, then polished by ``scipy.optimize.root``."""
    n = world.n
    k = K_HIGHER[n]
    counts = lattice(n, k)
    pts = counts / k
    resid = np.linalg.norm(world(pts) - pts, axis=-1)
    code = counts @ (k + 1) ** np.arange(n)
    order = np.argsort(code)
    is_min = np.ones(len(pts), dtype=bool)
    for d in edge_directions(n).astype(int):
        moved = counts + d
        ok = np.all(moved >= 0, axis=1)
        pos = np.searchsorted(code[order], moved[ok] @ (k + 1) ** np.arange(n))
        neighbour = order[pos]
        is_min[np.flatnonzero(ok)] &= resid[np.flatnonzero(ok)] <= resid[neighbour]
    rng = np.random.default_rng(seed)
    starts = np.vstack([pts[is_min], rng.dirichlet(np.ones(n), random_starts),
                        rng.dirichlet(np.full(n, 0.3), random_starts)])
    return multistart_zeros(world, starts)


def multistart_zeros(world, starts: np.ndarray, iterations: int = 60, h: float = 1e-7) -> list[np.ndarray]:
    """Zeros of h(p) = f(p) − p reached by plain Newton's method from every start, all at once.

    Coordinates y = (p_1, …, p_{n−1}) with p_n = 1 − Σy; the Jacobian of the first n − 1 components of h by
    central differences. Zeros off the simplex (by more than 1e-9) are dropped; the rest are polished
    by :func:`_polish` (``scipy.optimize.root``), which also rejects anything that is not a fixed point.
    """
    n = world.n

    def hy(y: np.ndarray) -> np.ndarray:
        p = np.concatenate([y, 1.0 - y.sum(axis=-1, keepdims=True)], axis=-1)
        return (world(p) - p)[..., :-1]

    y = np.asarray(starts, dtype=float)[:, :-1].copy()
    eye = np.eye(n - 1)
    for _ in range(iterations):
        cols = [(hy(y + h * e) - hy(y - h * e)) / (2 * h) for e in eye]
        jac = np.stack(cols, axis=-1)
        with np.errstate(all="ignore"):
            ok = np.abs(np.linalg.det(jac)) > 1e-14
            y, jac = y[ok], jac[ok]
            y = y - np.linalg.solve(jac, hy(y)[..., None])[..., 0]
        # f is a formula defined off the simplex too: iterates may leave it on the way; only far-off or
        # broken ones are dropped, and only roots on the simplex count.
        y = y[np.all(np.isfinite(y), axis=-1) & (np.abs(y).max(axis=-1) < 10.0)]
    p = np.concatenate([y, 1.0 - y.sum(axis=-1, keepdims=True)], axis=-1)
    p = p[(np.linalg.norm(world(p) - p, axis=-1) < 1e-8) & np.all(p >= -1e-9, axis=-1)]
    candidates = merge(list(p), 1e-7)
    polished = [q for q in (_polish(world, c) for c in candidates) if q is not None]
    return merge(polished, 1e-9)


def logit_fixed_points(world, rng: np.random.Generator, batch: int = 400, rounds: int = 12,
                       iterations: int = 40) -> list[np.ndarray]:
    """Fixed points of a softmax policy world, found by Newton's method in the space of the human's
    *preferences* instead of predictions.

    Written from docs/theory.md#setting: f(p) = (1 − ε) softmax(β U p)ᵀ Q + ε·mean row of Q. A fixed point p gives
    z = β U p with z = F(z) := β U c + β (1 − ε) U Qᵀ softmax(z), c the mean row times ε; conversely a zero
    z of F(z) − z gives the fixed point p = c + (1 − ε) Qᵀ softmax(z). F is smooth on all of R^m (no
    simplex, no projection), with Jacobian β (1 − ε) U Qᵀ (diag π − π πᵀ). Starts, in rounds of ``batch``:
    z = β U p for random p (two Dirichlet concentrations) and random z in the box of the preferences' range.
    The first round adds the barycentres of every set of rows of Q (where a nearly rational human mixes
    those actions). Rounds go on until two rounds in a row find nothing new and the index sum (finite
    differences, docs/theory.md#completeness) is 1. Roots are mapped to p and polished by :func:`_polish`.
    """
    q, u = np.array(world.Q, dtype=float), np.array(world.U, dtype=float)
    m, n = q.shape
    eps, beta = world.epsilon, world.beta
    c = eps * q.mean(axis=0)
    a = beta * (1.0 - eps) * u @ q.T  # m × m
    eye = np.eye(m)

    def sm(z):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    # Barycentres of every set of outcome rows: where a nearly rational human mixes those actions.
    subsets = [list(t) for k in range(1, m + 1) for t in combinations(range(m), k)]
    barycentres = np.array([c + (1.0 - eps) * q[t].mean(axis=0) for t in subsets])
    found: list[np.ndarray] = []
    quiet = 0
    for r in range(rounds):
        p0 = np.vstack([rng.dirichlet(np.ones(n), batch // 3), rng.dirichlet(np.full(n, 0.3), batch // 3)]
                       + ([barycentres] if r == 0 else []))
        z = p0 @ (beta * u).T
        z = np.vstack([z, rng.uniform(z.min(), z.max(), size=(batch // 3, m))])
        done = []
        for _ in range(iterations):
            pi = sm(z)
            g = beta * (c @ u.T) + pi @ a.T - z
            small = np.abs(g).max(axis=-1) < 1e-13
            done.append(z[small])
            z, pi, g = z[~small], pi[~small], g[~small]
            if len(z) == 0:
                break
            jac = a[None] @ (pi[:, :, None] * eye - pi[:, :, None] * pi[:, None, :]) - eye
            with np.errstate(all="ignore"):
                ok = np.abs(np.linalg.det(jac)) > 1e-14
                z = z[ok] - np.linalg.solve(jac[ok], g[ok][..., None])[..., 0]
            z = z[np.all(np.isfinite(z), axis=-1)]
        z = np.vstack(done + [z])
        p = c + (1.0 - eps) * sm(z) @ q
        p = p[np.linalg.norm(world(p) - p, axis=-1) < 1e-8]
        candidates = [x for x in merge(list(p), 1e-7) if all(np.max(np.abs(x - f)) > 1e-7 for f in found)]
        new = [r for r in (_polish(world, x) for x in candidates) if r is not None]
        found = merge(found + new, 1e-9)
        quiet = 0 if new else quiet + 1
        if quiet == 2 and fd_index_sum(world, found) == 1:
            break
    return found


def fd_index_sum(world, points: list[np.ndarray]) -> int:
    """Σ sign det(I − Df_T) over ``points``, with Df_T by finite differences (:func:`fd_tangent_jacobian`)."""
    n = world.n
    return int(sum(np.sign(np.linalg.det(np.eye(n - 1) - fd_tangent_jacobian(world, p))) for p in points))


def symmetric_fixed_points(m: int, a: float, b: float, c: float, beta: float, epsilon: float = 0.0,
                           points: int = 200_001) -> list[np.ndarray]:
    """Every fixed point of the softmax world with m equal candidates: Q = a·J + b·I, U = c·I (m outcomes).

    With ε-exploration π̃ = (1 − ε)π + ε/m, the world is p_i = a + b π̃_i (rows sum to m·a + b = 1), and
    π_i ∝ exp(β c p_i) ∝ exp(s π_i) with s = β c b (1 − ε). So t ↦ log t − s t takes the same value at every
    π_i; it is strictly concave, so π takes at most two values: x on a set K of k outcomes, y on the other
    m − k, with k x + (m − k) y = 1 and log x − s x = log y − s y. For k = 1..m−1 the roots x ≠ 1/m of that
    one-variable equation (sign changes on a dense grid, refined by Brent's method) give C(m, k) points
    each; x > y and x < y on k outcomes are the same points as x < y and x > y on m − k, so only roots
    with x > y are looked for (in t = log(x/y), see below). The centre (x = y) is always one.
    """
    s = beta * c * b * (1.0 - epsilon)
    centre = np.full(m, 1.0 / m)
    found = [a + b * centre]
    # Parametrise x > y by t = log(x / y) > 0: y = 1 / (k e^t + m − k), x = e^t y, and the condition reads
    # g(t) = t − s (x − y) = 0. Roots with y as small as e^−T are on the grid of t ∈ (0, T].
    t = np.linspace(0.0, T_MAX, points)[1:]
    for k in range(1, m):
        def g(t, k=k):
            y = 1.0 / (k * np.exp(t) + m - k)
            return t - s * (np.exp(t) - 1.0) * y

        gs = g(t)
        change = np.flatnonzero(np.sign(gs[:-1]) * np.sign(gs[1:]) < 0)
        for i in change:
            root = brentq(g, t[i], t[i + 1], xtol=1e-15)
            y = 1.0 / (k * np.exp(root) + m - k)
            x = np.exp(root) * y
            pi = np.full(m, y)
            for subset in combinations(range(m), k):
                pi_s = pi.copy()
                pi_s[list(subset)] = x
                found.append(a + b * ((1.0 - epsilon) * pi_s + epsilon / m))
    return found


# --- the performative optimum ------------------------------------------------------------------


def _objective(world, rule, step: bool):
    """S(p, f(p)), or for a step world its upper envelope over f just inside the regions around p."""
    directions = edge_directions(world.n) / np.sqrt(2.0)

    def value(p: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            v = rule.expected(p, world(p))
            if step:
                for d in directions:
                    v = np.fmax(v, rule.expected(p, world(p + DELTA * d)))
        return np.where(np.isnan(v), -np.inf, v)

    return value


def dense_optimum(world, rule) -> RefOptimum:
    """sup_p S(p, f(p)) by a dense grid, then compass search from every near-best grid peak."""
    n = world.n
    value = _objective(world, rule, is_step(world))
    if n == 2:
        xs = np.linspace(0.0, 1.0, N_BINARY)
        extra = [b + s for b in world.breakpoints() for s in (-1e-12, 0.0, 1e-12)]
        xs = np.union1d(xs, np.clip(extra, 0.0, 1.0))
        grid = binary_points(xs)
        vals = value(grid)
        padded = np.concatenate([[-np.inf], vals, [-np.inf]])
        peaks = np.flatnonzero((vals >= padded[:-2]) & (vals >= padded[2:]))
    else:
        if n == 3:
            grid, _ = triangle_grid(K_TRIANGLE)
            counts = np.rint(grid * K_TRIANGLE).astype(int)
            k = K_TRIANGLE
        else:
            k = K_HIGHER[n]
            counts = lattice(n, k)
            grid = counts / k
        vals = value(grid)
        code = counts @ (k + 1) ** np.arange(n)
        order = np.argsort(code)
        peak = np.isfinite(vals)
        for d in edge_directions(n).astype(int):
            moved = counts + d
            ok = np.all(moved >= 0, axis=1)
            nb = order[np.searchsorted(code[order], moved[ok] @ (k + 1) ** np.arange(n))]
            peak[np.flatnonzero(ok)] &= vals[np.flatnonzero(ok)] >= vals[nb]
        peaks = np.flatnonzero(peak)
    best = vals.max()
    # Every peak that could still be the best after refinement (a smooth peak rises by far less).
    peaks = peaks[vals[peaks] >= best - 1e-3]
    peaks = peaks[np.argsort(-vals[peaks])][:40]
    step0 = 1.0 / (N_BINARY - 1) if n == 2 else 1.0 / k
    refined = [_compass(value, grid[i], step0) for i in peaks]
    top = max(v for _, v in refined)
    maximisers = merge([p for p, v in refined if v >= top - TIE_TOL], 1e-6)
    best_p = max(refined, key=lambda pv: pv[1])[0]
    return RefOptimum(score=float(top), p=best_p, maximisers=maximisers)


def _compass(value, p: np.ndarray, step: float, stop: float = 1e-12) -> tuple[np.ndarray, float]:
    """Compass search on the simplex: try moving ``step`` of mass between any two outcomes."""
    directions = edge_directions(len(p))
    p = np.array(p, dtype=float)
    v = float(value(p))
    while step > stop:
        trial = p + step * directions
        trial = trial[np.all(trial >= 0.0, axis=1)]
        tv = value(trial) if len(trial) else np.array([-np.inf])
        i = int(np.argmax(tv))
        if tv[i] > v:
            p, v = trial[i], float(tv[i])
        else:
            step /= 2.0
    return p, v


# --- constants of the binary bounds ------------------------------------------------------------


def dense_sup_g_ratio(rule, points: int = 1_000_001) -> float:
    """sup over (0, 1) of |g/g′| on a dense grid (the endpoints approached to within 1e-12)."""
    x = np.concatenate([np.linspace(1e-12, 1 - 1e-12, points), [1e-12, 1 - 1e-12]])
    with np.errstate(all="ignore"):
        g, dg = rule.binary_g(x)
        ratio = np.abs(g / dg)
    return float(np.nanmax(np.where(np.isfinite(ratio), ratio, np.nan)))


def dense_lipschitz(world, points: int = 20_001, h: float = 1e-7) -> float:
    """max |f′| along the simplex (x ↦ f(x, 1 − x)) by central differences on a grid, then on a grid
    2,000 times finer around the grid's maximum."""

    def slope(x: np.ndarray) -> np.ndarray:
        return np.abs(f1(world, x + h) - f1(world, x - h)) / (2 * h)

    x = np.linspace(h, 1 - h, points)
    values = slope(x)
    i = int(np.argmax(values))
    fine = np.linspace(x[max(i - 1, 0)], x[min(i + 1, points - 1)], 2001)
    return float(max(values[i], slope(fine).max()))


# --- five candidates: folds of the symmetric branches, by hand ------------------------------------------------


def five_candidates_fold(leaders: int, guess: tuple[float, float]) -> tuple[float, float]:
    """(a, β) of the fold of the five-candidates preset's branch where ``leaders`` candidates share the
    forecast a and the others (1 − leaders·a)/(5 − leaders).

    Derived by hand, without the core: with Q = 0.5 I + 0.1 and U = I, f_i(p) = 0.1 + 0.5 π_i with π the softmax
    of β p. On the symmetric branch π_L = e^{βa} / (m e^{βa} + (5 − m) e^{βb}), b = (1 − m a)/(5 − m), so
    g(a, β) = 0.1 + 0.5 π_L − a vanishes at a fixed point, and d ln π_L / da = β (1 − m (π_L − π_O)) with
    π_O = e^{βb}/Z. A fold of the branch is where g = 0 and ∂g/∂a = 0.5 dπ_L/da − 1 = 0.
    """
    sol = root(lambda v: _five_symmetric(leaders, *v), np.array(guess), method="hybr", tol=1e-14)
    assert sol.success, sol.message
    return float(sol.x[0]), float(sol.x[1])


def five_candidates_point(leaders: int, beta: float, guess: float) -> np.ndarray:
    """The fixed point of the five-candidates preset at ``beta`` on the symmetric branch with ``leaders``
    leaders, solved from ``guess`` for a (see :func:`five_candidates_fold`)."""
    sol = root(lambda v: _five_symmetric(leaders, v[0], beta)[:1], np.array([guess]), tol=1e-14)
    assert sol.success, sol.message
    a = float(sol.x[0])
    return np.array([a] * leaders + [(1 - leaders * a) / (5 - leaders)] * (5 - leaders))


def _five_symmetric(m: int, a: float, beta: float) -> np.ndarray:
    """(g, ∂g/∂a) of :func:`five_candidates_fold`."""
    b = (1 - m * a) / (5 - m)
    z = m * np.exp(beta * a) + (5 - m) * np.exp(beta * b)
    pl, po = np.exp(beta * a) / z, np.exp(beta * b) / z
    return np.array([0.1 + 0.5 * pl - a, 0.5 * pl * beta * (1 - m * (pl - po)) - 1.0])


# --- the performative optimum by a general-purpose optimiser (for the studies) -----------------


def scipy_optimum(world, rule, rng: np.random.Generator, random_starts: int = 6) -> tuple[np.ndarray, float]:
    """argmax of S(p, f(p)) on the simplex by SLSQP from many starts: the centre, near every vertex,
    every edge's midpoint and a few random points. Only ``world(p)`` and ``rule.expected`` are used;
    the gradient is a central difference whose step stays inside the positive orthant."""
    from scipy.optimize import minimize

    n = world.n

    def value(p: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            v = float(rule.expected(p, world(p)))
        return v if np.isfinite(v) else -1e300

    def gradient(p: np.ndarray) -> np.ndarray:
        g = np.empty(n)
        for j in range(n):
            h = min(1e-7, p[j] / 2) if p[j] > 0 else 1e-7
            e = np.zeros(n)
            e[j] = h
            g[j] = (value(p + e) - value(p - e)) / (2 * h)
        return g

    edges = [(np.eye(n)[i] + np.eye(n)[j]) / 2 for i, j in combinations(range(n), 2)]
    starts = [np.full(n, 1.0 / n), *(0.9 * np.eye(n) + 0.1 / n), *(0.9 * np.array(edges) + 0.1 / n),
              *rng.dirichlet(np.ones(n), size=random_starts)]
    lower = 1e-9 if rule.kind == "log" else 0.0
    best_p, best_v = starts[0], -np.inf
    for start in starts:
        res = minimize(lambda p: -value(p), start, jac=lambda p: -gradient(p), method="SLSQP",
                       bounds=[(lower, 1.0)] * n, options={"ftol": 1e-15, "maxiter": 500},
                       constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1.0}])
        p = np.clip(res.x, lower, None)
        p /= p.sum()
        if value(p) > best_v:
            best_p, best_v = p, value(p)
    return best_p, best_v
