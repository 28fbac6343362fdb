"""The decision problem is a policy world read per action; conditional reports of any number of predictors."""

from __future__ import annotations

import numpy as np
import pytest

from core.decisions.problem import DecisionProblem, pair_gain, zero_sum_gains
from core.model.rules import ScoringRule
from core.model.worlds import PolicyWorld

Q = np.array([[0.8, 0.2], [0.6, 0.4], [0.3, 0.7]])
U = np.array([[1.0, 0.0], [0.7, 0.7], [0.0, 1.0]])


def reports(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.dirichlet(np.ones(2), size=shape + (3,))


def test_the_human_is_the_policy_worlds() -> None:
    world = PolicyWorld(actions=("a", "b", "c"), Q=Q, U=U, policy="softmax", beta=3.0, epsilon=0.2)
    problem = DecisionProblem(world)
    values = problem.values(Q)
    # softmax over the true values, then ε-exploration: computed by hand.
    z = np.exp(3.0 * values)
    expected = 0.8 * z / z.sum() + 0.2 / 3
    np.testing.assert_allclose(problem.action_probs(values), expected, rtol=1e-12)
    assert problem.human_utility(expected) == pytest.approx(float(expected @ np.sum(Q * U, axis=1)), rel=1e-12)
    assert problem.with_epsilon(0.0).epsilon == 0.0 and problem.epsilon == 0.2


def test_the_threshold_policy_is_refused_naming_the_field() -> None:
    world = PolicyWorld(actions=("stay", "go"), Q=Q[:2], U=U[:2], policy="threshold")
    with pytest.raises(ValueError, match=r"^world\.policy: .*threshold"):
        DecisionProblem(world)


def test_combined_values_of_three_predictors() -> None:
    problem = DecisionProblem.of(Q, U)
    rng = np.random.default_rng(0)
    r = reports(rng, 3)
    values = problem.values(r)  # (3 predictors, 3 actions)
    np.testing.assert_allclose(problem.combined_values(r, "optimistic"), values.max(axis=0), rtol=1e-12)
    np.testing.assert_allclose(problem.combined_values(r, "mean"), values.mean(axis=0), rtol=1e-12)
    w = problem.combined_weights(np.stack([r[0], r[0], r[1]]), "optimistic")
    assert np.all(w[1] == 0.0)  # ties go to the first of the tied predictors


@pytest.mark.parametrize("pair_rule", ["optimistic", "mean"])
def test_zero_sum_gains_of_k_predictors(pair_rule: str) -> None:
    problem = DecisionProblem.of(Q, U, policy="softmax", beta=4.0, epsilon=0.1)
    rule = ScoringRule("log")
    rng = np.random.default_rng(1)
    r = reports(rng, 20, 4)  # 20 markets of 4 predictors
    gains = zero_sum_gains(problem, rule, r, pair_rule)
    assert gains.shape == (20, 4)
    np.testing.assert_allclose(gains.sum(axis=-1), 0.0, atol=1e-12)  # zero-sum
    honest = np.broadcast_to(Q, (4, 3, 2))
    np.testing.assert_allclose(zero_sum_gains(problem, rule, honest, pair_rule), 0.0, atol=1e-12)
    # Against three honest opponents, any report earns at most 0 (the rule is proper and every action is
    # played with probability ≥ ε/m).
    deviating = np.concatenate([r[:, :1], np.broadcast_to(Q, (20, 3, 3, 2))], axis=1)
    assert np.all(zero_sum_gains(problem, rule, deviating, pair_rule)[:, 0] <= 1e-12)
    # Two predictors: the pair's payoff.
    np.testing.assert_allclose(zero_sum_gains(problem, rule, r[:, :2], pair_rule)[:, 0],
                               pair_gain(problem, rule, r[:, 0], r[:, 1], pair_rule), rtol=1e-12)
