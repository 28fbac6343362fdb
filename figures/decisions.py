"""The decisions page's figures: each mechanism's reports per action, and the training curves."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.decisions.mechanisms import MechanismResult
from figures.style import CURVE, FIXED, NEUTRAL, OPTIMUM, layout

MECHANISM_COLOURS = {"truth": NEUTRAL, "honest": FIXED, "single predictor": OPTIMUM, "zero-sum pair": CURVE}
PALETTE = ["#dc2626", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def reports_figure(actions: tuple[str, ...], first: str, truth: np.ndarray,
                   outcomes: list[MechanismResult]) -> go.Figure:
    """Each mechanism's reported probability of the first outcome for every action, beside the truth;
    bars of the actions the human takes are solid, the others faded."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=list(actions), y=list(truth[:, 0]), name="truth Q", marker_color=NEUTRAL))
    for o in outcomes:
        fig.add_trace(go.Bar(
            x=list(actions), y=list(o.reports[:, 0]), name=o.name, marker_color=MECHANISM_COLOURS[o.name],
            marker_opacity=[1.0 if w > 1e-9 else 0.35 for w in o.action_probs],
            customdata=o.action_probs, hovertemplate="reported %{y:.3f}<br>action taken with probability "
                                                     "%{customdata:.2f}<extra>" + o.name + "</extra>"))
    layout(fig, f"Reported P({first}) per action (faded: not taken)", "", f"P({first})")
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1])
    return fig


def learning_figure(curves: dict[str, dict[str, np.ndarray]], actions: tuple[str, ...], metric: str,
                    title: str, y_title: str) -> go.Figure:
    """Learning curves: ``curves[variant][metric]`` is (steps,) or (steps, m) (one line per action)."""
    fig = go.Figure()
    for i, (variant, data) in enumerate(curves.items()):
        y = np.asarray(data[metric])
        columns = [y] if y.ndim == 1 else [y[:, a] for a in range(y.shape[1])]
        for a, col in enumerate(columns):
            label = variant if y.ndim == 1 else f"{variant}: {actions[a]}"
            fig.add_trace(go.Scatter(y=col, mode="lines", name=label, legendgroup=variant,
                                     line=dict(color=PALETTE[i % len(PALETTE)], dash=DASHES[a % len(DASHES)])))
    layout(fig, title, "training step", y_title)
    fig.update_layout(legend=dict(orientation="v", y=1.0, x=1.02, yanchor="top", font=dict(size=11)), height=420)
    return fig
