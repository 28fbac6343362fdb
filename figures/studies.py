"""Figures of the Studies page: histograms of the study's quantities, and inaccuracy against ‖αA‖_T."""

from __future__ import annotations

import math

import numpy as np

from figures.style import CURVE, NEUTRAL, OPTIMUM, UIREVISION, Figure

#: Axis titles of the quantities a study reports.
LABELS = {
    "inaccuracy": "inaccuracy ‖p̂ − f(p̂)‖",
    "distance": "distance ‖p̂ − p*‖",
    "norm_T": "‖αA‖_T",
    "ratio": "inaccuracy / bound",
}


def histograms_figure(columns: dict[str, np.ndarray]) -> Figure:
    """One histogram per quantity (nan values left out), side by side: one pair of axes each, the k-th
    (``xaxis{k}``, ``yaxis{k}``) over its share of the width, its title above it."""
    names = [name for name in LABELS if name in columns and np.isfinite(columns[name]).any()]
    count = max(len(names), 1)
    gap = 0.2 / count  # between two plots, as a fraction of the width (make_subplots' default)
    width = (1 - gap * (count - 1)) / count
    traces, titles, layout = [], [], {}
    for i, name in enumerate(names):
        k = "" if i == 0 else str(i + 1)
        left = i * (width + gap)
        traces.append(dict(type="histogram", x=columns[name][np.isfinite(columns[name])], nbinsx=40,
                           marker=dict(color=CURVE), name=LABELS[name], showlegend=False, xaxis=f"x{k}",
                           yaxis=f"y{k}"))
        titles.append(dict(text=LABELS[name], font=dict(size=16), showarrow=False, xref="paper", yref="paper",
                           x=left + width / 2, y=1.0, xanchor="center", yanchor="bottom"))
        layout[f"xaxis{k}"] = dict(anchor=f"y{k}", domain=[left, left + width])
        layout[f"yaxis{k}"] = dict(anchor=f"x{k}", domain=[0.0, 1.0])
    if names:
        layout["yaxis"]["title"] = dict(text="worlds")
    layout.update(annotations=titles, height=300, margin=dict(l=10, r=10, t=40, b=10), bargap=0.05,
                  uirevision=UIREVISION)
    return {"data": traces, "layout": layout}


def bound_scatter_figure(norm_t: np.ndarray, inaccuracy: np.ndarray, slope: float, worst: np.ndarray) -> Figure:
    """Inaccuracy against ‖αA‖_T, one point per world, the theorem's bound ``slope · ‖αA‖_T`` as a line
    (left out when ``slope`` is nan) and the worlds at indices ``worst`` ringed."""
    traces = [dict(type="scattergl", x=norm_t, y=inaccuracy, mode="markers", name="worlds",
                   marker=dict(color=CURVE, size=4, opacity=0.5))]
    if math.isfinite(slope):
        top = float(np.nanmax(norm_t)) if len(norm_t) else 1.0
        traces.append(dict(type="scatter", x=[0.0, top], y=[0.0, slope * top], mode="lines",
                           name="the theorem's bound", line=dict(color=NEUTRAL, dash="dash", width=2)))
    traces.append(dict(type="scatter", x=norm_t[worst], y=inaccuracy[worst], mode="markers", name="worst worlds",
                       marker=dict(symbol="circle-open", color=OPTIMUM, size=12, line=dict(width=2))))
    return {"data": traces,
            "layout": dict(height=420, margin=dict(l=10, r=10, t=30, b=10),
                           xaxis=dict(title=dict(text=LABELS["norm_T"])),
                           yaxis=dict(title=dict(text=LABELS["inaccuracy"])), legend=dict(orientation="h", y=1.08),
                           uirevision=UIREVISION)}
