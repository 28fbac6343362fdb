"""What each mechanism reports and what it leads to: honest reports, the single score-maximising
predictor, and the zero-sum pair (docs/theory.md#conditional-predictions)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.decisions.deviations import best_deviation_gain
from core.decisions.problem import DecisionProblem, action_scores, check_rule, weighted

#: The most predictors the joint rule is checked for.
MAX_JOINT = 10
from core.decisions.steering import optimal_reports
from core.model.rules import ScoringRule


@dataclass(frozen=True)
class MechanismResult:
    """What a mechanism produces: the reports, the human's actions, and what everyone gets."""

    name: str
    reports: np.ndarray
    action_probs: np.ndarray
    score: float  # the (first) predictor's expected score Σ_a π_a S(P[a], Q[a])
    human_utility: float
    distance: float  # max over actions of ‖P[a] − Q[a]‖₂
    distance_played: float  # the same over actions played with positive probability
    note: str = ""


def mechanism_result(problem: DecisionProblem, rule: ScoringRule, name: str, reports: np.ndarray,
            probs: np.ndarray | None = None, note: str = "") -> MechanismResult:
    reports = np.asarray(reports, dtype=float)
    probs = problem.action_probs(problem.values(reports)) if probs is None else probs
    gaps = np.linalg.norm(reports - problem.Q, axis=-1)
    return MechanismResult(name=name, reports=reports, action_probs=probs,
                   score=float(weighted(probs, action_scores(problem, rule, reports))),
                   human_utility=float(problem.human_utility(probs)), distance=float(gaps.max()),
                   distance_played=float(gaps[probs > 1e-12].max()), note=note)


def honest(problem: DecisionProblem, rule: ScoringRule) -> MechanismResult:
    """Truthful reports P = Q for every action."""
    return mechanism_result(problem, rule, "honest", problem.Q.copy())



def single_optimum(problem: DecisionProblem, rule: ScoringRule) -> MechanismResult:
    """The report that maximises one predictor's expected score (see :func:`optimal_reports`)."""
    return mechanism_result(problem, rule, "single predictor", optimal_reports(problem, rule))


def zero_sum_equilibrium(problem: DecisionProblem, rule: ScoringRule, pair_rule: str = "optimistic") -> MechanismResult:
    """Both predictors honest: an equilibrium of the zero-sum game (against an honest opponent no
    report earns more than 0 in expectation, whatever the human then does, since the rule is proper).
    The note gives the best deviation gain found by :func:`best_deviation_gain` as a check. It need not be
    the only equilibrium: :func:`core.decisions.equilibria.dishonest_equilibrium` looks for one in which the
    human loses."""
    check_rule(rule)
    probs = problem.action_probs(problem.pair_values(problem.Q, problem.Q, pair_rule))
    gain = best_deviation_gain(problem, rule, problem.Q, pair_rule)
    return mechanism_result(problem, rule, "zero-sum pair", problem.Q.copy(), probs,
                   note=f"best unilateral deviation gains {gain:.2g}")



def joint_honest(problem: DecisionProblem, rule: ScoringRule, k: int, joint_rule: str = "optimistic") -> MechanismResult:
    """k predictors, all honest, under the joint rule (each paid its score minus the others' mean) with the human
    combining their reports by ``joint_rule`` (:data:`JOINT_RULES`). Against k − 1 honest others no report
    earns more than 0 in expectation, whatever the human then does, since the rule is proper; the note gives
    the best deviation gain :func:`best_deviation_gain` finds, as a check."""
    check_rule(rule)
    if not 2 <= k <= MAX_JOINT:
        raise ValueError(f"k: give a number of predictors from 2 to {MAX_JOINT}, not {k}")
    truth = np.repeat(problem.Q[None], k, axis=0)
    probs = problem.combined_action_probs(truth, joint_rule)
    gain = best_deviation_gain(problem, rule, truth[1:], joint_rule)
    return mechanism_result(problem, rule, f"{k} predictors, joint rule ({joint_rule})", problem.Q.copy(), probs,
                            note=f"best unilateral deviation gains {gain:.2g}")


def mechanisms(problem: DecisionProblem, rule: ScoringRule, pair_rule: str = "optimistic") -> list[MechanismResult]:
    """Honest reports, the single score-maximising predictor, and the zero-sum pair."""
    return [honest(problem, rule), single_optimum(problem, rule), zero_sum_equilibrium(problem, rule, pair_rule)]

