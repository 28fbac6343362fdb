"""Numeric edge cases that must give sensible answers (issue 13): the log score's zero probabilities, ties,
β = 0 and β at its cap, ε = 0 and 1, identical actions, a world without a pure fixed point, and a scenario at
the size caps. Expected values are derived in the comments; a report must never carry NaN (JSON refuses it)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import MAX_ACTIONS, MAX_OUTCOMES, Scenario
from core.model.worlds import MAX_BETA, LinearWorld, PolicyWorld

Q = ((0.9, 0.1), (0.2, 0.8))
U = ((1.0, 0.0), (0.0, 1.0))  # action 1 is best when P(first) > 1/2, action 2 when below


def report_text(scenario: Scenario) -> str:
    return json.dumps(analyze(scenario).report(), allow_nan=False)  # raises on NaN or infinity


def test_log_score_of_a_zero_probability() -> None:
    rule = ScoringRule("log")
    # S(p, ω) = ln p_ω: ln 1 = 0 and ln 0 = −∞; the expected score weights −∞ by q_ω, and 0 · (−∞) counts as 0.
    np.testing.assert_array_equal(rule.scores(np.array([1.0, 0.0])), [0.0, -np.inf])
    assert rule.expected(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0
    assert rule.expected(np.array([1.0, 0.0]), np.array([0.5, 0.5])) == -np.inf


@pytest.mark.parametrize("p_star", [0.0, 1.0])
def test_log_rule_at_a_certain_fixed_point(p_star: float) -> None:
    # f(p) = p* + (p − p*)/2 has the fixed point p*, a certainty; there S(p*, f(p*)) = ln 1 = 0, the largest
    # score any report can get, so the optimum is the fixed point itself, and nothing is NaN.
    scenario = Scenario(("rain", "dry"), LinearWorld(p_star, 0.5), ScoringRule("log"))
    result = analyze(scenario)
    assert result.optimum.p[0] == pytest.approx(p_star, abs=1e-6)
    assert result.optimum.score == pytest.approx(0.0, abs=1e-6)
    assert result.inaccuracy == pytest.approx(0.0, abs=1e-6)
    report_text(scenario)


def policy(**fields) -> PolicyWorld:
    return PolicyWorld(**{"actions": ("a", "b"), "Q": Q, "U": U, **fields})


def test_a_tie_everywhere() -> None:
    # Equal utilities: the human is indifferent everywhere and splits evenly, so f is the constant mean of Q's
    # rows, (0.55, 0.45): the one point with f(p) = p, regular and attracting. Any other mixture of the two
    # actions is a best response too, so every point of the segment between the rows is a fixed point of the
    # best-response correspondence (Kakutani); support enumeration reports the segment's ends as mixed.
    world = policy(U=((1.0, 1.0), (1.0, 1.0)))
    p = np.array([[0.3, 0.7], [0.5, 0.5], [1.0, 0.0]])
    np.testing.assert_allclose(world(p), np.tile([0.55, 0.45], (3, 1)), atol=1e-12)
    points = sorted(analyze(Scenario(("x", "y"), world, ScoringRule("quadratic"))).fixed_points,
                    key=lambda fp: fp.p[0])
    np.testing.assert_allclose([fp.p[0] for fp in points], [0.2, 0.55, 0.9], atol=1e-9)
    assert [(fp.kind, fp.stability) for fp in points] == [("mixed", "repelling"), ("regular", "attracting"),
                                                          ("mixed", "repelling")]


def test_beta_zero_is_uniform_and_beta_at_its_cap_is_the_best_response() -> None:
    p = np.array([[0.2, 0.8], [0.8, 0.2]])
    np.testing.assert_allclose(policy(policy="softmax", beta=0.0)(p), [[0.55, 0.45]] * 2, atol=1e-12)
    # β = 1000 and a utility gap of |2p − 1| = 0.6: the other action's weight is e^(−600), far below 1e-12.
    steep = policy(policy="softmax", beta=MAX_BETA)
    np.testing.assert_allclose(steep(p), [Q[1], Q[0]], atol=1e-12)
    # At the indifference point p = 1/2 the weights are equal: f = (0.55, 0.45), finite.
    np.testing.assert_allclose(steep(np.array([0.5, 0.5])), [0.55, 0.45], atol=1e-12)
    report_text(Scenario(("x", "y"), steep, ScoringRule("log")))


def test_epsilon_zero_and_one() -> None:
    p = np.array([[0.2, 0.8], [0.8, 0.2]])
    np.testing.assert_allclose(policy(epsilon=0.0)(p), [Q[1], Q[0]], atol=1e-12)  # the best action only
    np.testing.assert_allclose(policy(epsilon=1.0)(p), [[0.55, 0.45]] * 2, atol=1e-12)  # uniform: mean row


def test_identical_actions() -> None:
    # Two names for the same action: whatever the human does, f(p) = Q's row; the fixed point is that row.
    world = PolicyWorld(("walk", "stroll"), ((0.3, 0.7), (0.3, 0.7)), ((1.0, 0.0), (1.0, 0.0)), policy="softmax")
    scenario = Scenario(("rain", "dry"), world, ScoringRule("spherical"))
    (fp,) = analyze(scenario).fixed_points
    np.testing.assert_allclose(fp.p, [0.3, 0.7], atol=1e-9)
    report_text(scenario)


def test_a_world_without_a_pure_fixed_point() -> None:
    # The self-defeating forecast: announcing a jam sends everyone to the train and the reverse; the only
    # fixed point is mixed, at P(jam) = 1/2 (THEORY: f jumps from 0.9 to 0.1 across the diagonal at 1/2).
    result = analyze(PRESETS["self-defeating"].scenario)
    (fp,) = result.fixed_points
    assert fp.kind == "mixed"
    assert fp.p[0] == pytest.approx(0.5, abs=1e-9)


@pytest.mark.parametrize("rule", ["log", "quadratic", "pseudospherical"])
def test_a_scenario_at_the_caps(rule: str) -> None:
    # 6 outcomes, 8 actions, β at its cap, utilities at their cap: the analysis ends, with points on the simplex.
    rng = np.random.default_rng(13)
    q = rng.dirichlet(np.ones(MAX_OUTCOMES), size=MAX_ACTIONS)
    u = rng.uniform(-1e6, 1e6, size=(MAX_ACTIONS, MAX_OUTCOMES))
    world = PolicyWorld(tuple(f"act {i}" for i in range(MAX_ACTIONS)), tuple(map(tuple, q)), tuple(map(tuple, u)),
                        policy="softmax", beta=MAX_BETA)
    scenario = Scenario(tuple(f"o{i}" for i in range(MAX_OUTCOMES)), world, ScoringRule(rule))
    result = analyze(scenario)
    for p in [result.optimum.p, result.optimum.f, *(fp.p for fp in result.fixed_points)]:
        assert np.all(p >= -1e-12) and np.sum(p) == pytest.approx(1.0, abs=1e-9)
    assert np.isfinite(result.optimum.score)
    report_text(scenario)
