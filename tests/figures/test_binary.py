"""The two-outcome figures (figures/binary.py) draw the core's curves and the analysis' points, and nothing else."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.curves import binary_curve, binary_scores, cobweb
from core.model.presets import get_preset
from figures import STYLE
from figures.binary import binary_map_figure, binary_score_figure, cobweb_figure
from figures.style import style_of
from tests.figures.helpers import FIXED_POINT_NAMES, checked, legend, points, sorted_points, traces

PRESETS = ["notebook-quadratic", "bank-run", "self-defeating", "decision-example", "notebook-log"]


def view(preset: str):
    result = analyze(get_preset(preset).scenario)
    world = result.scenario.world
    curve = binary_curve(world)
    return result, curve


def styles_drawn(result) -> list[str]:
    return [STYLE[k].name for k in ("attracting", "repelling", "saddle", "neutral", "mixed")
            if any(style_of(fp) is STYLE[k] for fp in result.fixed_points)]


def honest_drawn(result) -> list[str]:
    if len(result.fixed_points) < 2:
        return []
    return [STYLE[k].name for k, i in (("by_score", result.best_by_score), ("for_human", result.best_for_human))
            if i is not None]


@pytest.mark.parametrize("preset", PRESETS)
def test_map_marks_the_fixed_points_and_the_optimum(preset: str) -> None:
    result, curve = view(preset)
    fig = checked(binary_map_figure(result, curve))
    xs = np.array([fp.p[0] for fp in result.fixed_points])
    np.testing.assert_allclose(points(fig, *FIXED_POINT_NAMES), sorted_points(np.column_stack([xs, xs])))
    opt = result.optimum
    np.testing.assert_allclose(points(fig, STYLE["optimum"].name), [[opt.p[0], opt.f[0]]])
    (gap,) = traces(fig, "inaccuracy |p̂ − f(p̂)|")
    np.testing.assert_allclose([gap.x, gap.y], [[opt.p[0]] * 2, [opt.p[0], opt.f[0]]])
    (line,) = traces(fig, "f(p): what happens")
    np.testing.assert_array_equal(line.x, curve.x)
    np.testing.assert_array_equal(line.y, curve.f)
    for key, index in (("by_score", result.best_by_score), ("for_human", result.best_for_human)):
        if STYLE[key].name in honest_drawn(result):
            np.testing.assert_allclose(points(fig, STYLE[key].name), [[xs[index], xs[index]]])
    assert legend(fig) == ["diagonal f(p) = p", "f(p): what happens", *styles_drawn(result), *honest_drawn(result),
                           "inaccuracy |p̂ − f(p̂)|", STYLE["optimum"].name]


def test_map_draws_the_jumps_of_a_step_world() -> None:
    result, curve = view("self-defeating")
    fig = checked(binary_map_figure(result, curve))
    unnamed = [t for t in fig.data if t.showlegend is False]
    assert [(list(t.x), list(t.y)) for t in unnamed] == [([0.5, 0.5], [0.9, 0.1])]  # drive (0.9) | train (0.1)
    assert not [t for t in checked(binary_map_figure(*view("notebook-quadratic"))).data if t.showlegend is False]


@pytest.mark.parametrize("preset", PRESETS)
def test_score_figure_draws_the_scores_and_the_points(preset: str) -> None:
    result, curve = view(preset)
    scenario = result.scenario
    responds, held = binary_scores(scenario.rule, scenario.world, curve.x, result.optimum.f)
    fig = checked(binary_score_figure(result, curve.x, responds, held))
    (drawn_responds,) = traces(fig, "S(p, f(p)): score when the world responds")
    (drawn_held,) = traces(fig, "S(p, f(p̂)): world held fixed (stop-gradient)")
    np.testing.assert_array_equal(drawn_responds.y, responds)
    np.testing.assert_array_equal(drawn_held.y, held)
    xs = [fp.p[0] for fp in result.fixed_points]
    np.testing.assert_allclose(points(fig, *FIXED_POINT_NAMES), sorted_points(np.column_stack([xs, result.scores])))
    np.testing.assert_allclose(points(fig, STYLE["optimum"].name), [[result.optimum.p[0], result.optimum.score]])
    # The y-range shows the top of every curve and point (the log rule's −∞ ends are cut off).
    lo, hi = fig.layout.yaxis.range
    top = np.nanmax(np.concatenate([responds, held, result.scores]))
    assert lo < result.optimum.score <= top < hi
    assert legend(fig) == [drawn_responds.name, drawn_held.name, *styles_drawn(result), STYLE["optimum"].name]


def test_cobweb_draws_the_orbit_on_the_map() -> None:
    result, curve = view("bank-run")
    path = cobweb(result.scenario.world, 0.9, 7)
    fig = checked(cobweb_figure(result, curve, path))
    (orbit,) = traces(fig, "repeated prediction from 0.9")
    np.testing.assert_array_equal(orbit.x, path[0])
    np.testing.assert_array_equal(orbit.y, path[1])
    assert fig.layout.title.text == "Cobweb: 7 rounds of p ← f(p)"
    xs = [fp.p[0] for fp in result.fixed_points]
    np.testing.assert_allclose(points(fig, *FIXED_POINT_NAMES), sorted_points(np.column_stack([xs, xs])))
    assert legend(fig) == ["diagonal f(p) = p", "f(p)", orbit.name, *styles_drawn(result)]
