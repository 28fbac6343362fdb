"""Global search on a grid: evaluate everywhere, take the local peaks, refine the best of them.

Every global question of the core (the performative optimum, the roots of f(p) − p, the largest slope of f,
the constant sup|g/g′| of the bounds) is answered this way: a grid fine enough that every basin holds a node,
and a local method started from each peak. The one-dimensional searches run on many rows at once (one row
per world of a batch, each on its own grid): ``fn(rows, x)`` evaluates row ``rows[i]`` at the points
``x[i]`` (shape ``(B, m)``), and what a row gets never depends on the other rows of its batch.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from core.model.simplex import project

RowFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]
#: Zoom: points per window; the window shrinks by (points − 1)/2 a round, down to ZOOM_TOL.
ZOOM_POINTS, ZOOM_TOL = 41, 1e-13
#: Rounds of regula falsi (each bracket of a fine grid shrinks far below 1e-15 long before).
ROOT_ITERATIONS = 60


def grid_peaks(values: np.ndarray, neighbours: np.ndarray | None = None, count: int | None = None) -> np.ndarray:
    """Indices of the grid's local maxima, best first (NaN counts as −∞ and is never a peak).

    ``neighbours``: for a simplex grid, each node's neighbour indices (−1 pads, see
    :func:`core.model.simplex.grid_neighbours`); ``None`` for a 1-D grid in order. ``count``: keep
    the best ``count`` peaks.
    """
    vals = np.where(np.isnan(values), -np.inf, values)
    if neighbours is None:
        padded = np.concatenate([[-np.inf], vals, [-np.inf]])
        is_peak = (vals >= padded[:-2]) & (vals >= padded[2:])
    else:
        padded = np.append(vals, -np.inf)  # index −1 (no neighbour) reads −∞
        is_peak = np.all(vals[:, None] >= padded[neighbours], axis=1)
    peaks = np.flatnonzero(is_peak & np.isfinite(vals))
    return peaks[np.argsort(-vals[peaks], kind="stable")][:count]


def row_grids(base: np.ndarray, extra: list[tuple[float, ...]]) -> np.ndarray:
    """One sorted grid per row: ``base`` with that row's ``extra`` nodes, shape ``(K, G)``; rows with fewer
    nodes repeat their last node (a cell of width 0, which holds no sign change and no new peak)."""
    if not any(extra):
        return np.broadcast_to(base, (len(extra), len(base)))
    grids = [np.union1d(base, np.asarray(e, dtype=float)) for e in extra]
    width = max(len(g) for g in grids)
    return np.stack([np.pad(g, (0, width - len(g)), mode="edge") for g in grids])


def padding(xs: np.ndarray) -> np.ndarray:
    """Which nodes of :func:`row_grids` only pad a row (repeats of its last node)."""
    out = np.zeros(xs.shape, dtype=bool)
    out[:, 1:] = xs[:, 1:] == xs[:, :-1]
    return out


def _finite(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), -np.inf, values)


def zoom(fn: RowFunction, rows: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The maximiser of ``fn`` on each window [lo[i], hi[i]] of row ``rows[i]``, and its value (NaN counts as −∞).

    The window is sampled at ZOOM_POINTS points, then narrowed to the two cells around the best of them, and so
    on down to ZOOM_TOL: for a function with one peak in the window this finds it (to the precision its values
    allow); it is the local refinement of every one-dimensional grid search here.
    """
    t = np.linspace(0.0, 1.0, ZOOM_POINTS)
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    best_x, best_v = lo.copy(), np.full(len(lo), -np.inf)
    # Each window stops on its own once below ZOOM_TOL: how far it zooms never depends on the other windows.
    active = np.flatnonzero(hi - lo > ZOOM_TOL)
    while len(active):
        a, b = lo[active], hi[active]
        window = a[:, None] + (b - a)[:, None] * t
        with np.errstate(all="ignore"):
            v = _finite(fn(rows[active], window))
        j = np.argmax(v, axis=1)
        x, vj = window[np.arange(len(active)), j], v[np.arange(len(active)), j]
        better = vj > best_v[active]
        best_x[active[better]], best_v[active[better]] = x[better], vj[better]
        step = (b - a) / (ZOOM_POINTS - 1)
        lo[active], hi[active] = np.maximum(a, x - step), np.minimum(b, x + step)
        active = active[hi[active] - lo[active] > ZOOM_TOL]
    return best_x, best_v


def maximise_on_grids(fn: RowFunction, xs: np.ndarray, count: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The largest value of ``fn`` on each row's grid ``xs[k]`` (sorted) and between its nodes: the best ``count``
    grid peaks of each row refined by :func:`zoom` over their two neighbouring cells. Returns (x, value) per row."""
    k_count, width = xs.shape
    rows = np.arange(k_count)
    with np.errstate(all="ignore"):
        values = _finite(fn(rows, xs))
    best = np.argmax(values, axis=1)
    best_x, best_v = xs[rows, best], values[rows, best]
    padded = np.pad(values, ((0, 0), (1, 1)), constant_values=-np.inf)
    is_peak = (values >= padded[:, :-2]) & (values >= padded[:, 2:]) & np.isfinite(values) & ~padding(xs)
    ranked = np.argsort(-np.where(is_peak, values, -np.inf), axis=1, kind="stable")[:, :count]
    owner, peak = np.nonzero(np.take_along_axis(is_peak, ranked, axis=1))
    if len(owner):
        i = ranked[owner, peak]
        x, v = zoom(fn, owner, xs[owner, np.maximum(i - 1, 0)], xs[owner, np.minimum(i + 1, width - 1)])
        order = np.lexsort((-v, owner))  # per row, its best refined peak first
        first = order[np.concatenate([[True], np.diff(owner[order]) > 0])]
        better = v[first] > best_v[owner[first]]
        best_x[owner[first[better]]] = x[first[better]]
        best_v[owner[first[better]]] = v[first[better]]
    return best_x, best_v


def illinois(fn: RowFunction, rows: np.ndarray, a: np.ndarray, b: np.ndarray, fa: np.ndarray,
             fb: np.ndarray) -> np.ndarray:
    """The roots of ``fn`` in the brackets [a[i], b[i]] of row ``rows[i]`` (fa, fb: the values there, of opposite
    signs), by the Illinois variant of regula falsi, all brackets at once."""
    a, b, fa, fb = (np.array(v, dtype=float) for v in (a, b, fa, fb))
    side = np.zeros(len(a), dtype=int)
    last = np.full(len(a), np.nan)
    active = np.arange(len(a))
    for _ in range(ROOT_ITERATIONS):
        if not len(active):
            break
        aa, ba, fa_, fb_ = a[active], b[active], fa[active], fb[active]
        with np.errstate(all="ignore"):
            c = np.clip(np.where(fb_ != fa_, (aa * fb_ - ba * fa_) / (fb_ - fa_), 0.5 * (aa + ba)), aa, ba)
        fc = fn(rows[active], c[:, None])[:, 0]
        left = np.sign(fc) == np.sign(fa_)
        sd = side[active]
        # Illinois: halve the value kept at the end that did not move twice in a row.
        fb_ = np.where(left & (sd == -1), fb_ / 2, fb_)
        fa_ = np.where(~left & (sd == 1), fa_ / 2, fa_)
        a[active] = np.where(left | (fc == 0), c, aa)
        fa[active] = np.where(left | (fc == 0), fc, fa_)
        b[active] = np.where(left & (fc != 0), ba, c)
        fb[active] = np.where(left & (fc != 0), fb_, fc)
        side[active] = np.where(left, -1, 1)
        moving = (fc != 0) & ~(np.abs(c - last[active]) <= 1e-16) & (b[active] - a[active] > 1e-16)
        last[active] = c
        active = active[moving]
    return np.where(np.abs(fa) <= np.abs(fb), a, b)


#: Spectral projected gradient: the projected step's size (max-norm) below which a start has converged, the
#: step budget, the step (max-norm) below which a start has stalled in rounding, the range of the
#: Barzilai–Borwein step length, and the non-monotone memory of the line search.
ASCENT_TOL, ASCENT_ITER, ASCENT_STALL = 1e-9, 1000, 1e-15
BB_MIN, BB_MAX, ASCENT_MEMORY = 1e-10, 1e10, 10

ValueGradient = Callable[[np.ndarray, np.ndarray], "tuple[np.ndarray, np.ndarray]"]


def ascend_on_simplex(fn: ValueGradient, rows: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Local maxima on the simplex from many starts at once, by the spectral projected gradient method
    (Birgin, Martínez & Raydan 2000: a Barzilai–Borwein step projected onto the simplex, with a non-monotone
    Armijo search along the projected direction). ``fn(rows, p)`` gives the values and (ambient) gradients of
    row ``rows[i]`` at ``p[i]`` (shape ``(B, n)``). Start i belongs to row ``rows[i]`` and moves on its own: what
    it reaches never depends on the other starts. Returns (p, value, converged) per start; ``converged`` where the
    projected step ‖P(p + ∇) − p‖∞ fell to :data:`ASCENT_TOL` (a KKT point) within :data:`ASCENT_ITER` steps."""
    p = np.array(starts, dtype=float)
    count = len(p)
    with np.errstate(all="ignore"):
        value, grad = fn(rows, p)
    history = np.repeat(value[:, None], ASCENT_MEMORY, axis=1)
    length = np.ones(count)
    converged = np.zeros(count, dtype=bool)
    active = np.flatnonzero(np.isfinite(value) & np.all(np.isfinite(grad), axis=1))
    for step in range(ASCENT_ITER):
        if not active.size:
            break
        pa, ga = p[active], grad[active]
        done = np.max(np.abs(project(pa + ga) - pa), axis=1) <= ASCENT_TOL
        converged[active[done]] = True
        active, pa, ga = active[~done], pa[~done], ga[~done]
        if not active.size:
            break
        d = project(pa + length[active, None] * ga) - pa
        slope = np.einsum("ij,ij->i", ga, d)
        reference = history[active].max(axis=1)
        t = np.ones(active.size)
        new_p, new_v, new_g = pa.copy(), value[active].copy(), ga.copy()
        todo = np.arange(active.size)
        for _ in range(40):
            trial = pa[todo] + t[todo, None] * d[todo]
            with np.errstate(all="ignore"):
                v, g = fn(rows[active[todo]], trial)
            ok = np.isfinite(v) & np.all(np.isfinite(g), axis=1) & (v >= reference[todo] + 1e-4 * t[todo] * slope[todo])
            new_p[todo[ok]], new_v[todo[ok]], new_g[todo[ok]] = trial[ok], v[ok], g[ok]
            todo = todo[~ok]
            if not todo.size:
                break
            t[todo] *= 0.5
        moved = np.setdiff1d(np.arange(active.size), todo, assume_unique=True)
        s, y = new_p - pa, ga - new_g  # the minimised function is −S: its gradient change is −(g_new − g)
        sy, ss = np.einsum("ij,ij->i", s, y), np.einsum("ij,ij->i", s, s)
        with np.errstate(all="ignore"):
            length[active] = np.where(sy > 0, np.clip(ss / sy, BB_MIN, BB_MAX), BB_MAX)
        p[active], value[active], grad[active] = new_p, new_v, new_g
        history[active, step % ASCENT_MEMORY] = new_v
        # A start whose line search found no ascent, or only a step lost in rounding, stops where it is.
        active = active[moved[np.max(np.abs(s[moved]), axis=1) > ASCENT_STALL]]
    return p, value, converged
