"""The scoring-rules page's figures: each rule's inaccuracy beside its bound, and the convex functions G."""

from __future__ import annotations

import numpy as np

from figures.style import NEUTRAL, OPTIMUM, Figure, figure


def rules_bar_figure(names: list[str], inaccuracy: list[float], bound: list[float | None]) -> Figure:
    """Inaccuracy of p̂ under each rule beside the theorem's bound where one applies."""
    traces = [dict(type="bar", x=names, y=inaccuracy, name="inaccuracy of p̂", marker=dict(color=OPTIMUM)),
              dict(type="bar", x=names, y=[np.nan if b is None else b for b in bound], name="theorem's bound",
                   marker=dict(color=NEUTRAL))]
    return figure(traces, "How far each rule's optimum is from honest", "", "distance", barmode="group")


def g_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], first: str) -> Figure:
    """The convex functions G of several rules on two outcomes (:func:`core.curves.g_curves`), each
    rescaled to [0, 1] so that their shapes compare."""
    traces = []
    for name, (xs, g) in curves.items():
        finite = np.where(np.isfinite(g), g, np.nan)
        lo, hi = np.nanmin(finite), np.nanmax(finite)
        traces.append(dict(type="scatter", x=xs, y=(finite - lo) / max(hi - lo, 1e-12), mode="lines", name=name))
    return figure(traces, "G(p) = S(p, p), rescaled to [0, 1]", f"P({first})", "G (rescaled)")
