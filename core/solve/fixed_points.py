"""All fixed points f(p) = p of a world, with their stability under repeated prediction p ← f(p).

- Worlds whose f is a step function (a best-responding human, a hard threshold) are solved exactly,
  region by region, in :mod:`core.solve.support_enumeration`, which also finds the *mixed* fixed points that
  exist only once the graph of f is closed and convexified (Kakutani).
- Continuous worlds with two outcomes: every sign change of h(x) = f(x) − x on a fine grid (with
  the world's kinks as nodes) is refined by Brent's method, and touching zeros (local minima of
  |h| near 0) by bounded minimisation.
- Continuous worlds with three or more outcomes: Newton's method in the tangent space, batched over
  every point of a simplex grid (and, for a policy world, the tie points of its best-response limit),
  the set closed under the world's symmetries, then certified by the index theorem
  (:mod:`core.solve.certificate`): while the index sum is not 1, deflated Newton from new starts looks for
  the missing points (see :func:`_simplex_roots`).
  Affine (matrix) worlds take one Newton step.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from itertools import permutations

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from core.model.simplex import binary, grid_resolution, project, simplex_grid, tangent_basis, tangent_jacobian
from core.model.worlds import MatrixWorld, PolicyWorld, World
from core.solve.certificate import certify
from core.solve.results import FIXED_TOL, MERGE_TOL, FixedPoint, classify, merge_close
from core.solve.search import grid_peaks
from core.solve.support_enumeration import step_fixed_points, tie_mixtures

#: Subdivisions per edge of the grid whose every point starts Newton's method (≈ 500 to 1,300 points).
START_GRID = {3: 30, 4: 12, 5: 10, 6: 8}
#: Escalation rounds: (spread of the starts scattered around each root found, number of random starts).
#: The missing partner of a fold pair sits close to the root found, so the first rounds look there.
ESCALATION = ((0.02, 0), (0.06, 200), (0.15, 500), (0.3, 1000))
#: Starts scattered around each root in each round.
ESCALATION_NEAR = 20
#: Newton steps after which a start whose ‖f(p) − p‖ is still above STALL_RESIDUAL is given up.
STALL_AFTER = 12
STALL_RESIDUAL = 1e-4
#: The largest distance at which two points that pass the residual test are taken for one (degenerate) root.
MAX_MERGE = 1e-3


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


def _simplex_roots(world: World) -> list[np.ndarray]:
    """Fixed points of a smooth world with three or more outcomes, certified by the index theorem.

    Round 0: Newton from every point of a simplex grid and, for a policy world, from the tie points of its
    best-response limit β → ∞ (near which the fixed points of a nearly rational human sit) and from points
    on the segments to them from the fixed point at β = 0 (see :func:`_starts`). While the index
    sum is not 1 (:mod:`core.solve.certificate`), escalate: deflated Newton (Farrell et al. 2015, which
    cannot converge to a root already found) from points scattered around every root found (the missing
    partner of a fold pair sits close by) and from random points of the simplex, a fixed seed per round,
    until the index sum is 1 and a round finds nothing new (or the rounds run out: the certificate then
    says so).
    """
    n = world.n
    if isinstance(world, MatrixWorld):
        # f is affine: Newton lands on the fixed point in one step from anywhere (unique unless degenerate).
        return _newton_roots(world, np.full((1, n), 1.0 / n), [])
    roots = _with_images(world, _newton_roots(world, _starts(world), []))
    rng = np.random.default_rng(0)
    new = roots
    for spread, random in ESCALATION:
        # Once the first starts have missed something, the certificate alone is not trusted: it cannot see a
        # missing pair, so the search goes on until a round finds nothing new.
        if certify(world, roots).complete and (new is roots or not new):
            break
        around = np.repeat(np.asarray(roots).reshape(-1, n), ESCALATION_NEAR, axis=0)
        around = project(around + spread * rng.standard_normal((len(around), n - 1)) @ tangent_basis(n).T)
        # Dirichlet(α = 1) is uniform on Δ; α < 1 favours the faces and corners, where grids are thin.
        scattered = rng.dirichlet(np.full(n, 10.0 * spread), size=random)
        new = _newton_roots(world, np.vstack([around, scattered]), roots)
        roots = _with_images(world, roots + new)
    return roots


def _with_images(world: World, roots: list[np.ndarray]) -> list[np.ndarray]:
    """``roots`` and every new fixed point among their images under the world's symmetries.

    A world with equal candidates maps permuted predictions to permuted outcomes, so its fixed points come in
    orbits; a search that found one member of an orbit has found them all. Each image is still checked as a
    fixed point (‖f(p) − p‖ ≤ FIXED_TOL).
    """
    group = _symmetries(world)
    if len(group) == 0 or not roots:
        return roots
    orbits: list[np.ndarray] = []
    for p in roots:
        if orbits and np.min(np.max(np.abs(np.vstack(orbits) - p), axis=-1)) <= MERGE_TOL:
            continue  # an image of a root already done
        orbits.append(np.unique(np.round(p[group], 12), axis=0))
    images = np.vstack(orbits)
    images = images[np.linalg.norm(world(images) - images, axis=-1) <= FIXED_TOL]
    return roots + _newton_roots(world, images, roots)


def _symmetries(world: World) -> np.ndarray:
    """The permutations σ of the outcomes (other than the identity) with f(p∘σ) = f(p)∘σ, shape ``(k, n)``.

    Checked on two random points of the simplex (a fixed seed): an affine coincidence there for a σ that is
    not a symmetry is possible in principle, harmless in practice, since every image is checked as a fixed
    point.
    """
    perms = _permutations(world.n)[1:]
    p = np.random.default_rng(0).dirichlet(np.ones(world.n), size=2)
    moved = world(p[:, perms])  # (2, k, n): f at the permuted points
    expected = world(p)[:, perms]  # f(p) permuted
    return perms[np.all(np.abs(moved - expected) <= 1e-12, axis=(0, 2))]


@lru_cache(maxsize=8)
def _permutations(n: int) -> np.ndarray:
    return np.array(list(permutations(range(n))))


def _starts(world: World) -> np.ndarray:
    grid = simplex_grid(world.n, START_GRID[world.n])
    if not isinstance(world, PolicyWorld):
        return grid
    limit = replace(world, policy="best_response") if world.policy == "softmax" else replace(world, ramp_width=0.0)
    ties = tie_mixtures(limit)
    # From the one fixed point of an indifferent human (β = 0: f ≡ the mean outcome row) towards each tie
    # point (β → ∞): where fixed points of intermediate rationality sit. In a world of equal candidates each
    # fixed point lies on such a segment exactly (by symmetry).
    centre = world.effective_outcomes().mean(axis=0)
    steps = np.array([0.25, 0.5, 0.75])[:, None, None]
    return np.vstack([grid, ties, ((1.0 - steps) * centre + steps * ties).reshape(-1, world.n)])


def _newton_roots(world: World, starts: np.ndarray, known: list[np.ndarray]) -> list[np.ndarray]:
    """The distinct fixed points Newton's method reaches from ``starts``, none within MERGE_TOL of ``known``."""
    p = newton(world, starts, np.asarray(known, dtype=float).reshape(-1, world.n))
    resid = np.linalg.norm(world(p) - p, axis=-1)
    p, resid = p[resid <= FIXED_TOL], resid[resid <= FIXED_TOL]
    # Most starts land on a few roots: keep one per 1e-9 cell before the pairwise merge.
    _, first = np.unique(np.round(p, 9), axis=0, return_index=True)
    p, resid = p[first], resid[first]
    # How far each point may be from its root: ‖h‖ / σ_min(Df_T − I), with a safety factor 10 (near a
    # degenerate root σ_min shrinks with the distance to it). There Newton converges slowly and many points
    # pass the residual test; they are one root.
    sigma = np.linalg.svd(tangent_jacobian(world.jacobian(p)) - np.eye(world.n - 1), compute_uv=False)[..., -1] \
        if len(p) else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        radius = np.clip(np.nan_to_num(10.0 * resid / sigma, nan=MAX_MERGE, posinf=MAX_MERGE), MERGE_TOL, MAX_MERGE)
    kept, kept_radius = [np.asarray(k, dtype=float) for k in known], [MERGE_TOL] * len(known)
    for i in np.argsort(radius, kind="stable"):
        if all(np.max(np.abs(p[i] - k)) > max(radius[i], r) for k, r in zip(kept, kept_radius)):
            kept.append(p[i])
            kept_radius.append(radius[i])
    return kept[len(known):]


def newton(world: World, starts: np.ndarray, deflate: np.ndarray | None = None,
           iterations: int = 40) -> np.ndarray:
    """Newton's method for h(p) = f(p) − p = 0 in the tangent space, batched over starts, projected onto Δ.

    With ``deflate`` (roots r_i, shape ``(k, n)``), Newton runs on the deflated map
    M(p) h(p), M = Π_i (1 + 1/‖p − r_i‖²), which has no zero at the r_i. Its step is the plain Newton step
    δ scaled by 1 / (1 − ∇log M · δ), with ∇log M = −Σ_i 2 d_i / (‖d_i‖⁴ + ‖d_i‖²), d_i = p − r_i
    (Farrell, Birkisson & Funke 2015). Returns the final points of the starts that converged (‖h‖ ≤ 1e-13)
    or ran out of iterations; callers keep those with ‖h‖ ≤ FIXED_TOL.
    """
    b = tangent_basis(world.n)
    eye = np.eye(world.n - 1)
    p = np.array(starts, dtype=float).reshape(-1, world.n)
    live = np.arange(len(p))
    deflating = deflate is not None and len(deflate) > 0
    for it in range(iterations):
        q = p[live]
        h = world(q) - q
        size = np.linalg.norm(h, axis=-1)
        # Converged starts stop; so do those of plain Newton still far from any root after STALL_AFTER steps
        # (it converges quadratically once close: these wander, and the escalation has other starts for what
        # they miss). Deflated Newton is slower by design and keeps all its steps.
        moving = (size > 1e-13) & (deflating | (it < STALL_AFTER) | (size < STALL_RESIDUAL))
        live, q, h = live[moving], q[moving], h[moving]
        if len(live) == 0:
            break
        system = tangent_jacobian(world.jacobian(q)) - eye
        step = -_solve(system, h @ b)
        if deflating:
            d = q[:, None, :] - deflate[None, :, :]
            r2 = np.maximum(np.sum(d * d, axis=-1), 1e-300)
            grad = -np.sum(2.0 * d / (r2 * r2 + r2)[..., None], axis=1) @ b
            step = step / (1.0 - np.sum(grad * step, axis=-1))[:, None]
        p[live] = project(q + step @ b.T)
        ok = np.all(np.isfinite(p[live]), axis=-1)
        p[live[~ok]] = 1.0 / world.n
        live = live[ok]
    return p


def _solve(system: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Batched solve of system · x = rhs; least squares (pseudo-inverse) where a system is singular."""
    singular = np.abs(np.linalg.det(system)) < 1e-12
    out = np.empty_like(rhs)
    if np.any(~singular):
        out[~singular] = np.linalg.solve(system[~singular], rhs[~singular, :, None])[..., 0]
    if np.any(singular):
        out[singular] = (np.linalg.pinv(system[singular]) @ rhs[singular, :, None])[..., 0]
    return out
