"""The decisions page's figures: each mechanism's reports per action, and the training curves."""

from __future__ import annotations

import numpy as np

from core import MechanismResult
from figures.style import CURVE, FIXED, NEUTRAL, OPTIMUM, Figure, figure

MECHANISM_COLOURS = {"truth": NEUTRAL, "honest": FIXED, "single predictor": OPTIMUM, "zero-sum pair": CURVE}
PALETTE = ["#dc2626", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2"]
DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


def reports_figure(actions: tuple[str, ...], first: str, truth: np.ndarray,
                   outcomes: list[MechanismResult]) -> Figure:
    """Each mechanism's reported probability of the first outcome for every action, beside the truth;
    bars of the actions the human takes are solid, the others faded."""
    traces = [dict(type="bar", x=list(actions), y=list(truth[:, 0]), name="truth Q", marker=dict(color=NEUTRAL))]
    for o in outcomes:
        traces.append(dict(
            type="bar", x=list(actions), y=list(o.reports[:, 0]), name=o.name,
            marker=dict(color=MECHANISM_COLOURS[o.name],
                        opacity=[1.0 if w > 1e-9 else 0.35 for w in o.action_probs]),
            customdata=o.action_probs, hovertemplate="reported %{y:.3f}<br>action taken with probability "
                                                     "%{customdata:.2f}<extra>" + o.name + "</extra>"))
    return figure(traces, f"Reported P({first}) per action (faded: not taken)", "", f"P({first})",
                  barmode="group", yaxis=dict(range=[0, 1]))


def learning_figure(curves: dict[str, dict[str, np.ndarray]], actions: tuple[str, ...], metric: str,
                    title: str, y_title: str) -> Figure:
    """Learning curves: ``curves[variant][metric]`` is (steps,) or (steps, m) (one line per action)."""
    traces = []
    for i, (variant, data) in enumerate(curves.items()):
        y = np.asarray(data[metric])
        columns = [y] if y.ndim == 1 else [y[:, a] for a in range(y.shape[1])]
        for a, col in enumerate(columns):
            label = variant if y.ndim == 1 else f"{variant}: {actions[a]}"
            traces.append(dict(type="scatter", y=col, mode="lines", name=label, legendgroup=variant,
                               line=dict(color=PALETTE[i % len(PALETTE)], dash=DASHES[a % len(DASHES)])))
    # The legend beside the plot (merged into the shared one: from the container's top).
    return figure(traces, title, "training step", y_title, height=420,
                  legend=dict(orientation="v", y=1.0, x=1.02, yanchor="top", font=dict(size=11)))
