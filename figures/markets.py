"""The Markets page's figures: the market's announcement on the explorer's picture (two outcomes: against the
diagonal; three: on the triangle), its distance to the fixed point against the number of predictors, and the
learning curves of predictors trained together. They only draw what :mod:`core.markets` computed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core import TRIANGLE_HEIGHT as H, BinaryCurve, FixedPoint, MarketAnalysis, to_plane
from figures.binary import UNIT_AXES
from figures.style import CURVE, NEUTRAL, OPTIMUM, STYLE, Figure, Trace, figure, fixed_point_traces, marker

BOUND = "#6b7280"


def _tuple(p: np.ndarray) -> str:
    return "(" + ", ".join(f"{v:.4f}" for v in p) + ")"


def market_map_figure(names: Sequence[str], market: MarketAnalysis, single: MarketAnalysis,
                      curve: BinaryCurve | None) -> Figure:
    """Two outcomes (with ``curve``): f against the diagonal; three: the triangle. Marked: the fixed points, one
    predictor's p̂ and every equilibrium's announcement A with f(A); a market maker's: the price each trader
    leaves, in turn (on the diagonal for two outcomes), the first trader's and the last one's with f."""
    fixed: list[FixedPoint] = market.fixed_points
    k = market.market.k
    chosen = market.equilibria
    alone = single.chosen
    maker = market.market.pool == "lmsr"
    who, first_one = (f"{k} traders: price", "first trader: price") if maker else (f"{k} predictors: A",
                                                                                  "one predictor: p̂")
    # A market maker's first trader is not the performative optimum: its legend entry says what it is.
    first_name = dict(name="the first trader's price", legendgroup="first trader") if maker else {}
    path = chosen[0].reports if maker and k > 1 else None
    unit = "traders" if maker else "predictors"
    if curve is not None:
        first = names[0]
        traces: list[Trace] = [
            dict(type="scatter", x=[0, 1], y=[0, 1], mode="lines", name="diagonal f(p) = p",
                 line=dict(color=NEUTRAL, dash="dash", width=1.5), hoverinfo="skip"),
            dict(type="scatter", x=curve.x, y=curve.f, mode="lines", name="f(p): what happens",
                 line=dict(color=CURVE, width=3),
                 hovertemplate=f"announced P({first}) = %{{x:.4f}}<br>resulting P({first}) = %{{y:.4f}}<extra></extra>")]
        px = [fp.p[0] for fp in fixed]
        traces += fixed_point_traces(fixed, px, px, [f"fixed point<br>P({first}) = {x:.4g}" for x in px])
        if path is not None:
            traces.append(dict(type="scatter", x=path[:, 0], y=path[:, 0], mode="lines+markers",
                               name="the price after each trader",
                               line=dict(color=STYLE["announcement"].color, width=1), marker=dict(size=5),
                               text=[f"trader {i + 1}" for i in range(k)],
                               hovertemplate="%{text}: price %{x:.4f}<extra></extra>"))
        if alone is not None and k > 1:
            a = alone.announcement
            traces.append(marker(STYLE["optimum"], [a[0]], [alone.f[0]], [f"{first_one} = {a[0]:.4f}"], **first_name))
        for e in chosen:
            a, fa = e.announcement[0], e.f[0]
            traces.append(dict(type="scatter", x=[a, a], y=[a, fa], mode="lines", showlegend=False,
                               line=dict(color=STYLE["announcement"].color, dash="dot", width=2), hoverinfo="skip"))
        if chosen:
            traces.append(marker(STYLE["announcement"], [e.announcement[0] for e in chosen], [e.f[0] for e in chosen],
                                 [f"{who} = {e.announcement[0]:.4f}<br>f = {e.f[0]:.4f}"
                                  for e in chosen]))
        return figure(traces, f"What the market's announcement makes happen ({k} {unit})",
                      f"announced P({first})", f"resulting P({first})", **UNIT_AXES)
    traces = [dict(type="scatter", x=[0, 1, 0.5, 0], y=[0, 0, H, 0], mode="lines", showlegend=False,
                   hoverinfo="skip", line=dict(color=NEUTRAL, width=1.5))]
    fx, fy = to_plane(np.array([fp.p for fp in fixed]).reshape(-1, 3))
    traces += fixed_point_traces(fixed, list(fx), list(fy), [f"fixed point {_tuple(fp.p)}" for fp in fixed])
    if path is not None:
        px, py = to_plane(path)
        traces.append(dict(type="scatter", x=px, y=py, mode="lines+markers", name="the price after each trader",
                           line=dict(color=STYLE["announcement"].color, width=1), marker=dict(size=5),
                           text=[f"trader {i + 1}: {_tuple(r)}" for i, r in enumerate(path)],
                           hovertemplate="%{text}<extra></extra>"))
    if alone is not None and k > 1:
        ox, oy = to_plane(alone.announcement)
        traces.append(marker(STYLE["optimum"], [ox], [oy], [f"{first_one} = {_tuple(alone.announcement)}"],
                             **first_name))
    for e in chosen:
        (ax, ay), (bx, by) = to_plane(e.announcement), to_plane(e.f)
        traces.append(dict(type="scatter", x=[ax, bx], y=[ay, by], mode="lines", showlegend=False,
                           line=dict(color=STYLE["announcement"].color, dash="dot", width=2), hoverinfo="skip"))
    if chosen:
        planes = [to_plane(e.announcement) for e in chosen]
        traces.append(marker(STYLE["announcement"], [x for x, _ in planes], [y for _, y in planes],
                             [f"{who} = {_tuple(e.announcement)}<br>f = {_tuple(e.f)}" for e in chosen]))
    corners = [dict(x=x, y=y, text=f"<b>{name}</b>", showarrow=False, yshift=-14 if y == 0 else 14, xanchor=anchor)
               for (x, y), name, anchor in zip([(0, 0), (1, 0), (0.5, H)], names, ["right", "left", "center"])]
    return figure(traces, f"The market's announcement on the triangle ({k} {unit}; "
                          "dotted: A → f(A))", "", "",
                  xaxis=dict(visible=False, range=[-0.08, 1.08]),
                  yaxis=dict(visible=False, range=[-0.08, H + 0.08], scaleanchor="x", scaleratio=1),
                  annotations=corners, height=560, plot_bgcolor="rgba(0,0,0,0)")


def distance_curve_figure(ks: Sequence[int], curve: Sequence[MarketAnalysis], k: int) -> Figure:
    """The best-paid equilibrium's distance to the fixed point for each number of predictors in ``ks`` (its
    market in ``curve``), the bound where it applies, and the chosen k marked."""
    ks = np.asarray(ks)
    d = np.array([np.nan if a.chosen is None else a.chosen.distance_to_fixed_point for a in curve])
    exact = np.array([a.chosen is not None and a.chosen.exact for a in curve])
    traces: list[Trace] = [dict(type="scatter", x=ks, y=d, mode="lines+markers", name="distance of A to the fixed point",
                                line=dict(color=STYLE["announcement"].color, width=2),
                                marker=dict(size=6, symbol=np.where(exact, "circle", "circle-open").tolist()),
                                hovertemplate="k = %{x}<br>distance = %{y:.4g}<extra></extra>")]
    bound = np.array([np.nan if a.distance_bound is None else a.distance_bound for a in curve])
    if np.isfinite(bound).any():
        traces.append(dict(type="scatter", x=ks, y=bound, mode="lines", name="bound L sup|g/g′| / (k (1 − L))",
                           line=dict(color=BOUND, dash="dash", width=1.5),
                           hovertemplate="k = %{x}<br>bound = %{y:.4g}<extra></extra>"))
    here = np.flatnonzero(ks == k)
    if len(here) and np.isfinite(d[here[0]]):
        traces.append(dict(type="scatter", x=[k], y=[d[here[0]]], mode="markers", name=f"this market (k = {k})",
                           marker=dict(color=OPTIMUM, size=12, symbol="circle-open", line=dict(width=2.5))))
    return figure(traces, "Distance to the nearest fixed point against the number of predictors",
                  "number of traders k, in turn" if curve and curve[0].market.pool == "lmsr" else
                  "number of equal predictors k", "distance")


def market_learning_figure(runs: dict[str, np.ndarray]) -> Figure:
    """Each method's distance of the announcement to the nearest fixed point, round by round."""
    colours = ["#2563eb", "#dc2626", "#16a34a", "#9333ea"]
    traces = [dict(type="scatter", x=np.arange(len(d)), y=d, mode="lines", name=label,
                   line=dict(color=colours[i % len(colours)], width=2),
                   hovertemplate=f"{label}<br>round %{{x}}<br>distance = %{{y:.4g}}<extra></extra>")
              for i, (label, d) in enumerate(runs.items())]
    return figure(traces, "Predictors learning together: distance of the announcement to the fixed point",
                  "round", "distance")
