"""The three-outcome page's figure: the triangle with the field f(p) − p over the expected score.

It draws a :class:`core.curves.TriangleGrid`, the field of :func:`core.curves.arrow_field` and the points of an
:class:`~core.analysis.Analysis`, placed in the plane by :func:`core.curves.to_plane`.
"""

from __future__ import annotations

import numpy as np

from core import TRIANGLE_HEIGHT as H, Analysis, ArrowField, to_plane, TriangleGrid
from figures.style import NEUTRAL, OPTIMUM, STYLE, Figure, Trace, figure, fixed_point_traces, honest_traces, marker

#: Each arrow of the field spans at most this fraction of a grid cell.
ARROW_SPAN = 0.85
#: An arrow head's length and width, in grid cells (about 7 px at the page's size, for k = 14).
HEAD_LENGTH, HEAD_WIDTH = 0.22, 0.2
FIELD_NAME = "f(p) − p (where repeated prediction goes)"


def triangle_figure(analysis: Analysis, grid: TriangleGrid, field: ArrowField) -> Figure:
    """Heat map of S(p, f(p)) on ``grid``, arrows of the ``field`` f(p) − p, and the marked points."""
    names = analysis.scenario.outcomes
    # Single precision is plenty for colour and hover, and halves what each change sends to the browser.
    custom = np.concatenate([grid.p, grid.f], axis=-1).astype(np.float32)
    hover = ("p = (" + ", ".join(f"%{{customdata[{i}]:.3f}}" for i in range(3)) + ")<br>"
             "f(p) = (" + ", ".join(f"%{{customdata[{i}]:.3f}}" for i in range(3, 6)) + ")<br>"
             "S(p, f(p)) = %{z:.4f}<extra></extra>")
    finite = grid.score[np.isfinite(grid.score)]
    traces = [dict(type="heatmap", x=grid.x, y=grid.y, z=grid.score.astype(np.float32), customdata=custom,
                   hovertemplate=hover, colorscale="Viridis", zmin=float(np.percentile(finite, 3)),
                   zmax=float(finite.max()), colorbar=dict(title=dict(text="S(p, f(p))"), len=0.8),
                   name="expected score"),
              dict(type="scatter", x=[0, 1, 0.5, 0], y=[0, 0, H, 0], mode="lines", showlegend=False,
                   hoverinfo="skip", line=dict(color=NEUTRAL, width=1.5)),
              *_field_traces(field)]
    fps = analysis.fixed_points
    fx, fy = to_plane(np.array([fp.p for fp in fps]))
    hover_points = [_point_hover(names, fp.p, analysis.scores[i]) for i, fp in enumerate(fps)]
    traces += fixed_point_traces(fps, list(fx), list(fy), hover_points)
    traces += honest_traces(analysis, list(fx), list(fy))
    opt = analysis.optimum
    ox, oy = to_plane(opt.p)
    fx2, fy2 = to_plane(opt.f)
    traces.append(dict(type="scatter", x=[ox, fx2], y=[oy, fy2], mode="lines", name="p̂ → f(p̂)",
                       line=dict(color=OPTIMUM, dash="dot", width=2), hoverinfo="skip"))
    traces.append(marker(STYLE["optimum"], [ox], [oy], [_point_hover(names, opt.p, opt.score)
                                                       + "<br>f(p̂) = " + _tuple(opt.f)]))
    corners = [dict(x=x, y=y, text=f"<b>{name}</b>", showarrow=False, yshift=-14 if y == 0 else 14, xanchor=anchor)
               for (x, y), name, anchor in zip([(0, 0), (1, 0), (0.5, H)], names, ["right", "left", "center"])]
    return figure(traces, "Three outcomes: the field f(p) − p over the expected score", "", "",
                  xaxis=dict(visible=False, range=[-0.08, 1.08]),
                  yaxis=dict(visible=False, range=[-0.08, H + 0.08], scaleanchor="x", scaleratio=1),
                  annotations=corners, height=620, plot_bgcolor="rgba(0,0,0,0)")


def _tuple(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in p) + ")"


def _point_hover(names: tuple[str, ...], p: np.ndarray, score: float) -> str:
    return "<br>".join(f"{n}: {v:.4f}" for n, v in zip(names, p)) + f"<br>score {score:.4f}"


def _field_traces(field: ArrowField) -> list[Trace]:
    """Arrows from each point towards its image, scaled so the longest spans most of a grid cell.

    Two traces of one legend group: the shafts, and the heads as filled triangles (NaN-separated polygons of
    ``fill="toself"``). One path each, rather than a marker per arrow, keeps the browser's redraw cheap.
    """
    x0, y0 = to_plane(field.points)
    x1, y1 = to_plane(field.images)
    dx, dy = x1 - x0, y1 - y0
    length = np.hypot(dx, dy)
    scale = ARROW_SPAN / field.k / max(float(length.max()), 1e-12)
    ex, ey = x0 + scale * dx, y0 + scale * dy
    gap = np.full_like(x0, np.nan)
    xs = np.column_stack([x0, ex, gap]).ravel()
    ys = np.column_stack([y0, ey, gap]).ravel()
    shafts = dict(type="scatter", x=xs, y=ys, mode="lines", name=FIELD_NAME, legendgroup=FIELD_NAME,
                  hoverinfo="skip", line=dict(color="rgba(255,255,255,0.85)", width=1.3))
    # Each head is centred on its arrow's end, pointing along it (u); arrows of length 0 get none.
    drawn = length > 1e-12
    ux, uy = dx[drawn] / length[drawn], dy[drawn] / length[drawn]
    cx, cy = ex[drawn], ey[drawn]
    size, half_width = HEAD_LENGTH / field.k, HEAD_WIDTH / field.k / 2
    tip = (cx + ux * size / 2, cy + uy * size / 2)
    back = (cx - ux * size / 2, cy - uy * size / 2)
    left = (back[0] - uy * half_width, back[1] + ux * half_width)
    right = (back[0] + uy * half_width, back[1] - ux * half_width)
    gap = np.full_like(cx, np.nan)
    heads = dict(type="scatter", x=np.column_stack([tip[0], left[0], right[0], tip[0], gap]).ravel(),
                 y=np.column_stack([tip[1], left[1], right[1], tip[1], gap]).ravel(),
                 mode="lines", fill="toself", fillcolor="rgba(255,255,255,0.95)", line=dict(width=0),
                 name=FIELD_NAME + " (heads)", legendgroup=FIELD_NAME, showlegend=False, hoverinfo="skip")
    return [shafts, heads]
