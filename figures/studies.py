"""Figures of the Studies page: histograms of the study's quantities, and inaccuracy against ‖αA‖_T."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from figures.style import CURVE, NEUTRAL, OPTIMUM, UIREVISION

#: Axis titles of the quantities a study reports.
LABELS = {
    "inaccuracy": "inaccuracy ‖p̂ − f(p̂)‖",
    "distance": "distance ‖p̂ − p*‖",
    "norm_T": "‖αA‖_T",
    "ratio": "inaccuracy / bound",
}


def histograms_figure(columns: dict[str, np.ndarray]) -> go.Figure:
    """One histogram per quantity (nan values left out), side by side."""
    names = [name for name in LABELS if name in columns and np.isfinite(columns[name]).any()]
    fig = make_subplots(rows=1, cols=len(names), subplot_titles=[LABELS[n] for n in names])
    for i, name in enumerate(names, start=1):
        values = columns[name][np.isfinite(columns[name])]
        fig.add_trace(go.Histogram(x=values, nbinsx=40, marker_color=CURVE, name=LABELS[name], showlegend=False),
                      row=1, col=i)
        fig.update_yaxes(title_text="worlds" if i == 1 else None, row=1, col=i)
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=40, b=10), bargap=0.05, uirevision=UIREVISION)
    return fig


def bound_scatter_figure(norm_t: np.ndarray, inaccuracy: np.ndarray, slope: float, worst: np.ndarray) -> go.Figure:
    """Inaccuracy against ‖αA‖_T, one point per world, the theorem's bound ``slope · ‖αA‖_T`` as a line
    (left out when ``slope`` is nan) and the worlds at indices ``worst`` ringed."""
    fig = go.Figure()
    fig.add_trace(go.Scattergl(x=norm_t, y=inaccuracy, mode="markers", name="worlds",
                               marker=dict(color=CURVE, size=4, opacity=0.5)))
    if math.isfinite(slope):
        top = float(np.nanmax(norm_t)) if len(norm_t) else 1.0
        fig.add_trace(go.Scatter(x=[0.0, top], y=[0.0, slope * top], mode="lines", name="the theorem's bound",
                                 line=dict(color=NEUTRAL, dash="dash", width=2)))
    fig.add_trace(go.Scatter(x=norm_t[worst], y=inaccuracy[worst], mode="markers", name="worst worlds",
                             marker=dict(symbol="circle-open", color=OPTIMUM, size=12, line=dict(width=2))))
    fig.update_layout(height=420, margin=dict(l=10, r=10, t=30, b=10), xaxis_title=LABELS["norm_T"],
                      yaxis_title=LABELS["inaccuracy"], legend=dict(orientation="h", y=1.08),
                      uirevision=UIREVISION)
    return fig
