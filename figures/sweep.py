"""Figures of the Sweep page: the bifurcation diagram and the two-parameter map.

Branches of fixed points are drawn in the fixed points' green, solid where attracting, dashed where
repelling, dotted where a saddle; bifurcations are marked (folds: crosses, stability changes: open
circles). Per-value curves (p̂, f(p̂), the fixed points of a step world) are broken where they jump
between two samples, never joined by a sloping line.
"""

from __future__ import annotations

import numpy as np
from figures.style import CURVE, FIXED, OPTIMUM, STYLE, UIREVISION, Figure
from core import QUANTITIES, coordinate, Diagram, Map

DASH = {"attracting": "solid", "repelling": "dash", "saddle": "dot", "neutral": "dashdot"}
#: A change between two samples larger than this, and JUMP_RATIO times the curve's median change, is a jump.
JUMP, JUMP_RATIO = 0.02, 5.0


def _broken(x: np.ndarray, y: np.ndarray) -> tuple[list, list]:
    """x and y with a gap (None) wherever y jumps between two samples."""
    dy = np.abs(np.diff(y))
    jumps = (dy > JUMP) & (dy > JUMP_RATIO * np.median(dy)) if len(dy) else dy > 0
    xs, ys = [], []
    for k in range(len(x)):
        xs.append(float(x[k]))
        ys.append(float(y[k]))
        if k < len(jumps) and jumps[k]:
            xs.append(None)
            ys.append(None)
    return xs, ys


def diagram_figure(diagram: Diagram, what: int | np.ndarray, y_title: str) -> Figure:
    """Fixed points, p̂, f(p̂), the honest optima and the bifurcations against the swept field."""
    traces = []
    shown = set()
    for branch in diagram.branches:
        y = coordinate(branch.points, what)
        start = 0
        for k in range(1, len(y) + 1):
            if k == len(y) or branch.stability[k] != branch.stability[start]:
                kind = branch.stability[start]
                end = min(k + 1, len(y))  # share the boundary point so that the pieces join
                traces.append(dict(
                    type="scatter", x=branch.values[start:end], y=y[start:end], mode="lines",
                    name=f"fixed points, {kind}", legendgroup=kind, showlegend=kind not in shown,
                    line=dict(color=FIXED, width=2.5, dash=DASH[kind]), hoverinfo="skip"))
                shown.add(kind)
                start = k
    if not diagram.branches:  # a step world: the fixed points at each value, as they are
        for kind in ("attracting", "repelling", "saddle", "neutral", "mixed"):
            pts = [(v, fp) for v, fps in zip(diagram.values, diagram.fixed_points) for fp in fps
                   if (fp.kind == "mixed" and kind == "mixed") or (fp.kind != "mixed" and fp.stability == kind)]
            if pts:
                style = STYLE[kind]
                traces.append(dict(
                    type="scatter", x=[v for v, _ in pts], y=[float(coordinate(fp.p, what)) for _, fp in pts],
                    mode="markers", name=style.name, marker=dict(symbol=style.symbol, color=FIXED, size=6)))
    for name, points, color, dash in (("optimum p̂", diagram.optimum, OPTIMUM, "solid"),
                                      ("f(p̂)", diagram.optimum_f, CURVE, "dot")):
        xs, ys = _broken(diagram.values, coordinate(points, what))
        traces.append(dict(type="scatter", x=xs, y=ys, mode="lines", name=name,
                           line=dict(color=color, width=2, dash=dash),
                           hovertemplate=f"{name}: %{{y:.4g}}<extra></extra>"))
    for key, index in (("by_score", diagram.best_by_score), ("for_human", diagram.best_for_human)):
        if index is None:
            continue
        pts = [(v, fps[i].p) for v, fps, i in zip(diagram.values, diagram.fixed_points, index) if i >= 0]
        style = STYLE[key]
        traces.append(dict(type="scatter", x=[v for v, _ in pts], y=[float(coordinate(p, what)) for _, p in pts],
                           mode="markers", name=style.name, visible="legendonly",
                           marker=dict(symbol=style.symbol, color=style.color, size=8)))
    for kind, symbol in (("fold", "x"), ("stability", "circle-open")):
        events = [e for e in diagram.bifurcations if e.kind == kind]
        if events:
            traces.append(dict(
                type="scatter", x=[e.value for e in events], y=[float(coordinate(e.p, what)) for e in events],
                mode="markers",
                name="fold (a pair is born)" if kind == "fold" else "stability change",
                marker=dict(symbol=symbol, size=12, color="#111827", line=dict(width=2)),
                hovertext=[f"{kind} at {diagram.field.name} = {e.value:.7g}: {' / '.join(e.stabilities)}"
                           for e in events], hoverinfo="text"))
    return {"data": traces,
            "layout": dict(xaxis=dict(title=dict(text=diagram.field.name)), yaxis=dict(title=dict(text=y_title)),
                           uirevision=UIREVISION, height=520, margin=dict(l=10, r=10, t=30, b=10),
                           hovermode="closest",
                           legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0, x=0.0))}


def map_figure(result: Map) -> Figure:
    """The heat map; every cell also carries an invisible marker, so that hovering shows its values and a
    click selects it."""
    label = QUANTITIES[result.quantity]
    gx, gy = np.meshgrid(result.xs, result.ys)
    z = result.values.ravel()
    heat = dict(type="heatmap", x=result.xs, y=result.ys, z=result.values, colorscale="Viridis",
                colorbar=dict(title=dict(text=label)), hoverinfo="skip")
    cells = dict(
        type="scatter", x=gx.ravel(), y=gy.ravel(), mode="markers", showlegend=False,
        marker=dict(size=max(4, 480 // max(len(result.xs), len(result.ys))), color="rgba(0,0,0,0)"),
        customdata=np.where(np.isnan(z), None, z),
        hovertemplate=(f"{result.field_x.name} = %{{x:.4g}}<br>{result.field_y.name} = %{{y:.4g}}<br>"
                       f"{label} = %{{customdata:.4g}}<extra>click to open</extra>"))
    return {"data": [heat, cells],
            "layout": dict(xaxis=dict(title=dict(text=result.field_x.name)),
                           yaxis=dict(title=dict(text=result.field_y.name)), uirevision=UIREVISION, height=560,
                           margin=dict(l=10, r=10, t=30, b=10), clickmode="event+select", dragmode=False)}
