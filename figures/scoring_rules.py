"""The scoring-rules page's figures: each rule's inaccuracy beside its bound, and the convex functions G."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from figures.style import NEUTRAL, OPTIMUM, layout


def rules_bar_figure(names: list[str], inaccuracy: list[float], bound: list[float | None]) -> go.Figure:
    """Inaccuracy of p̂ under each rule beside the theorem's bound where one applies."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=inaccuracy, name="inaccuracy of p̂", marker_color=OPTIMUM))
    fig.add_trace(go.Bar(x=names, y=[np.nan if b is None else b for b in bound], name="theorem's bound",
                         marker_color=NEUTRAL))
    layout(fig, "How far each rule's optimum is from honest", "", "distance")
    fig.update_layout(barmode="group")
    return fig


def g_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], first: str) -> go.Figure:
    """The convex functions G of several rules on two outcomes (:func:`core.curves.g_curves`), each
    rescaled to [0, 1] so that their shapes compare."""
    fig = go.Figure()
    for name, (xs, g) in curves.items():
        finite = np.where(np.isfinite(g), g, np.nan)
        lo, hi = np.nanmin(finite), np.nanmax(finite)
        fig.add_trace(go.Scatter(x=xs, y=(finite - lo) / max(hi - lo, 1e-12), mode="lines", name=name))
    layout(fig, "G(p) = S(p, p), rescaled to [0, 1]", f"P({first})", "G (rescaled)")
    return fig
