"""The Markets page's figures (figures/markets.py): what they mark is what the core computed."""

from __future__ import annotations

import numpy as np

from core import curves
from core.markets import Market, analyze_market
from core.model.presets import get_preset
from figures.markets import distance_curve_figure, market_learning_figure, market_map_figure
from figures.style import STYLE
from tests.figures.helpers import checked, legend, traces


def _markets(preset: str, k: int, payment: str = "own"):
    scenario = get_preset(preset).scenario
    return scenario, *(analyze_market(Market.equal(scenario.world, scenario.rule, j, payment=payment))
                       for j in (k, 1))


def test_two_outcomes_marks_each_equilibrium_at_a_and_f_of_a() -> None:
    scenario, market, single = _markets("bank-run", 20)
    fig = checked(market_map_figure(scenario.outcomes, market, single, curves.binary_curve(scenario.world)))
    (marks,) = traces(fig, STYLE["announcement"].name)
    np.testing.assert_allclose(marks.x, [e.announcement[0] for e in market.equilibria])
    np.testing.assert_allclose(marks.y, [e.f[0] for e in market.equilibria])
    (alone,) = traces(fig, STYLE["optimum"].name)
    np.testing.assert_allclose([alone.x[0], alone.y[0]], [single.chosen.announcement[0], single.chosen.f[0]])
    assert "f(p): what happens" in legend(fig)


def test_three_outcomes_on_the_triangle_without_a_lone_predictor_at_k_one() -> None:
    scenario, market, single = _markets("coordination", 1)
    fig = checked(market_map_figure(scenario.outcomes, market, single, None))
    assert not traces(fig, STYLE["optimum"].name)  # k = 1: the announcement is p̂ itself
    (marks,) = traces(fig, STYLE["announcement"].name)
    x, y = curves.to_plane(np.array([e.announcement for e in market.equilibria]))
    np.testing.assert_allclose(marks.x, x)
    np.testing.assert_allclose(marks.y, y)


def test_distance_curve_with_its_bound_and_this_market() -> None:
    scenario = get_preset("notebook-quadratic").scenario
    ks = (1, 2, 5, 10)
    found = [analyze_market(Market.equal(scenario.world, scenario.rule, k)) for k in ks]
    fig = checked(distance_curve_figure(ks, found, 5))
    (line,) = traces(fig, "distance of A to the fixed point")
    np.testing.assert_allclose(line.y, [a.chosen.distance_to_fixed_point for a in found])
    (bound,) = [t for t in fig.data if t.name.startswith("bound")]
    np.testing.assert_allclose(bound.y, [a.distance_bound for a in found])
    assert np.all(np.asarray(line.y) <= np.asarray(bound.y))
    (here,) = traces(fig, "this market (k = 5)")
    assert list(here.x) == [5]


def test_learning_figure_one_line_per_method() -> None:
    fig = checked(market_learning_figure({"a": np.linspace(1, 0, 5), "b": np.zeros(5)}))
    assert legend(fig) == ["a", "b"]
    np.testing.assert_allclose(fig.data[0].y, np.linspace(1, 0, 5))
