"""Reading what a figure draws: its traces by name, and the names its legend lists."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from figures.style import FIXED_POINT_KEYS, STYLE

FIXED_POINT_NAMES = tuple(STYLE[k].name for k in FIXED_POINT_KEYS)


def traces(fig: go.Figure, name: str) -> list:
    return [t for t in fig.data if t.name == name]


def points(fig: go.Figure, *names: str) -> np.ndarray:
    """All (x, y) of the traces with these names, shape (k, 2), sorted (for comparing sets of points)."""
    found = [t for t in fig.data if t.name in names]
    if not found:
        return np.empty((0, 2))
    xy = np.column_stack([np.concatenate([np.asarray(t.x, dtype=float) for t in found]),
                          np.concatenate([np.asarray(t.y, dtype=float) for t in found])])
    return xy[np.lexsort(xy.T[::-1])]


def sorted_points(xy: np.ndarray) -> np.ndarray:
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    return xy[np.lexsort(xy.T[::-1])]


def legend(fig: go.Figure) -> list[str]:
    """The names the legend lists (each legend group once, in order)."""
    names: list[str] = []
    for t in fig.data:
        if t.showlegend is not False and t.name and t.name not in names:
            names.append(t.name)
    return names
