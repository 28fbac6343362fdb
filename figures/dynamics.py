"""Figures of the Dynamics page: paths against time, the step-size threshold, trajectories and basins on the
triangle. They only draw: every number comes from the core (via ui.compute)."""

from __future__ import annotations

import numpy as np

from core import TRIANGLE_HEIGHT, to_plane
from figures.style import CURVE, FIXED, HELD, NEUTRAL, OPTIMUM, UIREVISION, Figure, Trace, figure

#: One colour per method (paths) and per kind of end (basins); mid-tones that read on light and dark.
METHOD_COLOURS = ["#3b82f6", "#16a34a", "#dc2626", "#f59e0b", "#8b5cf6"]
END_COLOURS = ["#16a34a", "#3b82f6", "#f59e0b", "#8b5cf6", "#0ea5e9", "#84cc16", "#ec4899", "#14b8a6"]
SPECIAL = {"still moving": "#9ca3af", "the boundary (diverged)": "#6b7280", "another rest point": "#a16207"}


def paths_figure(paths: dict[str, tuple[np.ndarray, ...]], first: str, marks: dict[str, float]) -> Figure:
    """P(first) round by round for each method (mean, and a 10–90% band for the random ones); dotted lines at
    the fixed points and p̂ (``marks``: label → P(first))."""
    traces = []
    for (name, (mean, lo, hi)), colour in zip(paths.items(), METHOD_COLOURS):
        t = np.arange(len(mean))
        if np.any(hi > lo):
            traces.append(dict(type="scatter", x=np.concatenate([t, t[::-1]]), y=np.concatenate([hi, lo[::-1]]),
                               fill="toself", fillcolor=colour, opacity=0.18, line=dict(width=0),
                               name=f"{name}: 10–90% of runs", hoverinfo="skip", legendgroup=name))
        traces.append(dict(type="scatter", x=t, y=mean, mode="lines",
                           name=name + (" (mean)" if np.any(hi > lo) else ""),
                           line=dict(color=colour, width=2), legendgroup=name,
                           hovertemplate=f"{name}<br>round %{{x}}<br>P({first}) = %{{y:.4f}}<extra></extra>"))
    # A level across the whole plot (x in the axis' domain, y in data), labelled at its top left.
    levels = [dict(type="line", xref="x domain", x0=0, x1=1, yref="y", y0=y, y1=y,
                   line=dict(color=OPTIMUM if label == "p̂" else FIXED, dash="dot", width=1.2))
              for label, y in marks.items()]
    labels = [dict(text=label, showarrow=False, xref="x domain", x=0, xanchor="left", yref="y", y=y,
                   yanchor="bottom") for label, y in marks.items()]
    return figure(traces, "Each method's path from the start", "round", f"predicted P({first})",
                  yaxis=dict(range=[-0.02, 1.02]), shapes=levels, annotations=labels)


def threshold_figure(thresholds: dict[str, float], step_size: float, top: float) -> Figure:
    """The step-size axis (0 to ``top``, as the slider) with the local theory's largest convergent step η* of
    each point where some step converges, and the chosen η."""
    traces = [dict(type="scatter", x=[0, top], y=[0, 0], mode="lines", line=dict(color=NEUTRAL, width=2),
                   hoverinfo="skip", showlegend=False)]
    positive = {label: eta for label, eta in thresholds.items() if eta > 0}
    if positive:
        traces.append(dict(type="scatter", x=[min(eta, top) for eta in positive.values()], y=[0] * len(positive),
                           mode="markers", name="η*: steps below it converge (hover: where)",
                           hovertext=[f"{label}: η* = {eta:.4g}" for label, eta in positive.items()],
                           hoverinfo="text", marker=dict(symbol="line-ns-open", size=22, color=FIXED,
                                                         line=dict(width=3, color=FIXED))))
    traces.append(dict(type="scatter", x=[step_size], y=[0], mode="markers", name=f"your η = {step_size:g}",
                       marker=dict(symbol="triangle-up", size=14, color=HELD)))
    return {"data": traces,
            "layout": dict(height=110, margin=dict(l=20, r=20, t=5, b=5), showlegend=True,
                           legend=dict(orientation="h", y=-0.6), uirevision=UIREVISION,
                           yaxis=dict(visible=False, range=[-1, 1]), xaxis=dict(range=[0, top]))}


def _outline() -> Trace:
    return dict(type="scatter", x=[0, 1, 0.5, 0], y=[0, 0, TRIANGLE_HEIGHT, 0], mode="lines", showlegend=False,
                hoverinfo="skip", line=dict(color=NEUTRAL, width=1.5))


def _on_triangle(traces: list[Trace], names: tuple[str, ...], title: str, **extra) -> Figure:
    """``traces`` on the triangle with its corners named, axes hidden and one unit the same length both ways."""
    corners = [dict(x=x, y=y, text=f"<b>{name}</b>", showarrow=False, yshift=-14 if y == 0 else 14)
               for (x, y), name in zip([(0, 0), (1, 0), (0.5, TRIANGLE_HEIGHT)], names)]
    return figure(traces, title, "", "", xaxis=dict(visible=False, range=[-0.08, 1.08]),
                  yaxis=dict(visible=False, range=[-0.08, TRIANGLE_HEIGHT + 0.08], scaleanchor="x", scaleratio=1),
                  annotations=corners, height=560, plot_bgcolor="rgba(0,0,0,0)", **extra)


def _points(where: dict[str, np.ndarray], gl: bool = False) -> list[Trace]:
    """The attractors' markers (WebGL over a WebGL map, which would otherwise cover SVG markers)."""
    traces = []
    for label, p in where.items():
        x, y = to_plane(p)
        style = dict(symbol="x-thin-open", color=OPTIMUM) if label == "p̂" else dict(symbol="circle-open", color=FIXED)
        traces.append(dict(type="scattergl" if gl else "scatter", x=[x], y=[y], mode="markers+text", text=[label],
                           textposition="top center",
                           marker=dict(size=13, line=dict(width=2.5, color=style["color"]), **style),
                           name=label, showlegend=False))
    return traces


def trajectories_figure(paths: np.ndarray, names: tuple[str, ...], where: dict[str, np.ndarray]) -> Figure:
    """Paths ``(T + 1, k, 3)`` on the triangle, each from its start (a dot) to its end."""
    x, y = to_plane(paths)
    gap = np.full((1, x.shape[1]), np.nan)
    traces = [_outline(),
              dict(type="scatter", x=np.concatenate([x, gap]).T.ravel(), y=np.concatenate([y, gap]).T.ravel(),
                   mode="lines", line=dict(color=CURVE, width=1.3), name="paths", hoverinfo="skip"),
              dict(type="scatter", x=x[0], y=y[0], mode="markers", marker=dict(size=5, color=CURVE), name="starts",
                   hoverinfo="skip"),
              *_points(where)]
    return _on_triangle(traces, names, "Paths from a grid of starts")


def basins_figure(starts: np.ndarray, labels: np.ndarray, names: tuple[str, ...],
                  where: dict[str, np.ndarray]) -> Figure:
    """Each start of the map coloured by where its run ended (``labels``), with the attractors marked."""
    x, y = to_plane(starts)
    kinds, counts = np.unique(labels, return_counts=True)
    colours = iter(END_COLOURS)
    traces = [_outline()]
    for kind, count in sorted(zip(kinds, counts), key=lambda kc: -kc[1]):
        colour = SPECIAL.get(kind) or next(colours, NEUTRAL)
        mask = labels == kind
        traces.append(dict(type="scattergl", x=x[mask].astype(np.float32), y=y[mask].astype(np.float32),
                           mode="markers", marker=dict(symbol="square", size=3, color=colour),
                           name=f"{kind} ({100 * count / len(labels):.0f}%)", hoverinfo="name"))
    traces += _points(where, gl=True)
    return _on_triangle(traces, names, "Basins: each start coloured by where it ends",
                        legend=dict(itemsizing="constant"))
