"""k predictors under the joint rule (docs/theory.md#conditional-predictions): honest reports are an equilibrium
for every way of combining them, two predictors agree with the zero-sum pair, and the random choice by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.decisions import JOINT_RULES, PAIR_RULES, DecisionProblem, joint_honest, zero_sum_equilibrium, zero_sum_gains
from core.model.presets import get_preset

DECISION_PRESETS = ["decision-example", "decision-three", "decision-risky-safe"]


@pytest.mark.parametrize("name", DECISION_PRESETS)
@pytest.mark.parametrize("pair_rule", list(PAIR_RULES))
def test_two_predictors_are_the_zero_sum_pair(name: str, pair_rule: str) -> None:
    scenario = get_preset(name).scenario
    problem = DecisionProblem.from_scenario(scenario)
    pair = zero_sum_equilibrium(problem, scenario.rule, pair_rule)
    joint = joint_honest(problem, scenario.rule, 2, pair_rule)
    np.testing.assert_allclose(joint.action_probs, pair.action_probs, atol=1e-12)
    assert joint.human_utility == pytest.approx(pair.human_utility, abs=1e-12)
    np.testing.assert_array_equal(joint.reports, problem.Q)


@pytest.mark.parametrize("name", DECISION_PRESETS)
@pytest.mark.parametrize("joint_rule", list(JOINT_RULES))
@pytest.mark.parametrize("k", [2, 3, 5])
def test_honest_reports_are_an_equilibrium(name: str, joint_rule: str, k: int) -> None:
    # Against honest others a deviator's payoff is Σ_a π_a [S(P[a], Q[a]) − S(Q[a], Q[a])] ≤ 0 (properness).
    scenario = get_preset(name).scenario
    result = joint_honest(DecisionProblem.from_scenario(scenario), scenario.rule, k, joint_rule)
    gain = float(result.note.rsplit(" ", 1)[-1])
    assert gain <= 1e-9


def test_random_choice_by_hand() -> None:
    # decision-example: P(good) 1/3 under action 1, 1/2 under action 2, the log rule, a best-responding human.
    # Predictor 1 reports 1/4 for action 2 (so its own reports lead the human to action 1); three are honest.
    # Under the random choice the human follows predictor 1 with probability 1/4: π = (1/4, 3/4). Predictor 1
    # is scored against the others' mean on the action taken: 0 on action 1 (it is honest there), and on action 2
    # ½ ln ¼ + ½ ln ¾ − ln ½.
    scenario = get_preset("decision-example").scenario
    problem = DecisionProblem.from_scenario(scenario)
    liar = np.array([[1 / 3, 2 / 3], [1 / 4, 3 / 4]])
    reports = np.stack([liar] + [problem.Q] * 3)
    np.testing.assert_allclose(problem.combined_action_probs(reports, "random"), [0.25, 0.75])
    expected = 0.75 * (0.5 * math.log(0.25) + 0.5 * math.log(0.75) - math.log(0.5))
    gains = zero_sum_gains(problem, scenario.rule, reports, "random")
    assert gains[0] == pytest.approx(expected, abs=1e-12)
    assert gains.sum() == pytest.approx(0.0, abs=1e-12)


def test_bad_k_and_rule_name_the_field() -> None:
    scenario = get_preset("decision-example").scenario
    problem = DecisionProblem.from_scenario(scenario)
    with pytest.raises(ValueError, match="^k:"):
        joint_honest(problem, scenario.rule, 1)
    with pytest.raises(ValueError, match="^pair_rule:"):
        joint_honest(problem, scenario.rule, 3, "loudest")
