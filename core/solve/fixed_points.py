"""All fixed points f(p) = p of a world, with their stability under repeated prediction p ← f(p).

- Worlds whose f is a step function (a best-responding human, a hard threshold) are solved exactly,
  region by region, in :mod:`core.solve.support_enumeration`, which also finds the *mixed* fixed points that
  exist only once the graph of f is closed and convexified (Kakutani).
- Continuous worlds with two outcomes: every sign change of h(x) = f(x) − x on a fine grid (with
  the world's kinks as nodes) is refined by regula falsi, and touching zeros (local minima of
  |h| near 0) by a zoom (:mod:`core.solve.search`), for all the worlds of a batch at once.
- Continuous worlds with three or more outcomes: Newton's method in the tangent space, batched over the
  local minima of ‖f(p) − p‖ on a simplex grid and their neighbours (and, for a policy world, the tie points
  of its best-response limit),
  the set closed under the world's symmetries, then certified by the index theorem
  (:mod:`core.solve.certificate`): while the index sum is not 1, deflated Newton from new starts looks for
  the missing points (see :func:`_simplex_roots`).
  Affine worlds (matrix and linear), for any number of outcomes, solve one linear system.

:func:`find_fixed_points_batch` searches many worlds at once (a sweep's): each world gets the same starts and
rounds as alone, Newton's method runs on every (world, start) pair of a round together (each point evaluated
by its own world, :mod:`core.model.batch`), and each world's roots are merged, certified and escalated on
their own, so every world gets the points its own search finds; :func:`find_fixed_points` is the batch of one.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise, permutations

import numpy as np

from core.model.batch import WorldBatch
from core.model.simplex import (binary, grid_neighbours, grid_resolution, project, rows_times, simplex_grid,
                                tangent_basis, tangent_jacobian)
from core.model.worlds import PolicyWorld, World
from core.solve.certificate import certify_batch
from core.solve.results import FIXED_TOL, MERGE_TOL, FixedPoint, FixedPoints, classify_batch, merge_close
from core.solve.search import illinois, padding, row_grids, zoom
from core.solve.support_enumeration import step_fixed_points, tie_mixtures

#: Subdivisions per edge of the grid (≈ 500 to 1,300 nodes) whose local minima of ‖f(p) − p‖, and their
#: neighbours, start Newton's method.
START_GRID = {3: 30, 4: 12, 5: 10, 6: 8}
#: Escalation rounds: (spread of the starts scattered around each root found, number of random starts).
#: The missing partner of a fold pair sits close to the root found, so the first rounds look there.
ESCALATION = ((0.02, 0), (0.06, 200), (0.15, 500), (0.3, 1000))
#: Starts scattered around each root in each round.
ESCALATION_NEAR = 20
#: Newton steps after which a start whose ‖f(p) − p‖ is still above STALL_RESIDUAL is given up.
STALL_AFTER = 12
STALL_RESIDUAL = 1e-4
#: Points of the scan along each segment from the centre to a tie point that f maps into its own line, and how far
#: (max-norm) f may leave the line on it.
SEGMENT_POINTS, SEGMENT_TOL = 201, 1e-12
#: A Newton step (max-norm) below which a start has stopped moving.
STEP_FLOOR = 1e-14
#: The largest distance at which two points that pass the residual test are taken for one (degenerate) root.
MAX_MERGE = 1e-3
#: Newton's method runs on blocks of starts, each of about this many entries of the tangent Jacobians'
#: products (n² (n − 1)² per start): enough starts to pay numpy's cost per call once for many, few enough
#: that the block's arrays stay in the processor's cache and its matrix products run on one thread (BLAS
#: splits larger ones across threads, which on a busy machine costs far more than it saves). A batch ten
#: times larger runs several times slower per start.
BLOCK_ENTRIES = 2 ** 18

Roots = list[list[np.ndarray]]  # per world of a batch, its fixed points


def find_fixed_points(world: World) -> list[FixedPoint]:
    """All fixed points of ``world``, sorted by the probability of the first outcome, descending."""
    return find_fixed_points_batch([world])[0]


def find_fixed_points_batch(worlds: Sequence[World] | WorldBatch) -> list[list[FixedPoint]]:
    """:func:`find_fixed_points` of each of ``worlds`` (of one kind and number of outcomes)."""
    return fixed_point_columns(worlds).lists()


def fixed_point_columns(worlds: Sequence[World] | WorldBatch) -> FixedPoints:
    """The fixed points of every world, as columns: the searches of the smooth worlds run on all of them together,
    and each world decides for itself whether it is a step world."""
    batch = worlds if isinstance(worlds, WorldBatch) else WorldBatch(worlds)
    step = batch.is_step()
    parts, rows = [], []
    steps = np.flatnonzero(step)
    if len(steps):
        parts.append(FixedPoints.of_lists([step_fixed_points(batch.world(int(k))) for k in steps], batch.n))
        rows.append(steps)
    smooth = np.flatnonzero(~step)
    if len(smooth):
        part = batch.take(smooth) if len(steps) else batch
        if hasattr(part.kind, "affine"):
            which, p = _affine_points(part)
        else:
            which, p = _flat(_binary_roots(part) if part.n == 2 else _simplex_roots(part), part.n)
        parts.append(_regular(part, which, p))
        rows.append(smooth)
    return FixedPoints.join(parts, rows, len(batch), batch.n)


def _regular(batch: WorldBatch, which: np.ndarray, p: np.ndarray) -> FixedPoints:
    """The roots ``p`` (root i of world ``which[i]``, sorted by world) as fixed points, with their stability (and
    the human's mixing)."""
    world = batch.at(which)
    stabilities, rho = classify_batch(tangent_jacobian(world.jacobian(p)))
    mixing = world.action_probs(p) if issubclass(batch.kind, PolicyWorld) else None
    return FixedPoints(len(batch), which, p, np.full(len(p), "regular", dtype=object), stabilities, rho, mixing)


def _flat(roots: Roots | list[np.ndarray], n: int) -> tuple[np.ndarray, np.ndarray]:
    """(the world of each point, the points (count, n)) of per-world lists or arrays of points."""
    sizes = [len(r) for r in roots]
    which = np.repeat(np.arange(len(roots)), sizes)
    points = np.concatenate([np.asarray(r, dtype=float).reshape(-1, n) for r in roots]) if roots else np.zeros((0, n))
    return which, points


def _binary_roots(batch: WorldBatch) -> Roots:
    """Every zero of h(x) = f₁(x) − x of each two-outcome world, on its own grid (2000 cells and its kinks)."""
    def h(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        return batch.first(rows, x) - x

    xs = row_grids(np.linspace(0.0, 1.0, grid_resolution(2) + 1), batch.breakpoints())
    rows = np.arange(len(batch))
    hs = h(rows, xs)
    real = ~padding(xs)
    # Only exact zeros of the grid count as roots by themselves: a tolerance would turn every node of a
    # nearly identical world (|f(x) − x| tiny everywhere) into a fixed point of its own.
    exact = (hs == 0.0) & real
    k, i = np.nonzero(np.sign(hs[:, :-1]) * np.sign(hs[:, 1:]) < 0)
    crossing = illinois(h, k, xs[k, i], xs[k, i + 1], hs[k, i], hs[k, i + 1])
    # Zeros where h touches 0 without changing sign: interior local minima of |h| that come close, away
    # from the zeros found above (minimising |h| again there would only give a less precise copy).
    found = exact.copy()
    found[k, i] = found[k, i + 1] = True
    ah = np.where(real, np.abs(hs), np.inf)
    low = (ah[:, 1:-1] <= ah[:, :-2]) & (ah[:, 1:-1] <= ah[:, 2:]) & (ah[:, 1:-1] < 1e-4)
    tk, ti = np.nonzero(low & ~(found[:, :-2] | found[:, 1:-1] | found[:, 2:]))
    touch, size = zoom(lambda r, x: -np.abs(h(r, x)), tk, xs[tk, ti], xs[tk, ti + 2])
    touching = -size <= FIXED_TOL
    ek, ei = np.nonzero(exact)
    owner = np.concatenate([ek, k, tk[touching]])
    x = np.concatenate([xs[ek, ei], crossing, touch[touching]])
    order = np.lexsort((x, owner))
    bounds = np.searchsorted(owner[order], np.arange(len(batch) + 1))
    return [merge_close([binary(v) for v in x[order[lo:hi]]]) for lo, hi in pairwise(bounds)]


def affine_fixed_point(b: np.ndarray, m: np.ndarray) -> np.ndarray:
    """The fixed point of f(p) = b + M p for a batch, b (k, n), M (k, n, n): the solution of
    (I − M + 𝟙𝟙ᵀ) p = b + 𝟙 (summing its rows gives Σp = 1); least squares where that system is singular."""
    n = b.shape[-1]
    system = np.eye(n) - m + np.ones((n, n))
    rhs = (b + 1.0)[..., None]
    try:
        return np.linalg.solve(system, rhs)[..., 0]
    except np.linalg.LinAlgError:  # rare (measure zero): world by world, least squares where singular
        return np.stack([np.linalg.lstsq(s, r, rcond=None)[0][:, 0] for s, r in zip(system, rhs)])


def _affine_points(batch: WorldBatch) -> tuple[np.ndarray, np.ndarray]:
    """The fixed point of each affine world f(p) = b + M p (matrix and linear worlds), as (world, point) arrays:
    :func:`affine_fixed_point`, unique unless I − M is singular on the tangent space (then the least-squares
    point, as Newton's method from the centre would give)."""
    n, count = batch.n, len(batch)
    b, m = batch.at(np.arange(count)).affine()
    p = affine_fixed_point(np.broadcast_to(b, (count, n)), np.broadcast_to(m, (count, n, n)))
    outside = np.any(p < 0.0, axis=-1)
    p[outside] = project(p[outside])
    fixed = _residual(batch, np.arange(count), p) <= FIXED_TOL
    return np.flatnonzero(fixed), p[fixed]


def _simplex_roots(batch: WorldBatch) -> Roots:
    """Fixed points of smooth worlds with three or more outcomes, each world's certified by the index theorem.

    Round 0: Newton from the local minima of ‖f(p) − p‖ on a simplex grid and their neighbours and, for a
    policy world, from the tie points of its
    best-response limit β → ∞ (near which the fixed points of a nearly rational human sit) and from points
    on the segments to them from the fixed point at β = 0 (see :func:`_starts`). While a world's index
    sum is not 1 (:mod:`core.solve.certificate`), escalate: deflated Newton (Farrell et al. 2015, which
    cannot converge to a root already found) from points scattered around every root found (the missing
    partner of a fold pair sits close by) and from random points of the simplex, a fixed seed per round,
    until the index sum is 1 and a round finds nothing new (or the rounds run out: the certificate then
    says so). Each world draws its random starts from its own generator, as it would alone.
    """
    n, count = batch.n, len(batch)
    group = _symmetries(batch)
    perms = _permutations(n)[1:]
    roots = _newton_roots(batch, [_starts(w, perms[g]) for w, g in zip(batch.worlds, group)],
                          [[] for _ in range(count)])
    searching = list(range(count))
    roots = _with_images(batch, group, roots, searching)
    rngs = [np.random.default_rng(0) for _ in range(count)]
    new: Roots | None = None  # what the last escalation round found (None before the first)
    for spread, random in ESCALATION:
        # Once the first starts have missed something, the certificate alone is not trusted: it cannot see a
        # missing pair, so the search goes on until a round finds nothing new.
        certificates = certify_batch(batch.take(searching), [roots[k] for k in searching])
        searching = [k for k, c in zip(searching, certificates) if not (c.complete and (new is None or not new[k]))]
        if not searching:
            break
        starts = [np.zeros((0, n)) for _ in range(count)]
        for k in searching:
            around = np.repeat(np.asarray(roots[k]).reshape(-1, n), ESCALATION_NEAR, axis=0)
            around = project(around + rows_times(spread * rngs[k].standard_normal((len(around), n - 1)),
                                                    tangent_basis(n).T))
            # Dirichlet(α = 1) is uniform on Δ; α < 1 favours the faces and corners, where grids are thin.
            scattered = rngs[k].dirichlet(np.full(n, 10.0 * spread), size=random)
            starts[k] = np.vstack([around, scattered])
        new = _newton_roots(batch, starts, roots)
        roots = _with_images(batch, group, [r + f for r, f in zip(roots, new)], searching)
    return roots


def _with_images(batch: WorldBatch, group: np.ndarray, roots: Roots, searching: list[int]) -> Roots:
    """``roots`` and every new fixed point among their images under the world's symmetries (for the worlds
    ``searching``).

    A world with equal candidates maps permuted predictions to permuted outcomes, so its fixed points come in
    orbits; a search that found one member of an orbit has found them all. Each image is still checked as a
    fixed point (‖f(p) − p‖ ≤ FIXED_TOL). ``group``: each world's symmetries (:func:`_symmetries`).
    """
    perms = _permutations(batch.n)[1:]
    images: list[np.ndarray] = [np.zeros((0, batch.n)) for _ in roots]
    for k in searching:
        mine = perms[group[k]]
        if len(mine) == 0 or not roots[k]:
            continue
        orbits: list[np.ndarray] = []
        for p in roots[k]:
            if orbits and np.min(np.max(np.abs(np.vstack(orbits) - p), axis=-1)) <= MERGE_TOL:
                continue  # an image of a root already done
            orbits.append(np.unique(np.round(p[mine], 12), axis=0))
        images[k] = np.vstack(orbits)
    which, p = _flat(images, batch.n)
    if not len(p):
        return roots
    fixed = _residual(batch, which, p) <= FIXED_TOL
    starts = [p[(which == k) & fixed] for k in range(len(roots))]
    # The images are roots already: plain Newton only polishes them (deflation would push away those that
    # coincide with a root found, for all its steps), and the merge drops the ones found before.
    return [r + f for r, f in zip(roots, _newton_roots(batch, starts, roots, deflate=False))]


def _symmetries(batch: WorldBatch) -> np.ndarray:
    """For each world, which permutations σ of the outcomes (other than the identity, in the order of
    ``_permutations(n)[1:]``) have f(p∘σ) = f(p)∘σ, a mask of shape ``(K, k)``.

    Checked on two random points of the simplex (a fixed seed): an affine coincidence there for a σ that is
    not a symmetry is possible in principle, harmless in practice, since every image is checked as a fixed
    point.
    """
    n, count = batch.n, len(batch)
    perms = _permutations(n)[1:]
    p = np.random.default_rng(0).dirichlet(np.ones(n), size=2)
    which = np.arange(count)
    moved = batch.at(which, 3)(np.broadcast_to(p[:, perms], (count, 2, len(perms), n)))  # f at the permuted points
    expected = batch.at(which, 2)(np.broadcast_to(p, (count, 2, n)))[:, :, perms]  # f(p) permuted
    return np.all(np.abs(moved - expected) <= 1e-12, axis=(1, 3))


def common_symmetries(worlds: Sequence[World] | WorldBatch) -> np.ndarray:
    """The permutations σ of the outcomes other than the identity (index arrays, shape ``(k, n)``) with
    f(p∘σ) = f(p)∘σ in every one of ``worlds``, checked as in :func:`_symmetries`."""
    batch = worlds if isinstance(worlds, WorldBatch) else WorldBatch(worlds)
    return _permutations(batch.n)[1:][np.all(_symmetries(batch), axis=0)]


@lru_cache(maxsize=8)
def _permutations(n: int) -> np.ndarray:
    return np.array(list(permutations(range(n))))


def _starts(world: World, symmetries: np.ndarray) -> np.ndarray:
    """Round 0's starts: the nodes of the simplex grid where ‖f(p) − p‖ is a local minimum over the grid, with
    their neighbours (each root of a smooth world sits near such a minimum: Newton from every node, as before,
    found the same roots at several times the cost), and a policy world's points of its β → ∞ limit.
    ``symmetries``: the world's (:func:`_symmetries`), as index arrays."""
    n, k = world.n, START_GRID[world.n]
    grid, neighbours = simplex_grid(n, k), grid_neighbours(n, k)
    with np.errstate(all="ignore"):
        gap = np.linalg.norm(world(grid) - grid, axis=-1)
    low = np.flatnonzero(np.all(gap[:, None] <= np.append(gap, np.inf)[neighbours], axis=1))
    grid = grid[low]
    if not isinstance(world, PolicyWorld):
        return grid
    ties = _ties(world)
    # From the one fixed point of an indifferent human (β = 0: f ≡ the mean outcome row) towards each tie
    # point (β → ∞): where fixed points of intermediate rationality sit. In a world of equal candidates each
    # fixed point lies on such a segment exactly (by symmetry), and those segments are scanned.
    centre = world.effective_outcomes().mean(axis=0)
    steps = np.array([0.25, 0.5, 0.75])[:, None, None]
    return np.vstack([grid, ties, ((1.0 - steps) * centre + steps * ties).reshape(-1, world.n),
                      _segment_roots(world, centre, _orbit_representatives(ties, symmetries))])


def _orbit_representatives(points: np.ndarray, symmetries: np.ndarray) -> np.ndarray:
    """One of ``points`` from each orbit under ``symmetries``: the rest are images (the search closes its roots
    under the symmetries, :func:`_with_images`). The worlds of a sweep share their tie points and symmetries:
    computed once for them."""
    if not len(symmetries) or not len(points):
        return points
    return _representatives(points.tobytes(), points.shape[1], symmetries.tobytes())


@lru_cache(maxsize=64)
def _representatives(points: bytes, n: int, symmetries: bytes) -> np.ndarray:
    pts, perms = np.frombuffer(points).reshape(-1, n), np.frombuffer(symmetries, dtype=int).reshape(-1, n)
    images = np.zeros((0, n))  # every image of the points kept
    kept = []
    for i, p in enumerate(pts):
        if not np.any(np.max(np.abs(images - p), axis=1) <= 1e-12):
            kept.append(i)
            images = np.vstack([images, p[perms]])
    out = pts[kept]
    out.setflags(write=False)
    return out


def _segment_roots(world: World, centre: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Where f(p) = p on the segments from ``centre`` to each of ``ends`` that f maps into their own lines, to the
    precision of a scan of :data:`SEGMENT_POINTS` points (the linear interpolation in each bracket).

    Such a line is a line of symmetric predictions (in a world of equal candidates, those that treat a set of
    candidates alike and the others alike): f restricted to it is a function of one variable, and every sign
    change of its step along the segment brackets a fixed point. Newton's method started on the line stays on it
    (f commutes with the symmetry), so each bracket's interpolation converges to the fixed point it holds,
    however close to others it sits (near a branch point, where the grid's starts all run to the centre).
    """
    d = ends - centre
    d = d[np.linalg.norm(d, axis=1) > 1e-9]
    t = np.linspace(0.0, 1.0, SEGMENT_POINTS)
    points = centre + t[None, :, None] * d[:, None, :]  # (segments, SEGMENT_POINTS, n)
    with np.errstate(all="ignore"):
        gap = world(points) - points
    along = np.einsum("stn,sn->st", gap, d) / np.einsum("sn,sn->s", d, d)[:, None]
    inside = np.all(np.abs(gap - along[..., None] * d[:, None, :]) <= SEGMENT_TOL, axis=(1, 2))
    s, i = np.nonzero(inside[:, None] & (np.sign(along[:, :-1]) * np.sign(along[:, 1:]) < 0))
    theta = along[s, i] / (along[s, i] - along[s, i + 1])
    return centre + (t[i] + theta * (t[i + 1] - t[i]))[:, None] * d[s]


def _ties(world: PolicyWorld) -> np.ndarray:
    """The tie points of the world's best-response limit β → ∞ (:func:`tie_mixtures`). The limit does not depend
    on β, nor on a threshold's ramp, so the worlds of a sweep along either share it, computed once."""
    return _limit_ties(world.actions, world.Q, world.U, world.policy, world.epsilon, world.threshold,
                       world.threshold_outcome)


@lru_cache(maxsize=64)
def _limit_ties(actions: tuple[str, ...], q: tuple, u: tuple, policy: str, epsilon: float, threshold: float,
                outcome: int) -> np.ndarray:
    limit = PolicyWorld(actions, q, u, "best_response" if policy == "softmax" else policy, epsilon=epsilon,
                        threshold=threshold, threshold_outcome=outcome)
    ties = tie_mixtures(limit)
    ties.setflags(write=False)
    return ties


def _newton_roots(batch: WorldBatch, starts: list[np.ndarray], known: Roots, deflate: bool = True) -> Roots:
    """For each world, the distinct fixed points Newton's method reaches from its ``starts``, none within
    MERGE_TOL of its ``known`` roots (which deflate the search unless ``deflate`` is false)."""
    n = batch.n
    which, p = _flat(starts, n)
    p, resid = newton(batch, which, p, known if deflate else None)
    fixed = resid <= FIXED_TOL
    which, p, resid = which[fixed], p[fixed], resid[fixed]
    # Most starts land on a few roots: keep one per 1e-9 cell (and world) before the pairwise merge.
    _, first = np.unique(np.column_stack([which, np.round(p, 9)]), axis=0, return_index=True)
    which, p, resid = which[first], p[first], resid[first]
    # How far each point may be from its root: ‖h‖ / σ_min(Df_T − I), with a safety factor 10 (near a
    # degenerate root σ_min shrinks with the distance to it). There Newton converges slowly and many points
    # pass the residual test; they are one root.
    sigma = np.linalg.svd(tangent_jacobian(batch.at(which).jacobian(p)) - np.eye(n - 1), compute_uv=False)[..., -1] \
        if len(p) else np.zeros(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        radius = np.clip(np.nan_to_num(10.0 * resid / sigma, nan=MAX_MERGE, posinf=MAX_MERGE), MERGE_TOL, MAX_MERGE)
    bounds = np.searchsorted(which, np.arange(len(starts) + 1))  # ``which`` is sorted
    return [_merge(p[lo:hi], radius[lo:hi], known[k]) for k, (lo, hi) in enumerate(pairwise(bounds))]


def _merge(points: np.ndarray, radius: np.ndarray, known: list[np.ndarray]) -> list[np.ndarray]:
    """The points, most precise first, that lie farther than MERGE_TOL from every known root and farther than
    the larger of the two radii from every point kept before them."""
    def apart(a: np.ndarray, b: np.ndarray) -> np.ndarray:  # max-norm distances, (len(a), len(b))
        return np.max(np.abs(a[:, None, :] - b[None, :, :]), axis=-1)

    far = np.all(apart(points, np.reshape(known, (-1, points.shape[1]))) > np.maximum(radius, MERGE_TOL)[:, None],
                 axis=1)
    clash = apart(points, points) <= np.maximum(radius[:, None], radius)
    kept: list[int] = []
    for i in np.argsort(radius, kind="stable"):
        if far[i] and not clash[i, kept].any():
            kept.append(i)
    return [points[i] for i in kept]


def newton(batch: WorldBatch, which: np.ndarray, starts: np.ndarray, deflate: Roots | None = None,
           iterations: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Newton's method for h(p) = f(p) − p = 0 in the tangent space, batched over starts (start i in world
    ``which[i]`` of ``batch``), projected onto Δ.

    With ``deflate`` (each world's roots r_i), Newton runs on the deflated map M(p) h(p),
    M = Π_i (1 + 1/‖p − r_i‖²), which has no zero at the r_i. Its step is the plain Newton step
    δ scaled by 1 / (1 − ∇log M · δ), with ∇log M = −Σ_i 2 d_i / (‖d_i‖⁴ + ‖d_i‖²), d_i = p − r_i
    (Farrell, Birkisson & Funke 2015). Returns the final points of the starts, which converged (‖h‖ ≤ 1e-13)
    or ran out of iterations, and their ‖h‖; callers keep those with ‖h‖ ≤ FIXED_TOL.
    """
    p = np.array(starts, dtype=float).reshape(-1, batch.n)
    size = np.empty(len(p))
    # Each world's roots, padded to one count: the padding's terms are masked to exact zeros.
    roots, real = _padded(deflate or [[] for _ in range(len(batch))], batch.n)
    for block in _blocks(batch.n, len(p)):
        p[block], size[block] = _newton_block(batch, which[block], p[block], roots, real, iterations)
    return p, size


def _blocks(n: int, count: int) -> list[slice]:
    """``count`` points of n outcomes cut in blocks of about BLOCK_ENTRIES entries of their Jacobians' products."""
    size = BLOCK_ENTRIES // (n * (n - 1)) ** 2
    return [slice(lo, lo + size) for lo in range(0, count, size)]


def _residual(batch: WorldBatch, which: np.ndarray, p: np.ndarray) -> np.ndarray:
    """‖f(p) − p‖ at each point (point i in world ``which[i]``), block by block."""
    return np.concatenate([np.linalg.norm(batch.at(which[b])(p[b]) - p[b], axis=-1) for b in _blocks(batch.n, len(p))]
                          + [np.zeros(0)])


def _newton_block(batch: WorldBatch, which: np.ndarray, p: np.ndarray, roots: np.ndarray, real: np.ndarray,
                  iterations: int) -> tuple[np.ndarray, np.ndarray]:
    n = batch.n
    b = tangent_basis(n)
    eye = np.eye(n - 1)
    live = np.arange(len(p))
    deflating = real.any(axis=1)
    size = np.empty(len(p))  # ‖h‖ at each start's last evaluated point
    stale = np.zeros(len(p), dtype=bool)  # moved since
    for it in range(iterations):
        q = p[live]
        h = batch.at(which[live])(q) - q
        size[live] = np.sqrt(np.einsum("ij,ij->i", h, h))
        stale[live] = False
        # Converged starts stop; so do those of plain Newton still far from any root after STALL_AFTER steps
        # (it converges quadratically once close: these wander, and the escalation has other starts for what
        # they miss). Deflated Newton is slower by design and keeps all its steps.
        s = size[live]
        moving = (s > 1e-13) & (deflating[which[live]] | (it < STALL_AFTER) | (s < STALL_RESIDUAL))
        live, q, h = live[moving], q[moving], h[moving]
        if len(live) == 0:
            break
        w = which[live]
        system = tangent_jacobian(batch.at(w).jacobian(q)) - eye
        step = -_solve(system, rows_times(h, b))
        if deflating[w].any():
            d = q[:, None, :] - roots[w]
            r2 = np.maximum(np.sum(d * d, axis=-1), 1e-300)
            grad = rows_times(-np.sum(2.0 * d / (r2 * r2 + r2)[..., None] * real[w][..., None], axis=1), b)
            step = step / (1.0 - np.sum(grad * step, axis=-1))[:, None]
        # A step in the tangent space keeps Σp = 1: only one that leaves the simplex is projected back onto it.
        # (Products by einsum, not BLAS, here and above: a root must not move with BLAS's number of threads.)
        q = q + rows_times(step, b.T)
        outside = np.any(q < 0.0, axis=-1)
        q[outside] = project(q[outside])
        ok = np.all(np.isfinite(q), axis=-1)
        q[~ok] = 1.0 / n
        # A start that no longer moves (its step lost in rounding, or projected back onto the same point) is
        # where its remaining steps would leave it.
        ok &= np.max(np.abs(q - p[live]), axis=-1) > STEP_FLOOR
        p[live] = q
        stale[live] = True
        live = live[ok]
    size[stale] = _residual(batch, which[stale], p[stale])
    return p, size


def _padded(roots: Roots, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Each world's roots in one array ``(K, r, n)`` (r the most any world has) and which entries are real."""
    most = max((len(r) for r in roots), default=0)
    out, real = np.zeros((len(roots), most, n)), np.zeros((len(roots), most), dtype=bool)
    for k, r in enumerate(roots):
        out[k, :len(r)] = np.asarray(r, dtype=float).reshape(-1, n)
        real[k, :len(r)] = True
    return out, real


def _solve(system: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Batched solve of system · x = rhs; least squares (pseudo-inverse) where a system is singular."""
    if system.shape[-1] == 2:
        # Three outcomes: Cramer's rule, since LAPACK's cost per tiny matrix would dominate the search.
        a, b, c, d = system[:, 0, 0], system[:, 0, 1], system[:, 1, 0], system[:, 1, 1]
        det = a * d - b * c
        singular = np.abs(det) < 1e-12
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.stack([d * rhs[:, 0] - b * rhs[:, 1], a * rhs[:, 1] - c * rhs[:, 0]], axis=-1) / det[:, None]
    else:
        singular = np.abs(np.linalg.det(system)) < 1e-12
        out = np.empty_like(rhs)
        if np.any(~singular):
            out[~singular] = np.linalg.solve(system[~singular], rhs[~singular, :, None])[..., 0]
    if np.any(singular):
        out[singular] = (np.linalg.pinv(system[singular]) @ rhs[singular, :, None])[..., 0]
    return out
