"""Global search on a grid: evaluate everywhere, take the local peaks, refine the best of them.

Every global question of the core (the performative optimum, the roots of f(p) − p, the largest
slope of f, the constant sup|g/g′| of the bounds) is answered this way: a grid fine enough that
every basin holds a node, and a local method started from each peak.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy.optimize import minimize_scalar


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


def maximise_on_interval(fn: Callable[[np.ndarray], np.ndarray], xs: np.ndarray, count: int = 1,
                         xatol: float = 1e-13) -> tuple[float, float]:
    """The largest value of a vectorized ``fn`` over the sorted grid ``xs`` and between its nodes.

    The best ``count`` grid peaks are refined by bounded Brent's method on their two neighbouring
    cells. Returns (x, fn(x)); NaN values count as −∞.
    """
    with np.errstate(all="ignore"):
        values = fn(xs)
    values = np.where(np.isnan(values), -np.inf, values)
    best = int(np.argmax(values))
    best_x, best_v = float(xs[best]), float(values[best])

    def negative(x: float) -> float:
        with np.errstate(all="ignore"):
            v = float(fn(np.asarray(x, dtype=float)))
        return -v if np.isfinite(v) else np.inf

    for i in grid_peaks(values, count=count):
        lo, hi = xs[max(i - 1, 0)], xs[min(i + 1, len(xs) - 1)]
        res = minimize_scalar(negative, bounds=(lo, hi), method="bounded", options={"xatol": xatol})
        if -res.fun > best_v:
            best_x, best_v = float(res.x), -float(res.fun)
    return best_x, best_v
