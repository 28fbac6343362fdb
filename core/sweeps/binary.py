"""Fixed points and performative optima of many two-outcome worlds at once (a sweep or a map).

Every world is evaluated on the same grid of the first outcome's probability x (the grid of
:func:`core.solve.fixed_points.find_fixed_points` and :func:`core.solve.optimum.performative_optimum`),
and the refinements run on all worlds together, one world call per world and iteration:

- fixed points: the exact zeros and sign changes of h(x) = f(x) − x on the grid, refined by the Illinois
  variant of regula falsi (zeros where h touches 0 without crossing are not found: they are folds, where a
  sweep's continuation finds them);
- the optimum: the best two grid peaks of S(x, f(x)), each refined by zooming in: 41 points over the two
  neighbouring cells, then over the two cells around the best of those, and so on, down to 1e-13.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from core.model.batch import WorldBatch
from core.model.rules import ScoringRule
from core.model.simplex import binary, grid_resolution
from core.model.worlds import World

#: Iterations of regula falsi (each shrinks a bracket of the 1/2000 grid far below 1e-15).
ROOT_ITERATIONS = 40
#: Zoom: points per window, and the window's final half-width.
ZOOM_POINTS, ZOOM_TOL = 41, 1e-13
#: Grid peaks of the score refined per world.
PEAKS = 2


def grid(worlds: Sequence[World], nodes: int | None = None) -> np.ndarray:
    """The common grid: the fixed points' and optimum's grid with every world's breakpoints as extra nodes;
    or, given ``nodes``, that many even intervals alone (for maps of thousands of worlds, whose breakpoints
    would swamp the grid; the refinement still finds a peak at a kink)."""
    if nodes is not None:
        return np.linspace(0.0, 1.0, nodes + 1)
    extra = np.concatenate([np.asarray(w.breakpoints(), dtype=float) for w in worlds] + [np.zeros(0)])
    return np.union1d(np.linspace(0.0, 1.0, grid_resolution(2) + 1), extra)


class _Batch:
    """f(x)₁ of many worlds (:class:`core.model.batch.WorldBatch`); the binary world functions in x directly."""

    def __init__(self, worlds: Sequence[World]) -> None:
        self.batch = WorldBatch(worlds)

    def __call__(self, which: np.ndarray, x: np.ndarray) -> np.ndarray:
        """f(x)₁ of world ``which[i]`` at ``x[i]`` (``x`` of shape (B,) or (B, m))."""
        world = self.batch.at(which, x.ndim)
        return world.value(x) if hasattr(world, "value") else world(binary(x))[..., 0]


def fixed_points(worlds: Sequence[World], nodes: int | None = None) -> list[np.ndarray]:
    """The probabilities of the first outcome at every fixed point of each world, ascending (``nodes`` as
    in :func:`grid`)."""
    xs = grid(worlds, nodes)
    f1 = _Batch(worlds)
    h = f1(np.arange(len(worlds)), np.broadcast_to(xs, (len(worlds), len(xs)))) - xs
    k_exact, i_exact = np.nonzero(h == 0.0)
    k, i = np.nonzero(np.sign(h[:, :-1]) * np.sign(h[:, 1:]) < 0)
    a, b, fa, fb = xs[i], xs[i + 1], h[k, i], h[k, i + 1]
    side = np.zeros(len(k), dtype=int)
    last = np.full(len(k), np.nan)
    active = np.arange(len(k))  # brackets still moving; np.nonzero sorted them by world
    for _ in range(ROOT_ITERATIONS):
        if not len(active):
            break
        ka, aa, ba, fa_, fb_ = k[active], a[active], b[active], fa[active], fb[active]
        with np.errstate(all="ignore"):
            c = np.clip(np.where(fb_ != fa_, (aa * fb_ - ba * fa_) / (fb_ - fa_), 0.5 * (aa + ba)), aa, ba)
        fc = f1(ka, c) - c
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
    roots = np.where(np.abs(fa) <= np.abs(fb), a, b)
    out = []
    for j in range(len(worlds)):
        found = np.sort(np.concatenate([xs[i_exact[k_exact == j]], roots[k == j]]))
        out.append(found[np.concatenate([[True], np.diff(found) > 1e-7])] if len(found) else found)
    return out


def optima(worlds: Sequence[World], rules: Sequence[ScoringRule], nodes: int | None = None) -> np.ndarray:
    """The probability of the first outcome at the performative optimum of each (world, rule), shape (K,).

    ``nodes``: intervals of the first grid (default: the optimum's own, 2000); a map of thousands of cells
    may take fewer, at the risk of missing a peak narrower than a cell.
    """
    xs = grid(worlds, nodes)
    k_count = len(worlds)
    f1 = _Batch(worlds)
    same_rule = all(r == rules[0] for r in rules)

    def score(x: np.ndarray) -> np.ndarray:
        q = f1(np.arange(k_count), x)
        with np.errstate(all="ignore"):
            if same_rule:
                s = rules[0].expected(binary(x), binary(q))
            else:
                s = np.stack([r.expected(binary(xk), binary(qk)) for r, xk, qk in zip(rules, x, q)])
        return np.where(np.isnan(s), -np.inf, s)

    values = score(np.broadcast_to(xs, (k_count, len(xs))))
    padded = np.pad(values, ((0, 0), (1, 1)), constant_values=-np.inf)
    is_peak = (values >= padded[:, :-2]) & (values >= padded[:, 2:]) & np.isfinite(values)
    # The best PEAKS peaks per world (a world with none keeps its best node).
    ranked = np.argsort(-np.where(is_peak, values, -np.inf), axis=1, kind="stable")[:, :PEAKS]
    best_x = xs[np.argmax(values, axis=1)]
    best_v = values.max(axis=1)
    step = np.diff(xs).max()
    for peak in ranked.T:
        centre, half = xs[peak], np.full(k_count, step)
        while half.max() > ZOOM_TOL:
            window = np.clip(centre[:, None] + half[:, None] * np.linspace(-1.0, 1.0, ZOOM_POINTS), 0.0, 1.0)
            v = score(window)
            j = np.argmax(v, axis=1)
            centre = window[np.arange(k_count), j]
            half = half * 2.0 / (ZOOM_POINTS - 1)
            better = v[np.arange(k_count), j] > best_v
            best_x, best_v = np.where(better, centre, best_x), np.where(better, v[np.arange(k_count), j], best_v)
    return best_x
