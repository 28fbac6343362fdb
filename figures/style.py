"""The one legend language of every figure, and the helpers that draw with it.

Fixed points are green circles, filled when attracting and hollow when repelling (diamonds for saddles,
stars for mixed fixed points); the performative optimum p̂ is a red cross; the honest optima are rings
(gold: best score, purple: best for the human). Colours are mid-tone so that they read on light and dark
backgrounds, and every figure sets ``uirevision`` so that a zoom survives reruns.

A figure is the plain dictionary plotly.js reads (``{"data": [trace, ...], "layout": {...}}``, each trace a dict
with its ``type``; numbers as lists or numpy arrays), not a ``plotly.graph_objects.Figure``: building and
validating graph objects cost several times what the rest of a rerun costs. The tests check every figure
against plotly's schema (``go.Figure(figure)`` rejects a property plotly does not know).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core import Analysis, FixedPoint


@dataclass(frozen=True)
class MarkerStyle:
    """How one kind of point is drawn: its legend name, plotly marker symbol, colour and size."""

    name: str
    symbol: str
    color: str
    size: int = 13


FIXED = "#16a34a"
OPTIMUM = "#dc2626"
CURVE = "#3b82f6"
HELD = "#f59e0b"
NEUTRAL = "#9ca3af"

STYLE = {
    "attracting": MarkerStyle("fixed point, attracting", "circle", FIXED),
    "repelling": MarkerStyle("fixed point, repelling", "circle-open", FIXED),
    "saddle": MarkerStyle("fixed point, saddle", "diamond-open", FIXED),
    "neutral": MarkerStyle("fixed point, neutral", "circle-dot", FIXED),
    "mixed": MarkerStyle("mixed fixed point (human randomises)", "star-open", FIXED, 16),
    "optimum": MarkerStyle("performative optimum p̂", "x-thin-open", OPTIMUM, 16),
    "announcement": MarkerStyle("market's announcement A, at f(A)", "triangle-up", "#0891b2", 14),
    "by_score": MarkerStyle("honest optimum: best score", "circle-open", "#d97706", 26),
    "for_human": MarkerStyle("honest optimum: best for the human", "square-open", "#8b5cf6", 30),
}
#: The keys of :data:`STYLE` that mark fixed points, in legend order.
FIXED_POINT_KEYS = ("attracting", "repelling", "saddle", "neutral", "mixed")
UIREVISION = "keep"

Trace = dict[str, Any]  #: one trace: {"type": "scatter", "x": ..., ...}
Figure = dict[str, Any]  #: {"data": [Trace, ...], "layout": {...}}


def style_of(fp: FixedPoint) -> MarkerStyle:
    return STYLE["mixed"] if fp.kind == "mixed" else STYLE[fp.stability]


def marker(style: MarkerStyle, x: Sequence[float], y: Sequence[float], hover: list[str] | None = None,
           **kw) -> Trace:
    """A trace of markers in ``style``, named (and grouped in the legend) by the style unless ``kw`` names it."""
    trace = dict(type="scatter", x=list(x), y=list(y), mode="markers", name=style.name, legendgroup=style.name,
                 marker=dict(symbol=style.symbol, color=style.color, size=style.size,
                             line=dict(width=2.5, color=style.color)))
    trace.update(kw)
    if hover:
        trace.update(hovertext=list(hover), hoverinfo="text")
    return trace


def layout_spec(title: str, x_title: str, y_title: str, **extra) -> dict:
    """The shared layout: title on the left, legend below, zoom kept across reruns; ``extra`` adds to it, a
    dictionary merged into the shared one of that name (``xaxis=dict(range=...)`` keeps the axis title,
    ``legend=dict(itemsizing=...)`` the legend's place), as ``update_layout`` would."""
    # The legend sits at the figure's bottom edge (container coordinates), not at a fraction of the plot's
    # height below it: on a narrow screen it wraps into several rows and would climb onto the axis title.
    spec = dict(title=dict(text=title, x=0.0, xanchor="left"), uirevision=UIREVISION,
                legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0, x=0.0),
                margin=dict(l=10, r=10, t=50, b=10), height=470,
                xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)))
    for key, value in extra.items():
        spec[key] = spec[key] | value if isinstance(value, dict) and isinstance(spec.get(key), dict) else value
    return spec


def figure(traces: Sequence[Trace], title: str, x_title: str, y_title: str, **extra) -> Figure:
    """A figure of ``traces`` with the shared layout (:func:`layout_spec`)."""
    return {"data": list(traces), "layout": layout_spec(title, x_title, y_title, **extra)}


def fixed_point_traces(points: list[FixedPoint], xs: Sequence[float], ys: Sequence[float],
                       hover: Sequence[str]) -> list[Trace]:
    """One trace per marker style present, so the legend lists only what is drawn."""
    traces = []
    for key in FIXED_POINT_KEYS:
        idx = [i for i, fp in enumerate(points) if style_of(fp) is STYLE[key]]
        if idx:
            traces.append(marker(STYLE[key], [xs[i] for i in idx], [ys[i] for i in idx], [hover[i] for i in idx]))
    return traces


def honest_traces(analysis: Analysis, xs: Sequence[float], ys: Sequence[float]) -> list[Trace]:
    """Rings around the honest optima (when there is a choice of fixed points)."""
    traces = []
    for key, index in (("by_score", analysis.best_by_score), ("for_human", analysis.best_for_human)):
        if index is not None and len(analysis.fixed_points) > 1:
            traces.append(marker(STYLE[key], [xs[index]], [ys[index]], [STYLE[key].name]))
    return traces
