"""The market maker (logarithmic market scoring rule, traders in turn) against values derived by hand
(docs/theory.md#markets) and against an independent root finder."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq

from core.markets import Market, analyze_market, first_traders, market_curve
from core.model.presets import get_preset
from core.model.rules import ScoringRule
from core.model.worlds import LinearWorld

QUADRATIC = ScoringRule("quadratic")


def maker(world, k: int, **kwargs) -> Market:
    return Market(world, QUADRATIC, np.full(k, 1.0 / k), "lmsr", **kwargs)


def by_hand_path(p_star: float, alpha: float, k: int) -> list[float]:
    """Two outcomes, f(x) = p* + α(x − p*): trader i's move x solves its first-order condition
    (q − x)/(x(1 − x)) + α (logit x − logit pᵢ₋₁) = 0 with q = f(x) (the derivative of
    q ln(x/p) + (1 − q) ln((1 − x)/(1 − p)) in x), from the opening price 1/2. Solved by Brent's method."""
    logit = (lambda v: np.log(v / (1 - v)))
    price, out = 0.5, []
    for _ in range(k):
        def foc(x: float, p: float = price) -> float:
            q = p_star + alpha * (x - p_star)
            return (q - x) / (x * (1 - x)) + alpha * (logit(x) - logit(p))
        price = brentq(foc, 1e-9, 1 - 1e-9, xtol=1e-15)
        out.append(price)
    return out


@pytest.mark.parametrize("p_star, alpha", [(0.3, 0.2), (0.3, -0.4), (0.7, 0.1), (0.45, 0.3)])
def test_each_trader_moves_to_its_first_order_condition(p_star: float, alpha: float) -> None:
    found = analyze_market(maker(LinearWorld(p_star=p_star, alpha=alpha), 8))
    (e,) = found.equilibria
    np.testing.assert_allclose(e.reports[:, 0], by_hand_path(p_star, alpha, 8), atol=1e-9)
    assert e.exact and np.all(e.deviation_gain <= 1e-9)
    # Interior moves: the first-order condition makes each trader's bound an equality, to the precision of the
    # move (the ascent stops at a projected step of ASCENT_TOL = 1e-9, a few 1e-9 in the price).
    np.testing.assert_allclose(e.bound, np.abs(p_star + alpha * (e.reports[:, 0] - p_star) - e.reports[:, 0]),
                               atol=1e-8)
    assert all(e.bound_holds)
    assert e.announcement[0] == pytest.approx(e.reports[-1, 0], abs=0)


@pytest.mark.parametrize("alpha", [0.2, -0.4, -0.5, 0.3])
def test_prices_approach_the_fixed_point_at_the_derived_rate(alpha: float) -> None:
    # Near p*, the move x(p) has slope M′ = s/(2s − 1) with s = f′(p*) = α (implicit differentiation of the
    # first-order condition, docs/theory.md#markets): the errors shrink by that ratio, changing sign for s > 0.
    # Measured where the error is small (the map is nonlinear) but far above the solver's precision.
    p_star = 0.35
    e = analyze_market(maker(LinearWorld(p_star=p_star, alpha=alpha), 40)).equilibria[0]
    error = e.reports[:, 0] - p_star
    near = (np.abs(error[:-1]) < 1e-3) & (np.abs(error[:-1]) > 1e-7)
    assert near.sum() >= 2
    np.testing.assert_allclose(error[1:][near] / error[:-1][near], alpha / (2 * alpha - 1), rtol=5e-3)


@pytest.mark.parametrize("alpha, attracts", [(0.2, True), (-0.6, True), (0.3, True), (0.36, False), (0.45, False)])
def test_the_fixed_point_attracts_exactly_when_the_slope_is_below_a_third(alpha: float, attracts: bool) -> None:
    # |s/(2s − 1)| < 1 with s < 1/2 (the rest point a maximum of the trader's payment) holds iff s < 1/3.
    found = analyze_market(maker(LinearWorld(p_star=0.4, alpha=alpha), 5))
    (rest,) = found.rest_points
    assert rest.announcement[0] == pytest.approx(0.4, abs=1e-12)
    assert rest.exact and rest.attracts is attracts
    assert rest.payments == pytest.approx([0.0] * 5, abs=1e-15)
    assert not found.rejected


def test_a_slope_above_one_half_makes_the_fixed_point_a_price_every_trader_leaves() -> None:
    # s > 1/2: at p* the second derivative of the trader's payment is (2s − 1)g′ > 0, a minimum.
    found = analyze_market(maker(LinearWorld(p_star=0.4, alpha=0.6), 5))
    assert found.rest_points == []
    (left,) = found.rejected
    assert left.announcement[0] == pytest.approx(0.4, abs=1e-12)
    assert np.all(left.deviation_gain > 1e-6)


def test_unstable_prices_cycle_between_two_values() -> None:
    # s = 0.45 > 1/3: the rest point repels, and the prices settle into a two-cycle around it.
    e = analyze_market(maker(LinearWorld(p_star=0.4, alpha=0.45), 40)).equilibria[0]
    x = e.reports[:, 0]
    assert abs(x[-1] - x[-2]) > 0.1 and x[-1] == pytest.approx(x[-3], abs=1e-6)
    assert (x[-1] - 0.4) * (x[-2] - 0.4) < 0


def test_the_traders_objective_is_a_difference_of_divergences() -> None:
    # E_{f(x)}[ln x − ln p] = KL(f(x) ‖ p) − KL(f(x) ‖ x), written out independently of the code.
    scenario = get_preset("route-choice").scenario
    market = Market.equal(scenario.world, scenario.rule, 2, "lmsr")
    rng = np.random.default_rng(4)
    p, x = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(3), size=5)
    q = scenario.world(x)
    kl = (lambda a, b: np.sum(a * np.log(a / b), axis=-1))
    value = market.payoff(np.stack([p, p]), 1, x)[0]
    np.testing.assert_allclose(value, kl(q, p) - kl(q, x), atol=1e-12)


def test_the_scenarios_rule_is_not_the_market_makers() -> None:
    world = LinearWorld(p_star=0.3, alpha=0.2)
    a = analyze_market(Market.equal(world, QUADRATIC, 4, "lmsr")).equilibria[0]
    b = analyze_market(Market.equal(world, ScoringRule("spherical"), 4, "lmsr")).equilibria[0]
    np.testing.assert_array_equal(a.reports, b.reports)
    assert Market.equal(world, QUADRATIC, 4, "lmsr").rule.kind == "log"


def test_the_curve_is_the_first_traders_of_the_longest_market() -> None:
    world = get_preset("notebook-log").scenario.world
    curve = market_curve(world, QUADRATIC, 12, "lmsr")
    for k in (1, 5, 12):
        alone = analyze_market(maker(world, k)).equilibria[0]
        cut = curve[k - 1].equilibria[0]
        np.testing.assert_array_equal(cut.reports, alone.reports)
        assert cut.distance_to_fixed_point == pytest.approx(alone.distance_to_fixed_point, abs=1e-15)
        assert cut.exact == alone.exact
        assert cut.bound == pytest.approx(alone.bound, abs=1e-15)
    assert [a.market.k for a in first_traders(curve[-1], [3, 7])] == [3, 7]


def test_an_opening_price_at_the_fixed_point_stays() -> None:
    world = LinearWorld(p_star=0.3, alpha=0.2)
    e = analyze_market(maker(world, 3, opening=np.array([0.3, 0.7]))).equilibria[0]
    np.testing.assert_allclose(e.reports[:, 0], 0.3, atol=1e-9)
    assert e.distance_to_fixed_point == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize("name", ["coordination", "route-choice", "linear-three"])
def test_three_outcome_rest_points_are_fixed_points_checked_globally(name: str) -> None:
    scenario = get_preset(name).scenario
    found = analyze_market(Market.equal(scenario.world, scenario.rule, 20, "lmsr"))
    fixed = np.array([fp.p for fp in found.fixed_points])
    assert not found.complete
    for r in found.rest_points + found.rejected:
        assert np.min(np.max(np.abs(fixed - r.announcement), axis=1)) <= 1e-12
    assert all(r.exact for r in found.rest_points)
    assert all(np.max(r.deviation_gain) > 1e-6 for r in found.rejected)
    e = found.equilibria[0]
    assert e.exact and e.bound is None
