"""Conditional predictions for a decision maker (docs/theory.md#conditional-predictions; Hudson & Treutlein 2023).

The predictor reports, for every action a, a distribution P[a] of the outcomes if a is taken. The
human values action a at V[a] = Σ_ω P[a, ω] U[a, ω] and acts on those values (best response with
ties split evenly, or softmax with rationality β, with ε-exploration on top). The predictor is
scored only on the action taken: S(P[a], ω) with ω ~ Q[a], the true conditional distribution.

With k predictors the human combines their values per action, by the most optimistic (``"optimistic"``) or
their mean (``"mean"``), and they play a zero-sum game: predictor i earns S(Pⁱ[a], ω) less the mean of the
others' S(Pʲ[a], ω) (for two: S(P¹[a], ω) − S(P²[a], ω)). Reports are arrays of shape ``(..., m, n)``, those of
k predictors ``(..., k, m, n)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.choice import ChoiceRule, explore
from core.model.worlds import PolicyWorld

PAIR_RULES = {"optimistic": "the more optimistic report", "mean": "the mean of the two reports"}
#: How a human combines the reports of k predictors under the joint rule (Hudson 2024): the pair's rules, or the
#: reports of one predictor drawn at random (each with probability 1/k).
JOINT_RULES = {"optimistic": "the most optimistic report", "mean": "the mean of the reports",
               "random": "one predictor's reports, drawn at random"}
#: Reports are kept this far inside the simplex by the optimisers (the log score is −∞ on its faces).
FLOOR = 1e-9


@dataclass(frozen=True)
class DecisionProblem:
    """A human who acts on conditional reports: a policy world whose Q are the true conditionals (m × n), whose U
    are the human's utilities and whose policy, β and ε say how the human decides; the explorer's one human model
    (:class:`core.model.worlds.PolicyWorld`), read per action instead of per outcome.

    The threshold policy reads one forecast of the outcomes, not one value per action: the decision setting
    refuses it, naming ``world.policy``.
    """

    world: PolicyWorld

    def __post_init__(self) -> None:
        if self.world.policy not in ("best_response", "softmax"):
            raise ValueError(
                f"world.policy: the decision setting needs a best-response or softmax human, not {self.world.policy!r} "
                "(a threshold reads one forecast of the outcomes; here the human compares one value per action)"
            )

    @classmethod
    def of(cls, Q: np.ndarray, U: np.ndarray, policy: str = "best_response", beta: float = 5.0,
           epsilon: float = 0.0) -> DecisionProblem:
        """The problem with these conditionals and utilities (actions named ``action 1 .. m``)."""
        actions = tuple(f"action {a + 1}" for a in range(len(Q)))
        return cls(PolicyWorld(actions=actions, Q=Q, U=U, policy=policy, beta=beta, epsilon=epsilon))

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> DecisionProblem:
        if not isinstance(scenario.world, PolicyWorld):
            raise ValueError("world: the decision setting needs a human response policy (actions, Q and U)")
        return cls(scenario.world)

    @property
    def Q(self) -> np.ndarray:  # noqa: N802 (the papers' name)
        return self.world.q

    @property
    def U(self) -> np.ndarray:  # noqa: N802
        return self.world.u

    @property
    def policy(self) -> str:
        return self.world.policy

    @property
    def beta(self) -> float:
        return self.world.beta

    @property
    def epsilon(self) -> float:
        return self.world.epsilon

    @property
    def m(self) -> int:
        return self.world.m

    def with_epsilon(self, epsilon: float) -> DecisionProblem:
        """The same problem with a human who explores with probability ε."""
        return DecisionProblem(replace(self.world, epsilon=epsilon))

    def values(self, reports: np.ndarray) -> np.ndarray:
        """V[a] = Σ_ω P[a, ω] U[a, ω], shape ``(..., m)``."""
        return np.sum(np.asarray(reports) * self.U, axis=-1)

    def least_attractive(self, action: int, floor: float = 0.0) -> np.ndarray:
        """The report for ``action`` that the human values least: all mass on its worst outcome, with
        ``floor`` spread over the outcomes (an interior point where the log score stays finite)."""
        n = self.Q.shape[1]
        report = np.full(n, floor / n)
        report[np.argmin(self.U[action])] += 1.0 - floor
        return report

    def combined_weights(self, reports: np.ndarray, pair_rule: str) -> np.ndarray:
        """How much each predictor's value of each action counts in the value the human uses, for reports of k
        predictors ``(..., k, m, n)``: under the optimistic rule 1 for the most optimistic report (the first on
        ties) and 0 for the others; under the mean rule 1/k each. Shape ``(..., k, m)``; the human's value is
        Σ_i w_i V_i."""
        if pair_rule not in PAIR_RULES:
            raise ValueError(f"pair_rule: choose one of {', '.join(PAIR_RULES)}, not {pair_rule!r}")
        values = self.values(reports)
        k = values.shape[-2]
        if pair_rule == "optimistic":
            first_best = np.argmax(values, axis=-2)
            return (np.arange(k)[:, None] == first_best[..., None, :]).astype(float)
        return np.full(values.shape, 1.0 / k)

    def combined_values(self, reports: np.ndarray, pair_rule: str) -> np.ndarray:
        """The value of each action to a human who combines k predictors' reports ``(..., k, m, n)``."""
        return np.sum(self.combined_weights(reports, pair_rule) * self.values(reports), axis=-2)

    def pair_weights(self, first: np.ndarray, second: np.ndarray, pair_rule: str) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`combined_weights` of two predictors, as (w¹, w²)."""
        w = self.combined_weights(_stacked(first, second), pair_rule)
        return w[..., 0, :], w[..., 1, :]

    def pair_values(self, first: np.ndarray, second: np.ndarray, pair_rule: str) -> np.ndarray:
        """:meth:`combined_values` of two predictors."""
        return self.combined_values(_stacked(first, second), pair_rule)

    def combined_action_probs(self, reports: np.ndarray, pair_rule: str) -> np.ndarray:
        """The human's action probabilities from k predictors' reports ``(..., k, m, n)`` under one of
        :data:`JOINT_RULES`: the choice on the combined values, or (``"random"``) the mean of the choices each
        predictor's own reports would bring about."""
        if pair_rule not in JOINT_RULES:
            raise ValueError(f"pair_rule: choose one of {', '.join(JOINT_RULES)}, not {pair_rule!r}")
        if pair_rule == "random":
            return np.mean(self.action_probs(self.values(reports)), axis=-2)
        return self.action_probs(self.combined_values(reports, pair_rule))

    @property
    def choice(self) -> ChoiceRule:
        return self.world.choice

    def action_probs(self, values: np.ndarray) -> np.ndarray:
        """The human's action probabilities (with ε-exploration) from the values of the actions."""
        return explore(self.choice.probs(values), self.epsilon)

    def human_utility(self, probs: np.ndarray) -> np.ndarray:
        """The human's expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω]."""
        return self.world.expected_utility(None, probs)


def check_rule(rule: ScoringRule) -> None:
    """``ValueError`` naming the rule unless it is proper: the zero-sum argument (honesty is an equilibrium of the
    predictors' game) rests on properness."""
    if not rule.spec.proper:
        raise ValueError(f"rule: the zero-sum argument needs a proper scoring rule, not {rule.kind} "
                         "(choose a proper one, such as quadratic or log)")


def unsuitable(scenario: Scenario) -> str | None:
    """Why the decision setting cannot take this scenario, as a sentence ("needs … (the reason)"), or ``None`` when
    it can: the Decisions page shows it in place of its view, the export refuses with it."""
    try:
        DecisionProblem.from_scenario(scenario)
        check_rule(scenario.rule)
    except ValueError as err:
        return f"needs a human who best-responds or uses softmax, and a proper scoring rule ({err})"
    return None


def _stacked(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    first, second = np.broadcast_arrays(np.asarray(first, dtype=float), np.asarray(second, dtype=float))
    return np.stack([first, second], axis=-3)


def action_scores(problem: DecisionProblem, rule: ScoringRule, reports: np.ndarray) -> np.ndarray:
    """S(P[a], Q[a]) for every action, shape ``(..., m)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return rule.expected(reports, problem.Q)


def expected_score(problem: DecisionProblem, rule: ScoringRule, reports: np.ndarray) -> np.ndarray:
    """A single predictor's expected score: Σ_a π_a(P) S(P[a], Q[a])."""
    probs = problem.action_probs(problem.values(reports))
    return weighted(probs, action_scores(problem, rule, reports))


def weighted(probs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Σ_a π_a score_a over the actions played (an unplayed action's score may be −∞ and does not count)."""
    with np.errstate(invalid="ignore"):
        return np.where(probs > 0, probs * scores, 0.0).sum(axis=-1)


def zero_sum_gains(problem: DecisionProblem, rule: ScoringRule, reports: np.ndarray, pair_rule: str) -> np.ndarray:
    """Each of k predictors' expected zero-sum payoff, reports ``(..., k, m, n)``: Σ_a π_a [S(Pⁱ[a], Q[a]) − the
    mean over the others j of S(Pʲ[a], Q[a])], shape ``(..., k)`` (they sum to 0); ``pair_rule`` is one of
    :data:`JOINT_RULES` (the human's action probabilities π from :meth:`DecisionProblem.combined_action_probs`)."""
    reports = np.asarray(reports, dtype=float)
    probs = problem.combined_action_probs(reports, pair_rule)
    scores = action_scores(problem, rule, reports)  # (..., k, m)
    k = scores.shape[-2]
    others = (np.sum(scores, axis=-2, keepdims=True) - scores) / (k - 1)
    return weighted(probs[..., None, :], scores - others)


def pair_gain(problem: DecisionProblem, rule: ScoringRule, first: np.ndarray, second: np.ndarray,
              pair_rule: str) -> np.ndarray:
    """Predictor 1's expected zero-sum payoff against predictor 2: Σ_a π_a [S(P¹[a], Q[a]) − S(P²[a], Q[a])]
    (:func:`zero_sum_gains` of the two)."""
    return zero_sum_gains(problem, rule, _stacked(first, second), pair_rule)[..., 0]


def gain_against(problem: DecisionProblem, rule: ScoringRule, first: np.ndarray, others: np.ndarray,
                 pair_rule: str) -> np.ndarray:
    """Predictor 1's expected zero-sum payoff for each of its reports ``first`` ``(..., m, n)`` against the same
    k − 1 others ``(k − 1, m, n)`` (:func:`zero_sum_gains`)."""
    first = np.asarray(first, dtype=float)
    others = np.broadcast_to(np.asarray(others, dtype=float), first.shape[:-2] + np.shape(others))
    return zero_sum_gains(problem, rule, np.concatenate([first[..., None, :, :], others], axis=-3), pair_rule)[..., 0]
