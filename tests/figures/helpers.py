"""Reading what a figure draws: checked against plotly's schema, its traces by name, and its legend."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from figures.style import FIXED_POINT_KEYS, STYLE

FIXED_POINT_NAMES = tuple(STYLE[k].name for k in FIXED_POINT_KEYS)


def checked(figure: dict[str, Any]) -> go.Figure:
    """``figure`` (a plain dict, as the figures module returns it) as a plotly Figure, after checking that
    plotly knows every property it sets and reads each as written: ``go.Figure`` raises on an unknown
    property, and the comparison below catches what it would silently rewrite and plotly.js would not read
    (``marker_color`` for ``marker.color``, a string where plotly.js 3 wants ``title.text``)."""
    validated = go.Figure(figure)
    _same_shape(figure, validated.to_plotly_json(), "figure")
    return validated


def _same_shape(given: Any, read: Any, path: str) -> None:
    if isinstance(given, dict):
        assert isinstance(read, dict), f"{path} is read as {type(read).__name__}"
        keys = set(read) - {"template"}  # plotly adds its default template to the layout
        assert set(given) == keys, f"{path}: written {sorted(set(given) ^ keys)} differently from how plotly reads it"
        for key in given:
            _same_shape(given[key], read[key], f"{path}.{key}")
    elif isinstance(given, list) and given and all(isinstance(item, dict) for item in given):
        assert isinstance(read, list | tuple) and len(read) == len(given), path
        for i, (a, b) in enumerate(zip(given, read)):
            _same_shape(a, b, f"{path}[{i}]")
    else:
        assert not isinstance(read, dict) or isinstance(given, np.ndarray), f"{path} is read as an object"


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
