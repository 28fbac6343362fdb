"""Conditional predictions for a decision maker (docs/theory.md#conditional-predictions; Hudson & Treutlein 2023).

The predictor reports, for every action a, a distribution P[a] of the outcomes if a is taken. The
human values action a at V[a] = Σ_ω P[a, ω] U[a, ω] and acts on those values (best response with
ties split evenly, or softmax with rationality β, with ε-exploration on top). The predictor is
scored only on the action taken: S(P[a], ω) with ω ~ Q[a], the true conditional distribution.

With two predictors the human combines their values per action, by the more optimistic of the two
(``"optimistic"``) or their mean (``"mean"``), and the pair plays a zero-sum game: predictor 1 earns
S(P¹[a], ω) − S(P²[a], ω). Reports are arrays of shape ``(..., m, n)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.choice import BestResponse, ChoiceRule, Softmax, expected_utility, explore
from core.model.worlds import PolicyWorld

PAIR_RULES = {"optimistic": "the more optimistic report", "mean": "the mean of the two reports"}
#: Reports are kept this far inside the simplex by the optimisers (the log score is −∞ on its faces).
FLOOR = 1e-9


@dataclass(frozen=True)
class DecisionProblem:
    """True conditionals Q (m × n), the human's utilities U (m × n) and how the human decides."""

    Q: np.ndarray
    U: np.ndarray
    policy: str = "best_response"
    beta: float = 5.0
    epsilon: float = 0.0

    @classmethod
    def from_world(cls, world: PolicyWorld) -> "DecisionProblem":
        """Read a policy world as a decision problem: its Q are the conditionals, its policy the human's."""
        if world.policy not in ("best_response", "softmax"):
            raise ValueError(
                f"world.policy: the decision setting needs a best-response or softmax human, not {world.policy!r}"
            )
        return cls(Q=world.q, U=world.u, policy=world.policy, beta=world.beta, epsilon=world.epsilon)

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> "DecisionProblem":
        if not isinstance(scenario.world, PolicyWorld):
            raise ValueError("world: the decision setting needs a human response policy (actions, Q and U)")
        return cls.from_world(scenario.world)

    @property
    def m(self) -> int:
        return self.Q.shape[0]

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

    def pair_weights(self, first: np.ndarray, second: np.ndarray, pair_rule: str) -> tuple[np.ndarray, np.ndarray]:
        """How much each predictor's value of each action counts in the value the human uses: under the
        optimistic rule 1 for the more optimistic report (the first on ties) and 0 for the other; under the
        mean rule ½ each. The human's value is w¹ V¹ + w² V²."""
        if pair_rule not in PAIR_RULES:
            raise ValueError(f"pair_rule: choose one of {', '.join(PAIR_RULES)}, not {pair_rule!r}")
        v1, v2 = self.values(first), self.values(second)
        if pair_rule == "optimistic":
            w1 = (v1 >= v2).astype(float)
            return w1, 1.0 - w1
        half = np.full_like(v1, 0.5)
        return half, half

    def pair_values(self, first: np.ndarray, second: np.ndarray, pair_rule: str) -> np.ndarray:
        """The value of each action to a human who combines two predictors' reports by ``pair_rule``."""
        w1, w2 = self.pair_weights(first, second, pair_rule)
        return w1 * self.values(first) + w2 * self.values(second)

    @property
    def choice(self) -> ChoiceRule:
        return Softmax(self.beta) if self.policy == "softmax" else BestResponse()

    def action_probs(self, values: np.ndarray) -> np.ndarray:
        """The human's action probabilities (with ε-exploration) from the values of the actions."""
        return explore(self.choice.probs(values), self.epsilon)

    def human_utility(self, probs: np.ndarray) -> np.ndarray:
        """The human's expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω]."""
        return expected_utility(probs, self.Q, self.U)


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


def pair_gain(problem: DecisionProblem, rule: ScoringRule, first: np.ndarray, second: np.ndarray,
              pair_rule: str) -> np.ndarray:
    """Predictor 1's expected zero-sum payoff Σ_a π_a [S(P¹[a], Q[a]) − S(P²[a], Q[a])]."""
    probs = problem.action_probs(problem.pair_values(first, second, pair_rule))
    diff = action_scores(problem, rule, first) - action_scores(problem, rule, second)
    return weighted(probs, diff)


