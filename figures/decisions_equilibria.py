"""A dishonest equilibrium of the zero-sum pair: what the human sees, and what one predictor can change."""

from __future__ import annotations

import numpy as np

from figures.style import CURVE, NEUTRAL, OPTIMUM, Figure, figure


def equilibrium_values_figure(actions: tuple[str, ...], truth: np.ndarray, seen: np.ndarray, low: np.ndarray,
                              high: np.ndarray, probs: np.ndarray) -> Figure:
    """Per action: its true value q_a, the combined value the human acts on, and the range [low, high] of
    combined values one predictor alone can give it against the other's reports. The action taken is solid."""
    names = list(actions)
    opacity = [1.0 if w > 1e-9 else 0.35 for w in probs]
    traces = [
        dict(type="bar", x=names, y=list(truth), name="true value q", marker=dict(color=NEUTRAL),
             hovertemplate="true value %{y:.3f}<extra></extra>"),
        dict(type="bar", x=names, y=list(seen), name="value the human sees",
             marker=dict(color=OPTIMUM, opacity=opacity), customdata=probs,
             hovertemplate="seen %{y:.3f}<br>taken with probability %{customdata:.2f}<extra></extra>"),
        dict(type="bar", x=names, y=list(high - low), base=list(low), name="one predictor alone can move it within",
             marker=dict(color="rgba(59, 130, 246, 0.45)", line=dict(color=CURVE, width=2)),
             customdata=np.stack([low, high], axis=-1),
             hovertemplate="from %{customdata[0]:.3f} to %{customdata[1]:.3f}<extra></extra>"),
    ]
    return figure(traces, "A dishonest equilibrium of the pair: values per action", "", "value to the human",
                  barmode="group")
