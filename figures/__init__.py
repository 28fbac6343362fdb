"""Plotly figures of an analysis: the only module of the core that imports plotly.

One legend language across all figures (:data:`STYLE`): fixed points are green circles, filled
when attracting and hollow when repelling (diamonds for saddles, stars for mixed fixed points);
the performative optimum p̂ is a red cross; the honest optima are rings (gold: best score, purple:
best for the human). Colours are mid-tone so that they read on light and dark backgrounds, and
every figure sets ``uirevision`` so that a zoom survives reruns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from core.analysis import Analysis
from core.learning.repeated import repeated_prediction
from core.solve.fixed_points import FixedPoint
from core.model.simplex import binary, simplex_grid


@dataclass(frozen=True)
class MarkerStyle:
    name: str
    symbol: str
    color: str
    size: int = 13


FIXED = "#16a34a"
OPTIMUM = "#dc2626"
CURVE = "#3b82f6"
HELD = "#f59e0b"
NEUTRAL = "#9ca3af"

STYLE = {
    "attracting": MarkerStyle("fixed point, attracting", "circle", FIXED),
    "repelling": MarkerStyle("fixed point, repelling", "circle-open", FIXED),
    "saddle": MarkerStyle("fixed point, saddle", "diamond-open", FIXED),
    "neutral": MarkerStyle("fixed point, neutral", "circle-dot", FIXED),
    "mixed": MarkerStyle("mixed fixed point (human randomises)", "star-open", FIXED, 16),
    "optimum": MarkerStyle("performative optimum p̂", "x-thin-open", OPTIMUM, 16),
    "by_score": MarkerStyle("honest optimum: best score", "circle-open", "#d97706", 26),
    "for_human": MarkerStyle("honest optimum: best for the human", "square-open", "#8b5cf6", 30),
}
UIREVISION = "keep"


def style_of(fp: FixedPoint) -> MarkerStyle:
    return STYLE["mixed"] if fp.kind == "mixed" else STYLE[fp.stability]


def _marker(style: MarkerStyle, x, y, hover: list[str] | None = None, **kw) -> go.Scatter:
    return go.Scatter(
        x=list(x), y=list(y), mode="markers", name=style.name, legendgroup=style.name,
        marker=dict(symbol=style.symbol, color=style.color, size=style.size, line=dict(width=2.5, color=style.color)),
        hovertext=hover, hoverinfo="text" if hover else None, **kw,
    )


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=dict(text=title, x=0.0, xanchor="left"),
        xaxis_title=x_title, yaxis_title=y_title, uirevision=UIREVISION,
        # The legend sits at the figure's bottom edge (container coordinates), not at a fraction of the plot's
        # height below it: on a narrow screen it wraps into several rows and would climb onto the axis title.
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0.0, x=0.0),
        margin=dict(l=10, r=10, t=50, b=10), height=470,
    )
    return fig


def _fixed_point_traces(points: list[FixedPoint], xs, ys, hover_name: str) -> list[go.Scatter]:
    """One trace per marker style present, so the legend lists only what is drawn."""
    traces = []
    for key in ("attracting", "repelling", "saddle", "neutral", "mixed"):
        idx = [i for i, fp in enumerate(points) if style_of(fp) is STYLE[key]]
        if idx:
            hover = [f"{STYLE[key].name}<br>{hover_name} = {xs[i]:.4g}" for i in idx]
            traces.append(_marker(STYLE[key], [xs[i] for i in idx], [ys[i] for i in idx], hover))
    return traces


def _honest_traces(analysis: Analysis, xs, ys) -> list[go.Scatter]:
    traces = []
    for key, index in (("by_score", analysis.best_by_score), ("for_human", analysis.best_for_human)):
        if index is not None and len(analysis.fixed_points) > 1:
            traces.append(_marker(STYLE[key], [xs[index]], [ys[index]], [STYLE[key].name]))
    return traces


# --- two outcomes ---------------------------------------------------------------------------------


def _binary_curve(analysis: Analysis, points: int = 801) -> tuple[np.ndarray, np.ndarray]:
    """x and f(x) on a grid with the world's breakpoints; NaN gaps where f jumps."""
    world = analysis.scenario.world
    eps = 1e-9
    kinks = np.array(world.breakpoints())
    xs = np.union1d(np.linspace(0.0, 1.0, points), np.concatenate([kinks - eps, kinks + eps]))
    xs = xs[(xs >= 0) & (xs <= 1)]
    fx = world(binary(xs))[:, 0]
    if world.is_step:
        jumps = np.flatnonzero(np.abs(np.diff(fx)) > 1e-6)
        xs = np.insert(xs, jumps + 1, np.nan)
        fx = np.insert(fx, jumps + 1, np.nan)
    return xs, fx


def binary_map_figure(analysis: Analysis) -> go.Figure:
    """f(p) against the diagonal, with fixed points, p̂ and f(p̂), and the honest optima."""
    first = analysis.scenario.outcomes[0]
    xs, fx = _binary_curve(analysis)
    opt = analysis.optimum
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="diagonal f(p) = p",
                             line=dict(color=NEUTRAL, dash="dash", width=1.5), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=xs, y=fx, mode="lines", name="f(p): what happens", line=dict(color=CURVE, width=3),
                             hovertemplate=f"predicted P({first}) = %{{x:.4f}}<br>"
                                           f"resulting P({first}) = %{{y:.4f}}<extra></extra>"))
    if analysis.scenario.world.is_step:
        for x in analysis.scenario.world.breakpoints():
            lo, hi = analysis.scenario.world(binary(np.array([x - 1e-9, x + 1e-9])))[:, 0]
            fig.add_trace(go.Scatter(x=[x, x], y=[lo, hi], mode="lines", showlegend=False, hoverinfo="skip",
                                     line=dict(color=CURVE, width=1.5, dash="dot")))
    fps = analysis.fixed_points
    px = [fp.p[0] for fp in fps]
    for trace in _fixed_point_traces(fps, px, px, f"P({first})"):
        fig.add_trace(trace)
    for trace in _honest_traces(analysis, px, px):
        fig.add_trace(trace)
    fig.add_trace(go.Scatter(x=[opt.p[0], opt.p[0]], y=[opt.p[0], opt.f[0]], mode="lines",
                             name="inaccuracy |p̂ − f(p̂)|", line=dict(color=OPTIMUM, dash="dot", width=2),
                             hoverinfo="skip"))
    fig.add_trace(_marker(STYLE["optimum"], [opt.p[0]], [opt.f[0]],
                          [f"p̂ = {opt.p[0]:.4f}<br>f(p̂) = {opt.f[0]:.4f}"]))
    _layout(fig, "What the prediction makes happen", f"predicted P({first})", f"resulting P({first})")
    fig.update_xaxes(range=[-0.02, 1.02])
    fig.update_yaxes(range=[-0.02, 1.02])
    return fig


def _visible_range(values: np.ndarray) -> list[float]:
    """A y-range that shows the interesting part when a score dives to −∞ (log rule at the ends)."""
    finite = values[np.isfinite(values)]
    hi, lo = float(finite.max()), float(np.percentile(finite, 3))
    pad = 0.06 * max(hi - lo, 1e-9)
    return [lo - pad, hi + pad]


def binary_score_figure(analysis: Analysis) -> go.Figure:
    """S(p, f(p)) against p, and the stop-gradient view S(p, f(p̂)) with the world held fixed."""
    world, rule = analysis.scenario.world, analysis.scenario.rule
    first = analysis.scenario.outcomes[0]
    xs, _ = _binary_curve(analysis)
    opt = analysis.optimum
    with np.errstate(all="ignore"):
        grid = binary(np.nan_to_num(xs, nan=0.5))
        total = np.where(np.isnan(xs), np.nan, rule.expected(grid, world(grid)))
        held = np.where(np.isnan(xs), np.nan, rule.expected(grid, opt.f))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=xs, y=total, mode="lines", name="S(p, f(p)): score when the world responds",
                             line=dict(color=CURVE, width=3),
                             hovertemplate=f"predicted P({first}) = %{{x:.4f}}<br>S = %{{y:.4f}}<extra></extra>"))
    fig.add_trace(go.Scatter(x=xs, y=held, mode="lines", name="S(p, f(p̂)): world held fixed (stop-gradient)",
                             line=dict(color=HELD, width=2, dash="dash"),
                             hovertemplate=f"predicted P({first}) = %{{x:.4f}}<br>S = %{{y:.4f}}<extra></extra>"))
    fps = analysis.fixed_points
    for trace in _fixed_point_traces(fps, [fp.p[0] for fp in fps], list(analysis.scores), f"P({first})"):
        fig.add_trace(trace)
    fig.add_trace(_marker(STYLE["optimum"], [opt.p[0]], [opt.score], [f"p̂ = {opt.p[0]:.4f}<br>S = {opt.score:.4f}"]))
    _layout(fig, "The predictor's expected score", f"predicted P({first})", "expected score")
    fig.update_yaxes(range=_visible_range(np.concatenate([total, held, analysis.scores])))
    return fig


def cobweb_figure(analysis: Analysis, start: float, steps: int) -> go.Figure:
    """Repeated prediction p ← f(p) from ``start`` drawn as a cobweb on the map f."""
    first = analysis.scenario.outcomes[0]
    orbit = repeated_prediction(analysis.scenario.world, binary(start), steps)[:, 0]
    path_x = np.repeat(orbit, 2)[:-1]
    path_y = np.concatenate([[orbit[0]], np.repeat(orbit[1:], 2)])
    xs, fx = _binary_curve(analysis, points=401)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[0, 1], y=[0, 1], mode="lines", name="diagonal f(p) = p",
                             line=dict(color=NEUTRAL, dash="dash", width=1.5), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=xs, y=fx, mode="lines", name="f(p)", line=dict(color=CURVE, width=2),
                             opacity=0.6, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=path_x, y=path_y, mode="lines+markers", name=f"repeated prediction from {start:.3g}",
                             line=dict(color=HELD, width=2), marker=dict(size=5, color=HELD),
                             hovertemplate="p = %{x:.4f}<br>f(p) = %{y:.4f}<extra></extra>"))
    fps = analysis.fixed_points
    px = [fp.p[0] for fp in fps]
    for trace in _fixed_point_traces(fps, px, px, f"P({first})"):
        fig.add_trace(trace)
    _layout(fig, f"Cobweb: {steps} rounds of p ← f(p)", f"P({first}) this round", f"P({first}) next round")
    fig.update_xaxes(range=[-0.02, 1.02])
    fig.update_yaxes(range=[-0.02, 1.02])
    return fig


# --- three outcomes -------------------------------------------------------------------------------

_H = np.sqrt(3.0) / 2.0


def to_plane(p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric (..., 3) to the plane: first outcome bottom left, second bottom right, third on top."""
    p = np.asarray(p, dtype=float)
    return p[..., 1] + 0.5 * p[..., 2], _H * p[..., 2]


def from_plane(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The inverse of :func:`to_plane` (points outside the triangle get negative coordinates)."""
    p3 = y / _H
    p2 = x - 0.5 * p3
    return np.stack([1.0 - p2 - p3, p2, p3], axis=-1)


def triangle_figure(analysis: Analysis, resolution: int = 100, arrows: int = 14) -> go.Figure:
    """The simplex of three outcomes: heat map of S(p, f(p)), the field f(p) − p, and the marked points."""
    world, rule = analysis.scenario.world, analysis.scenario.rule
    names = analysis.scenario.outcomes
    xs = np.linspace(0.0, 1.0, resolution + 1)
    ys = np.linspace(0.0, _H, int(resolution * _H) + 1)
    gx, gy = np.meshgrid(xs, ys)
    p = from_plane(gx, gy)
    inside = np.all(p >= -1e-12, axis=-1)
    p = np.clip(p, 0.0, 1.0)
    p /= p.sum(axis=-1, keepdims=True)
    q = world(p)
    with np.errstate(all="ignore"):
        score = np.where(inside, rule.expected(p, q), np.nan)
    score = np.where(np.isfinite(score), score, np.nan)
    # Single precision is plenty for colour and hover, and halves what each change sends to the browser.
    custom = np.concatenate([p, q], axis=-1).astype(np.float32)
    hover = ("p = (" + ", ".join(f"%{{customdata[{i}]:.3f}}" for i in range(3)) + ")<br>"
             "f(p) = (" + ", ".join(f"%{{customdata[{i}]:.3f}}" for i in range(3, 6)) + ")<br>"
             "S(p, f(p)) = %{z:.4f}<extra></extra>")
    fig = go.Figure()
    finite = score[np.isfinite(score)]
    fig.add_trace(go.Heatmap(x=xs, y=ys, z=score.astype(np.float32), customdata=custom, hovertemplate=hover, colorscale="Viridis",
                             zmin=float(np.percentile(finite, 3)), zmax=float(finite.max()),
                             colorbar=dict(title="S(p, f(p))", len=0.8), name="expected score"))
    fig.add_trace(go.Scatter(x=[0, 1, 0.5, 0], y=[0, 0, _H, 0], mode="lines", showlegend=False, hoverinfo="skip",
                             line=dict(color=NEUTRAL, width=1.5)))
    fig.add_trace(_field_trace(world, arrows))
    fps = analysis.fixed_points
    fx, fy = to_plane(np.array([fp.p for fp in fps]))
    for trace in _fixed_point_traces(fps, list(fx), list(fy), "x"):
        trace.hovertext = [_point_hover(names, fp.p, analysis.scores[i]) for i, fp in enumerate(fps)
                           if style_of(fp).name == trace.name]
        fig.add_trace(trace)
    for trace in _honest_traces(analysis, list(fx), list(fy)):
        fig.add_trace(trace)
    opt = analysis.optimum
    ox, oy = to_plane(opt.p)
    fx2, fy2 = to_plane(opt.f)
    fig.add_trace(go.Scatter(x=[ox, fx2], y=[oy, fy2], mode="lines", name="p̂ → f(p̂)",
                             line=dict(color=OPTIMUM, dash="dot", width=2), hoverinfo="skip"))
    fig.add_trace(_marker(STYLE["optimum"], [ox], [oy], [_point_hover(names, opt.p, opt.score)
                                                        + "<br>f(p̂) = " + _tuple(opt.f)]))
    for (x, y), name, anchor in zip([(0, 0), (1, 0), (0.5, _H)], names, ["top right", "top left", "bottom center"]):
        fig.add_annotation(x=x, y=y, text=f"<b>{name}</b>", showarrow=False, yshift=-14 if y == 0 else 14,
                           xanchor={"top right": "right", "top left": "left"}.get(anchor, "center"))
    _layout(fig, "Three outcomes: the field f(p) − p over the expected score", "", "")
    fig.update_xaxes(visible=False, range=[-0.08, 1.08])
    fig.update_yaxes(visible=False, range=[-0.08, _H + 0.08], scaleanchor="x", scaleratio=1)
    fig.update_layout(height=620, plot_bgcolor="rgba(0,0,0,0)")
    return fig


def _tuple(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.3f}" for v in p) + ")"


def _point_hover(names: tuple[str, ...], p: np.ndarray, score: float) -> str:
    return "<br>".join(f"{n}: {v:.4f}" for n, v in zip(names, p)) + f"<br>score {score:.4f}"


def _field_trace(world, k: int) -> go.Scatter:
    """Arrows from p towards f(p) on a grid, scaled so the longest spans most of a grid cell."""
    grid = simplex_grid(3, k)
    grid = grid[np.all(grid > 0, axis=1)] if k > 3 else grid
    x0, y0 = to_plane(grid)
    x1, y1 = to_plane(world(grid))
    dx, dy = x1 - x0, y1 - y0
    length = np.hypot(dx, dy)
    scale = 0.85 / k / max(float(length.max()), 1e-12)
    ex, ey = x0 + scale * dx, y0 + scale * dy
    xs = np.column_stack([x0, ex, np.full_like(x0, np.nan)]).ravel()
    ys = np.column_stack([y0, ey, np.full_like(y0, np.nan)]).ravel()
    # A head at the end of each arrow; plotly's marker angle turns clockwise from "up".
    angles = np.degrees(np.arctan2(dx, dy))
    sizes = np.column_stack([np.zeros_like(x0), np.where(length > 1e-12, 7.0, 0.0), np.zeros_like(x0)]).ravel()
    return go.Scatter(x=xs, y=ys, mode="lines+markers", name="f(p) − p (where repeated prediction goes)",
                      line=dict(color="rgba(255,255,255,0.85)", width=1.3), hoverinfo="skip",
                      marker=dict(symbol="triangle-up", size=sizes, color="rgba(255,255,255,0.95)",
                                  angle=np.column_stack([angles, angles, angles]).ravel()))


# --- scoring rules side by side -------------------------------------------------------------------


def rules_bar_figure(names: list[str], inaccuracy: list[float], bound: list[float | None]) -> go.Figure:
    """Inaccuracy of p̂ under each rule beside the theorem's bound where one applies."""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=names, y=inaccuracy, name="inaccuracy of p̂", marker_color=OPTIMUM))
    fig.add_trace(go.Bar(x=names, y=[np.nan if b is None else b for b in bound], name="theorem's bound",
                         marker_color=NEUTRAL))
    _layout(fig, "How far each rule's optimum is from honest", "", "distance")
    fig.update_layout(barmode="group")
    return fig


def entropy_figure(curves: dict[str, tuple[np.ndarray, np.ndarray]], first: str) -> go.Figure:
    """The convex functions G of several rules on two outcomes, each rescaled to [0, 1]."""
    fig = go.Figure()
    for name, (xs, g) in curves.items():
        finite = np.where(np.isfinite(g), g, np.nan)
        lo, hi = np.nanmin(finite), np.nanmax(finite)
        fig.add_trace(go.Scatter(x=xs, y=(finite - lo) / max(hi - lo, 1e-12), mode="lines", name=name))
    _layout(fig, "G(p) = S(p, p), rescaled to [0, 1]", f"P({first})", "G (rescaled)")
    return fig


# --- decisions ------------------------------------------------------------------------------------

MECHANISM_COLOURS = {"truth": NEUTRAL, "honest": FIXED, "single predictor": OPTIMUM, "zero-sum pair": CURVE}


def reports_figure(actions: tuple[str, ...], first: str, truth, outcomes: list) -> go.Figure:
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
    _layout(fig, f"Reported P({first}) per action (faded: not taken)", "", f"P({first})")
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1])
    return fig


def learning_figure(curves: dict[str, dict[str, "np.ndarray"]], actions: tuple[str, ...], metric: str,
                    title: str, y_title: str) -> go.Figure:
    """Learning curves: ``curves[variant][metric]`` is (steps,) or (steps, m) (one line per action)."""
    fig = go.Figure()
    palette = ["#dc2626", "#2563eb", "#16a34a", "#d97706", "#7c3aed", "#0891b2"]
    dashes = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]
    for i, (variant, data) in enumerate(curves.items()):
        y = np.asarray(data[metric])
        columns = [y] if y.ndim == 1 else [y[:, a] for a in range(y.shape[1])]
        for a, col in enumerate(columns):
            label = variant if y.ndim == 1 else f"{variant}: {actions[a]}"
            fig.add_trace(go.Scatter(y=col, mode="lines", name=label, legendgroup=variant,
                                     line=dict(color=palette[i % len(palette)], dash=dashes[a % len(dashes)])))
    _layout(fig, title, "training step", y_title)
    fig.update_layout(legend=dict(orientation="v", y=1.0, x=1.02, yanchor="top", font=dict(size=11)), height=420)
    return fig
