"""Tests of core.model.choice: the human's choice rules, exploration and expected utility.

Reference values are written out by hand; derivatives are checked against central finite differences.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model.choice import BestResponse, Softmax, Threshold, expected_utility, explore, softmax


def fd_derivative(rule, pref: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """∂π_a/∂pref_c by central differences, shape (m, m)."""
    cols = []
    for c in range(len(pref)):
        step = np.zeros_like(pref)
        step[c] = h
        cols.append((rule.probs(pref + step) - rule.probs(pref - step)) / (2 * h))
    return np.stack(cols, axis=-1)


def test_softmax_by_hand_and_without_overflow() -> None:
    np.testing.assert_allclose(softmax(np.array([0.0, np.log(3.0)])), [0.25, 0.75], rtol=1e-15)
    # exp(1000) overflows; the shifted form does not.
    np.testing.assert_allclose(softmax(np.array([1000.0, 1000.0 + np.log(3.0)])), [0.25, 0.75], rtol=1e-12)
    batch = softmax(np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]]))
    np.testing.assert_allclose(batch[0], [1 / 3] * 3)
    np.testing.assert_allclose(batch[1], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())


def test_softmax_rule_limits() -> None:
    pref = np.array([0.2, 0.5, 0.1])
    np.testing.assert_allclose(Softmax(0.0).probs(pref), [1 / 3] * 3)
    np.testing.assert_allclose(Softmax(1e4).probs(pref), [0.0, 1.0, 0.0], atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-2, 2), min_size=2, max_size=6), st.floats(0.0, 30.0))
def test_softmax_derivative_matches_finite_differences(values: list[float], beta: float) -> None:
    pref = np.array(values)
    rule = Softmax(beta)
    np.testing.assert_allclose(rule.derivative(pref), fd_derivative(rule, pref), atol=1e-6 * (1 + beta**2))


def test_best_response_splits_ties_evenly_and_has_no_derivative() -> None:
    rule = BestResponse()
    np.testing.assert_array_equal(rule.probs(np.array([0.3, 0.7, 0.7])), [0.0, 0.5, 0.5])
    np.testing.assert_array_equal(rule.probs(np.array([[1.0, 0.0], [0.0, 1.0]])), [[1.0, 0.0], [0.0, 1.0]])
    assert not rule.derivative(np.array([0.3, 0.7])).any()
    assert rule.is_step and not Softmax(1.0).is_step


def test_best_response_breakpoints_on_the_upper_envelope() -> None:
    # Lines x, 1 − x and 0.4: the first two cross at x = 1/2, where both are 0.5 > 0.4: a breakpoint. x meets 0.4
    # at 0.4, where 1 − x = 0.6 is better, and 1 − x meets 0.4 at 0.6, where x = 0.6 is better: not on the
    # upper envelope, so not breakpoints.
    xs = BestResponse().breakpoints(np.array([1.0, -1.0, 0.0]), np.array([0.0, 1.0, 0.4]))
    assert xs == pytest.approx((0.5,))
    # With the constant at 0.7 the envelope is 1 − x, 0.7, x: breakpoints 0.3 and 0.7.
    xs = BestResponse().breakpoints(np.array([1.0, -1.0, 0.0]), np.array([0.0, 1.0, 0.7]))
    assert xs == pytest.approx((0.3, 0.7))


def test_threshold_ramp_by_hand() -> None:
    rule = Threshold(threshold=0.5, outcome=0, ramp_width=0.2)
    v, b = rule.preferences(np.zeros((2, 3)))
    p = np.array([[0.35, 0.5, 0.15], [0.45, 0.3, 0.25], [0.65, 0.2, 0.15]])
    second = rule.probs(p @ v.T + b)[:, 1]
    np.testing.assert_allclose(second, [0.0, 0.25, 1.0])  # below the ramp, a quarter up, above it
    pref = np.array([0.0, 0.03])  # inside the ramp
    np.testing.assert_allclose(rule.derivative(pref), fd_derivative(rule, pref), atol=1e-8)
    assert not rule.is_step and Threshold(0.5, 0, 0.0).is_step


@pytest.mark.parametrize(("outcome", "expected"), [(0, (0.4, 0.6)), (1, (0.4, 0.6))])
def test_threshold_breakpoints_are_the_ramp_edges(outcome: int, expected: tuple[float, float]) -> None:
    rule = Threshold(threshold=0.5, outcome=outcome, ramp_width=0.2)
    v, b = rule.preferences(np.zeros((2, 2)))
    # For two outcomes: pref_a(x) = V[a,0] x + V[a,1] (1 − x) + b[a]; the edges are p[outcome] = 0.5 ± 0.1.
    assert rule.breakpoints(v[:, 0] - v[:, 1], v[:, 1] + b) == pytest.approx(expected)
    hard = Threshold(threshold=0.3, outcome=outcome, ramp_width=0.0)
    v, b = hard.preferences(np.zeros((2, 2)))
    assert hard.breakpoints(v[:, 0] - v[:, 1], v[:, 1] + b) == pytest.approx((0.3 if outcome == 0 else 0.7,))


def test_explore_and_expected_utility_by_hand() -> None:
    np.testing.assert_allclose(explore(np.array([1.0, 0.0, 0.0]), 0.3), [0.8, 0.1, 0.1])
    np.testing.assert_allclose(explore(np.array([0.2, 0.8]), 1.0), [0.5, 0.5])
    q = np.array([[0.8, 0.2], [0.5, 0.5]])
    u = np.array([[1.0, 0.0], [0.6, 0.6]])
    # action 1: 0.8; action 2: 0.6; mixed half-half: 0.7
    np.testing.assert_allclose(expected_utility(np.array([[1, 0], [0, 1], [0.5, 0.5]]), q, u), [0.8, 0.6, 0.7])


@pytest.mark.parametrize("rule", [Softmax(7.0), Threshold(threshold=0.5, outcome=0, ramp_width=0.3), BestResponse()])
def test_weighted_derivative_is_the_derivative_weighted_by_outcome_rows(rule) -> None:
    # Σ_a,c L[a, i] ∂π_a/∂pref_c R[c, j], with ∂π/∂pref by central differences.
    rng = np.random.default_rng(3)
    m = 2 if isinstance(rule, Threshold) else 4
    pref = rng.normal(scale=0.1, size=(6, m))
    left, right = rng.normal(size=(m, 3)), rng.normal(size=(m, 5))
    expected = np.stack([left.T @ fd_derivative(rule, x) @ right for x in pref])
    if isinstance(rule, Threshold):
        assert np.abs(expected).max() > 0  # some preferences inside the ramp
    np.testing.assert_allclose(rule.weighted_derivative(pref, left, right), expected, atol=1e-8)


def test_parameters_may_hold_one_value_per_point() -> None:
    # A rule whose parameters are arrays of the batch shape acts on point i as the rule with parameter i.
    rng = np.random.default_rng(4)
    pref = rng.normal(size=(5, 3))
    betas, ramps, epsilons = rng.uniform(0, 20, 5), rng.uniform(0.5, 2.0, 5), rng.uniform(0, 0.5, 5)
    np.testing.assert_allclose(Softmax(betas).probs(pref), np.stack([Softmax(b).probs(x) for b, x in zip(betas, pref)]))
    np.testing.assert_allclose(Softmax(betas).derivative(pref),
                               np.stack([Softmax(b).derivative(x) for b, x in zip(betas, pref)]))
    two = pref[:, :2]
    np.testing.assert_allclose(Threshold(0.0, 0, ramps).derivative(two),
                               np.stack([Threshold(0.0, 0, w).derivative(x) for w, x in zip(ramps, two)]))
    np.testing.assert_allclose(explore(Softmax(1.0).probs(pref), epsilons),
                               np.stack([explore(Softmax(1.0).probs(x), e) for e, x in zip(epsilons, pref)]))
    _, b = Threshold(np.array([0.2, 0.7]), 1, 0.1).preferences(np.zeros((2, 3)))
    np.testing.assert_array_equal(b, [[0.0, -0.2], [0.0, -0.7]])
