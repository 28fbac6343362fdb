"""The local theory against docs/theory.md#learning-dynamics's thresholds and hand-derived Jacobians."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.learning.stability import candidates, observe_near, predict, stop_gradient_matrix
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.simplex import binary, tangent_basis
from core.model.worlds import LinearWorld
from tests.core.learning.test_dynamics import BRIER, FULL_MAX, NOTEBOOK, P_HAT, P_STAR, STOP_MAX, linear_three


def test_binary_thresholds_are_theorys() -> None:
    # Stop-gradient: η* = 2/(g′(p*)(1 − f′(p*))) with g′ = 4 for Brier; full gradient: 2/|Φ″(p̂)| = 1.
    assert predict(NOTEBOOK, BRIER, "stop-gradient", binary(P_STAR), 0.1).max_step_size == pytest.approx(STOP_MAX)
    full = predict(NOTEBOOK, BRIER, "full-gradient", binary(P_HAT), 0.1)
    assert full.max_step_size == pytest.approx(FULL_MAX, rel=1e-6)
    # |1 + ηΦ″| = |1 − 0.2| at η = 0.1.
    assert full.converges and full.radius == pytest.approx(0.8, rel=1e-6)


@pytest.mark.parametrize(("p_star", "alpha"), [(0.3, 0.5), (0.4, -0.5), (0.675, 0.25)])
def test_log_rule_threshold_is_theorys(p_star: float, alpha: float) -> None:
    # Log rule: G(x) = x ln x + (1 − x) ln(1 − x), g′ = 1/(x(1 − x)), so η* = 2x(1 − x)/(1 − α) at x = p*.
    world = LinearWorld(p_star, alpha)
    got = predict(world, ScoringRule("log"), "stop-gradient", binary(p_star), 0.01)
    assert got.max_step_size == pytest.approx(2 * p_star * (1 - p_star) / (1 - alpha))


def test_brier_update_map_is_identity_plus_four_eta_df_minus_identity() -> None:
    # For Brier, A = H_T(Df_T − I) with H_T = 2I: the update's Jacobian is I + 2ηA = I + 4η(Df_T − I).
    world, p_star, threshold = linear_three()
    b = tangent_basis(3)
    df_t = b.T @ (world.alpha * np.array(world.A)) @ b
    np.testing.assert_allclose(stop_gradient_matrix(world, BRIER, p_star), 2 * (df_t - np.eye(2)), atol=1e-12)
    assert predict(world, BRIER, "stop-gradient", p_star, 0.1).max_step_size == pytest.approx(threshold)


def test_repeated_prediction_uses_the_spectral_radius() -> None:
    got = predict(NOTEBOOK, BRIER, "repeated", binary(P_STAR), 0.1)
    assert got.max_step_size is None and got.converges and got.radius == pytest.approx(0.25)
    flip = predict(LinearWorld(0.5, -1.0), BRIER, "repeated", binary(0.5), 0.1)
    assert flip.radius == pytest.approx(1.0) and flip.converges is None  # neutral: a cycle, not convergence


def test_boundary_points_and_improper_rules_are_not_predicted() -> None:
    clipped = LinearWorld(0.05, 0.45)  # p̂ = (2·0.55·0.05 − 0.45)/(2 − 1.8) < 0: clipped to 0, on the boundary
    opt = analyze(Scenario(("a", "b"), clipped, BRIER)).optimum
    assert opt.p[0] == pytest.approx(0.0, abs=1e-9)
    assert predict(clipped, BRIER, "full-gradient", opt.p, 0.1).converges is None
    assert predict(NOTEBOOK, ScoringRule("linear"), "stop-gradient", binary(P_STAR), 0.1).converges is None


@pytest.mark.parametrize("name", ["notebook-log", "coordination", "route-choice", "linear-three"])
@pytest.mark.parametrize("method", ["stop-gradient", "full-gradient", "repeated"])
def test_prediction_agrees_with_observation_near_every_point(name: str, method: str) -> None:
    result = analyze(PRESETS[name].scenario)
    world, rule = result.scenario.world, result.scenario.rule
    for label, point, mixed in candidates(result, method):
        for eta in (0.05, 0.2):
            theory = predict(world, rule, method, point, eta, mixed)
            if theory.converges is None or abs(theory.radius - 1) < 0.02:  # too close to call in 3000 rounds
                continue
            observed = observe_near(world, rule, method, point, eta, 3000)
            assert observed == (1.0 if theory.converges else 0.0), (label, eta, theory)
