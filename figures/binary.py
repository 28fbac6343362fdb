"""The two-outcome page's figures: the map f against the diagonal, the predictor's score, the cobweb.

They draw the samples of :mod:`core.curves` and the points of an :class:`~core.analysis.Analysis`.
"""

from __future__ import annotations

import numpy as np

from core import Analysis, BinaryCurve
from figures.style import CURVE, HELD, NEUTRAL, OPTIMUM, STYLE, Figure, Trace, figure, fixed_point_traces, \
    honest_traces, marker, style_of

UNIT_RANGE = [-0.02, 1.02]
UNIT_AXES = dict(xaxis=dict(range=UNIT_RANGE), yaxis=dict(range=UNIT_RANGE))


def _diagonal() -> Trace:
    return dict(type="scatter", x=[0, 1], y=[0, 1], mode="lines", name="diagonal f(p) = p",
                line=dict(color=NEUTRAL, dash="dash", width=1.5), hoverinfo="skip")


def _fixed_points_on_diagonal(analysis: Analysis) -> list[Trace]:
    first = analysis.scenario.outcomes[0]
    fps = analysis.fixed_points
    px = [fp.p[0] for fp in fps]
    hover = [f"{style_of(fp).name}<br>P({first}) = {x:.4g}" for fp, x in zip(fps, px)]
    return fixed_point_traces(fps, px, px, hover)


def binary_map_figure(analysis: Analysis, curve: BinaryCurve) -> Figure:
    """f(p) against the diagonal, with fixed points, p̂ and f(p̂), and the honest optima."""
    first = analysis.scenario.outcomes[0]
    opt = analysis.optimum
    traces = [_diagonal(),
              dict(type="scatter", x=curve.x, y=curve.f, mode="lines", name="f(p): what happens",
                   line=dict(color=CURVE, width=3),
                   hovertemplate=f"predicted P({first}) = %{{x:.4f}}<br>"
                                 f"resulting P({first}) = %{{y:.4f}}<extra></extra>")]
    traces += [dict(type="scatter", x=[x, x], y=[lo, hi], mode="lines", showlegend=False, hoverinfo="skip",
                    line=dict(color=CURVE, width=1.5, dash="dot")) for x, lo, hi in curve.jumps]
    traces += _fixed_points_on_diagonal(analysis)
    px = [fp.p[0] for fp in analysis.fixed_points]
    traces += honest_traces(analysis, px, px)
    traces.append(dict(type="scatter", x=[opt.p[0], opt.p[0]], y=[opt.p[0], opt.f[0]], mode="lines",
                       name="inaccuracy |p̂ − f(p̂)|", line=dict(color=OPTIMUM, dash="dot", width=2),
                       hoverinfo="skip"))
    traces.append(marker(STYLE["optimum"], [opt.p[0]], [opt.f[0]],
                         [f"p̂ = {opt.p[0]:.4f}<br>f(p̂) = {opt.f[0]:.4f}"]))
    return figure(traces, "What the prediction makes happen", f"predicted P({first})", f"resulting P({first})",
                  **UNIT_AXES)


def visible_range(values: np.ndarray) -> list[float]:
    """A y-range that shows the interesting part when a score dives to −∞ (log rule at the ends)."""
    finite = values[np.isfinite(values)]
    hi, lo = float(finite.max()), float(np.percentile(finite, 3))
    pad = 0.06 * max(hi - lo, 1e-9)
    return [lo - pad, hi + pad]


def binary_score_figure(analysis: Analysis, x: np.ndarray, responds: np.ndarray, held: np.ndarray) -> Figure:
    """S(p, f(p)) against p (``responds``), and the stop-gradient view S(p, f(p̂)) (``held``), sampled at ``x``."""
    first = analysis.scenario.outcomes[0]
    opt = analysis.optimum
    hover = f"predicted P({first}) = %{{x:.4f}}<br>S = %{{y:.4f}}<extra></extra>"
    traces = [dict(type="scatter", x=x, y=responds, mode="lines", name="S(p, f(p)): score when the world responds",
                   line=dict(color=CURVE, width=3), hovertemplate=hover),
              dict(type="scatter", x=x, y=held, mode="lines", name="S(p, f(p̂)): world held fixed (stop-gradient)",
                   line=dict(color=HELD, width=2, dash="dash"), hovertemplate=hover)]
    fps = analysis.fixed_points
    hover_points = [f"{style_of(fp).name}<br>P({first}) = {fp.p[0]:.4g}" for fp in fps]
    traces += fixed_point_traces(fps, [fp.p[0] for fp in fps], list(analysis.scores), hover_points)
    traces.append(marker(STYLE["optimum"], [opt.p[0]], [opt.score], [f"p̂ = {opt.p[0]:.4f}<br>S = {opt.score:.4f}"]))
    return figure(traces, "The predictor's expected score", f"predicted P({first})", "expected score",
                  yaxis=dict(range=visible_range(np.concatenate([responds, held, analysis.scores]))))


def cobweb_figure(analysis: Analysis, curve: BinaryCurve, path: tuple[np.ndarray, np.ndarray]) -> Figure:
    """Repeated prediction p ← f(p) drawn as a cobweb ``path`` (:func:`core.curves.cobweb`) on the map f."""
    first = analysis.scenario.outcomes[0]
    path_x, path_y = path
    steps = len(path_x) // 2  # the start, then 2 points per round
    traces = [_diagonal(),
              dict(type="scatter", x=curve.x, y=curve.f, mode="lines", name="f(p)", line=dict(color=CURVE, width=2),
                   opacity=0.6, hoverinfo="skip"),
              dict(type="scatter", x=path_x, y=path_y, mode="lines+markers",
                   name=f"repeated prediction from {path_x[0]:.3g}", line=dict(color=HELD, width=2),
                   marker=dict(size=5, color=HELD), hovertemplate="p = %{x:.4f}<br>f(p) = %{y:.4f}<extra></extra>"),
              *_fixed_points_on_diagonal(analysis)]
    return figure(traces, f"Cobweb: {steps} rounds of p ← f(p)", f"P({first}) this round", f"P({first}) next round",
                  **UNIT_AXES)
