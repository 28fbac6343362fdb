"""Markets of predictors, against values derived by hand (docs/theory.md#markets)."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.markets import Market, analyze_market, market_curve
from core.model.presets import get_preset
from core.model.rules import ScoringRule
from core.model.worlds import LinearWorld, LogisticWorld

QUADRATIC = ScoringRule("quadratic")


def linear_symmetric(p_star: float, alpha: float, k: int) -> float:
    """The symmetric equilibrium with the quadratic rule in f(p) = p* + α(p − p*), k equal predictors, linear
    pool: 2(q − p) + (2p − 1)α/k = 0 with q = f(p) (the derivative of E[1 − (p − y)²] in the own report, plus
    the report's share 1/k of the world's response), so p = (2(1 − α)p* − α/k) / (2(1 − α) − 2α/k)."""
    return (2 * (1 - alpha) * p_star - alpha / k) / (2 * (1 - alpha) - 2 * alpha / k)


@pytest.mark.parametrize("p_star, alpha", [(0.25, 0.25), (0.25, 0.4), (0.7, 0.3), (0.5, 0.45), (0.4, -0.5)])
@pytest.mark.parametrize("k", [1, 2, 3, 10, 50])
def test_linear_world_symmetric_equilibrium_by_hand(p_star: float, alpha: float, k: int) -> None:
    expected = linear_symmetric(p_star, alpha, k)
    found = analyze_market(Market.equal(LinearWorld(p_star=p_star, alpha=alpha), QUADRATIC, k))
    assert found.complete and found.symmetric and not found.rejected
    (e,) = found.equilibria
    if 0 <= expected <= 1:
        assert e.announcement[0] == pytest.approx(expected, abs=1e-10)
        np.testing.assert_allclose(e.reports[:, 0], expected, atol=1e-10)
        # Interior: the first-order condition makes the market bound an equality.
        assert e.bound == pytest.approx([abs(e.f[0] - expected)] * k, abs=1e-10)
        assert e.attracts is True
    else:  # clipped to the nearer end, as THEORY clips p̂ for k = 1
        assert e.announcement[0] == pytest.approx(0.0 if expected < 0 else 1.0, abs=1e-12)
    assert e.exact and np.all(e.deviation_gain <= 1e-9)
    assert all(e.bound_holds)
    assert e.distance_to_fixed_point == pytest.approx(abs(e.announcement[0] - p_star), abs=1e-12)


def test_k_equal_one_is_the_theory_worked_example() -> None:
    (e,) = analyze_market(Market.equal(LinearWorld(p_star=0.25, alpha=0.25), QUADRATIC, 1)).equilibria
    assert e.announcement[0] == pytest.approx(0.125, abs=1e-10)
    assert e.f[0] == pytest.approx(0.21875, abs=1e-10)


def test_distance_to_the_fixed_point_falls_like_one_over_k() -> None:
    # p − p* = (α/k)(2p* − 1)/(2(1 − α) − 2α/k) from the closed form: k·distance → α|2p* − 1|/(2(1 − α)).
    p_star, alpha = 0.25, 0.4
    curve = market_curve(LinearWorld(p_star=p_star, alpha=alpha), QUADRATIC, 50)
    k = np.arange(1, 51)
    d = np.array([a.chosen.distance_to_fixed_point for a in curve])
    inside = k >= 3  # k = 1, 2 are clipped or at the edge
    expected = (alpha / k) * abs(2 * p_star - 1) / (2 * (1 - alpha) - 2 * alpha / k)
    np.testing.assert_allclose(d[inside], expected[inside], atol=1e-10)
    assert np.all(np.diff(d) <= 1e-12)
    assert 50 * d[-1] == pytest.approx(alpha * abs(2 * p_star - 1) / (2 * (1 - alpha)), rel=0.02)


@pytest.mark.parametrize("world", [LinearWorld(p_star=0.3, alpha=0.6), LogisticWorld(steepness=3.0, center=0.4)])
@pytest.mark.parametrize("pool", ["linear", "log"])
def test_zero_sum_payment_reports_the_fixed_point(world, pool: str) -> None:
    found = analyze_market(Market.equal(world, ScoringRule("log"), 5, pool, "zero-sum"))
    fixed = np.array([fp.p for fp in found.fixed_points])
    assert found.equilibria
    for e in found.equilibria:
        assert e.distance_to_fixed_point == pytest.approx(0.0, abs=1e-9)
        assert np.min(np.max(np.abs(fixed - e.announcement), axis=1)) <= 1e-9
        assert e.bound == pytest.approx([0.0] * 5, abs=1e-9)


def test_the_log_pool_has_the_linear_pools_symmetric_equilibria() -> None:
    # At a symmetric profile ∂A/∂pᵢ of the log pool is w(I − p𝟙ᵀ): on the simplex's tangent space, wI.
    world = LinearWorld(p_star=0.7, alpha=0.3)
    linear = analyze_market(Market.equal(world, QUADRATIC, 4, "linear")).equilibria
    log = analyze_market(Market.equal(world, QUADRATIC, 4, "log")).equilibria
    assert len(linear) == len(log) == 1
    np.testing.assert_allclose(log[0].announcement, linear[0].announcement, atol=1e-10)
    assert log[0].announcement[0] == pytest.approx(linear_symmetric(0.7, 0.3, 4), abs=1e-10)


def test_unequal_weights_by_hand() -> None:
    # Predictor i: 2(q − pᵢ) + (2pᵢ − 1)α wᵢ = 0, so pᵢ = (2q − α wᵢ)/(2 − 2α wᵢ); and q = p* + α(Σ wᵢ pᵢ − p*),
    # linear in q: q (1 − α Σ 2wᵢ/(2 − 2α wᵢ)) = (1 − α) p* − α Σ α wᵢ²/(2 − 2α wᵢ).
    p_star, alpha = 0.6, 0.5
    w = np.array([0.5, 0.3, 0.2])
    d = 2 - 2 * alpha * w
    q = ((1 - alpha) * p_star - alpha * np.sum(alpha * w**2 / d)) / (1 - alpha * np.sum(2 * w / d))
    p = (2 * q - alpha * w) / d
    found = analyze_market(Market(LinearWorld(p_star=p_star, alpha=alpha), QUADRATIC, w))
    assert not found.symmetric
    (e,) = found.equilibria
    np.testing.assert_allclose(e.reports[:, 0], p, atol=1e-8)
    assert e.f[0] == pytest.approx(q, abs=1e-8)
    assert e.exact and all(e.bound_holds)


@pytest.mark.parametrize("name", ["notebook-log", "notebook-quadratic", "bank-run", "coordination", "route-choice"])
def test_one_predictor_reports_the_performative_optimum(name: str) -> None:
    scenario = get_preset(name).scenario
    found = analyze_market(Market.equal(scenario.world, scenario.rule, 1))
    optimum = analyze(scenario).optimum.p
    assert found.chosen is not None and found.chosen.exact
    assert any(np.max(np.abs(e.announcement - optimum)) <= 1e-6 for e in found.equilibria)
    assert found.chosen.payments[0] == pytest.approx(analyze(scenario).optimum.score, abs=1e-9)
    # Every other stationary point of S(p, f(p)) is a local optimum or a saddle: not an equilibrium.
    assert all(np.max(e.deviation_gain) > 1e-6 for e in found.rejected)


def test_three_outcomes_zero_sum_equilibria_are_fixed_points() -> None:
    scenario = get_preset("coordination").scenario
    found = analyze_market(Market.equal(scenario.world, scenario.rule, 5, payment="zero-sum"))
    fixed = np.array([fp.p for fp in analyze(scenario).fixed_points])
    assert not found.complete and found.equilibria
    for e in found.equilibria:
        assert np.min(np.linalg.norm(fixed - e.announcement, axis=1)) <= 1e-7


@pytest.mark.parametrize("field, kwargs", [("weights", {"weights": np.array([1.0, -1.0])}),
                                           ("pool", {"weights": np.ones(2), "pool": "maker"}),
                                           ("payment", {"weights": np.ones(2), "pool": "lmsr", "payment": "zero-sum"}),
                                           ("weights", {"weights": np.array([1.0, 2.0]), "pool": "lmsr"}),
                                           ("opening", {"weights": np.ones(2), "opening": np.array([0.5, 0.5])}),
                                           ("payment", {"weights": np.ones(2), "payment": "half"})])
def test_bad_market_names_the_field(field: str, kwargs: dict) -> None:
    with pytest.raises(ValueError, match=f"^{field}:"):
        Market(LinearWorld(), QUADRATIC, **kwargs)


def test_a_step_world_is_refused_with_a_message() -> None:
    scenario = get_preset("self-defeating").scenario
    with pytest.raises(ValueError, match="^world: a market needs a world without jumps"):
        analyze_market(Market.equal(scenario.world, scenario.rule, 3))


def test_distance_bound_shares_the_single_predictors_bound() -> None:
    # Quadratic rule: sup|g/g′| = 1/2; linear world: L = |α|. So |A − p*| ≤ (α/k)(1/2)/(1 − α), and the
    # closed form's distance (α/k)|2p* − 1|/(2(1 − α) − 2α/k) stays below it.
    p_star, alpha = 0.25, 0.4
    for k in (3, 10, 50):
        found = analyze_market(Market.equal(LinearWorld(p_star=p_star, alpha=alpha), QUADRATIC, k))
        assert found.distance_bound == pytest.approx(alpha / k * 0.5 / (1 - alpha), rel=1e-9)
        assert found.chosen.distance_to_fixed_point <= found.distance_bound
    zero_sum = analyze_market(Market.equal(LinearWorld(p_star=p_star, alpha=alpha), QUADRATIC, 3, payment="zero-sum"))
    assert zero_sum.distance_bound is None
