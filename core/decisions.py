"""Conditional predictions for a decision maker (THEORY.md §4; Hudson & Treutlein 2023).

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
from scipy.optimize import minimize

from core.rules import ScoringRule
from core.scenario import Scenario
from core.simplex import as_simplex
from core.worlds import PolicyWorld, choice_probs

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

    def pair_values(self, first: np.ndarray, second: np.ndarray, pair_rule: str) -> np.ndarray:
        if pair_rule not in PAIR_RULES:
            raise ValueError(f"pair_rule: choose one of {', '.join(PAIR_RULES)}, not {pair_rule!r}")
        v1, v2 = self.values(first), self.values(second)
        return np.maximum(v1, v2) if pair_rule == "optimistic" else 0.5 * (v1 + v2)

    def base_policy(self, values: np.ndarray) -> np.ndarray:
        """The human's action probabilities before exploration."""
        return choice_probs(values, self.policy, self.beta)

    def action_probs(self, values: np.ndarray) -> np.ndarray:
        return (1.0 - self.epsilon) * self.base_policy(values) + self.epsilon / self.m

    def human_utility(self, probs: np.ndarray) -> np.ndarray:
        """The human's expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω]."""
        return np.asarray(probs) @ np.sum(self.Q * self.U, axis=1)


@dataclass(frozen=True)
class Outcome:
    """What a mechanism produces: the reports, the human's actions, and what everyone gets."""

    name: str
    reports: np.ndarray
    action_probs: np.ndarray
    score: float  # the (first) predictor's expected score Σ_a π_a S(P[a], Q[a])
    human_utility: float
    distance: float  # max over actions of ‖P[a] − Q[a]‖₂
    distance_played: float  # the same over actions played with positive probability
    note: str = ""


def action_scores(problem: DecisionProblem, rule: ScoringRule, reports: np.ndarray) -> np.ndarray:
    """S(P[a], Q[a]) for every action, shape ``(..., m)``."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return rule.expected(reports, problem.Q)


def expected_score(problem: DecisionProblem, rule: ScoringRule, reports: np.ndarray) -> np.ndarray:
    """A single predictor's expected score: Σ_a π_a(P) S(P[a], Q[a])."""
    probs = problem.action_probs(problem.values(reports))
    return _weighted(probs, action_scores(problem, rule, reports))


def _weighted(probs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.where(probs > 0, probs * scores, 0.0).sum(axis=-1)


def outcome(problem: DecisionProblem, rule: ScoringRule, name: str, reports: np.ndarray,
            probs: np.ndarray | None = None, note: str = "") -> Outcome:
    reports = np.asarray(reports, dtype=float)
    probs = problem.action_probs(problem.values(reports)) if probs is None else probs
    gaps = np.linalg.norm(reports - problem.Q, axis=-1)
    return Outcome(name=name, reports=reports, action_probs=probs,
                   score=float(_weighted(probs, action_scores(problem, rule, reports))),
                   human_utility=float(problem.human_utility(probs)), distance=float(gaps.max()),
                   distance_played=float(gaps[probs > 1e-12].max()), note=note)


def honest(problem: DecisionProblem, rule: ScoringRule) -> Outcome:
    """Truthful reports P = Q for every action."""
    return outcome(problem, rule, "honest", problem.Q.copy())


def single_optimum(problem: DecisionProblem, rule: ScoringRule) -> Outcome:
    """The report that maximises one predictor's expected score, found globally.

    A best-responding human: for every action a the predictor could steer the human to, maximise
    the score over the polytope of reports under which a is (weakly) best; this is a smooth
    problem with linear constraints, so no gradient ever has to cross a step of the decision rule.
    Among optimal reports the least dishonest one is shown for actions that are never played. A softmax human: multi-start optimisation from the honest report and from a
    report steering towards each action.
    """
    if problem.policy == "best_response":
        candidates = [_steer(problem, rule, a) for a in range(problem.m)]
    else:
        candidates = [_softmax_search(problem, rule, start) for start in _starts(problem)]
    candidates.append(problem.Q.copy())
    scores = [float(expected_score(problem, rule, c)) for c in candidates]
    best = candidates[int(np.argmax(scores))]
    return outcome(problem, rule, "single predictor", best)


def _steer(problem: DecisionProblem, rule: ScoringRule, target: int) -> np.ndarray:
    """The best reports among those under which the human prefers ``target`` (by a hair, so that
    ties never split), or the honest reports if no report makes ``target`` best."""
    m, n = problem.Q.shape
    margin = 1e-7 * (1.0 + np.abs(problem.U).max())
    if problem.epsilon == 0:
        return _steer_unexplored(problem, rule, target, margin)
    weights = np.full(m, problem.epsilon / m)
    weights[target] += 1.0 - problem.epsilon
    start = problem.Q.copy()
    values = problem.values(start)
    if np.any(np.delete(values[target] - values, target) < margin):
        for b in range(m):
            if b != target:  # start from the least attractive report for the other actions
                start[b] = np.full(n, FLOOR)
                start[b][np.argmin(problem.U[b])] = 1.0

    def target_is_best(x: np.ndarray) -> np.ndarray:
        v = problem.values(x.reshape(m, n))
        return np.delete(v[target] - v, target) - margin

    # The constraints are linear in the reports: row b of the Jacobian is U[target] on the target's
    # block minus U[b] on b's block.
    lead = np.zeros((m, m, n))
    lead[:, target] = problem.U[target]
    lead[np.arange(m), np.arange(m)] -= problem.U
    lead_jac = np.delete(lead, target, axis=0).reshape(m - 1, m * n)
    best = {"type": "ineq", "fun": target_is_best, "jac": lambda x: lead_jac}
    p = _maximise(rule, problem.Q, weights, start, [best])
    return problem.Q.copy() if np.any(target_is_best(p.ravel()) < -1e-9) else p


def _steer_unexplored(problem: DecisionProblem, rule: ScoringRule, target: int, margin: float) -> np.ndarray:
    """Without exploration only the target's report is scored. The others can be made as unattractive
    as their utilities allow (all mass on their worst outcome), so the target's report must clear the
    best of those floors; then each other report is the least dishonest one that stays below it."""
    floor = max(problem.U[b].min() for b in range(problem.m) if b != target) + margin
    u = problem.U[target]
    if u.max() < floor:
        return problem.Q.copy()
    p = problem.Q.copy()
    if p[target] @ u < floor:
        clears = {"type": "ineq", "fun": lambda x: x @ u - floor, "jac": lambda x: u[None]}
        best_start = np.full_like(u, FLOOR)
        best_start[np.argmax(u)] = 1.0
        p[target] = _maximise(rule, problem.Q[target][None], np.ones(1), best_start[None], [clears])[0]
    ceiling = p[target] @ u - margin
    for b in range(problem.m):
        if b != target and p[b] @ problem.U[b] > ceiling:
            keep_below = {"type": "ineq", "fun": lambda x, b=b: ceiling - x @ problem.U[b],
                          "jac": lambda x, b=b: -problem.U[b][None]}
            p[b] = _maximise(rule, problem.Q[b][None], np.ones(1), _feasible_start(problem, b, ceiling, p[b]),
                             [keep_below])[0]
    return p


def _feasible_start(problem: DecisionProblem, b: int, ceiling: float, fallback: np.ndarray) -> np.ndarray:
    """The point nearest the truth on the segment from the least attractive report to Q[b] whose value
    stays below ``ceiling`` (an interior start, where the log score's gradient is tame)."""
    worst = np.full(problem.Q.shape[1], 0.0)
    worst[np.argmin(problem.U[b])] = 1.0
    v_worst, v_true = worst @ problem.U[b], problem.Q[b] @ problem.U[b]
    if v_true <= ceiling:
        return problem.Q[b][None].copy()
    if v_true - v_worst <= 0 or ceiling < v_worst:
        return fallback[None]
    t = 0.999 * (ceiling - v_worst) / (v_true - v_worst)
    return ((1 - t) * worst + t * problem.Q[b])[None]


def _maximise(rule: ScoringRule, truth: np.ndarray, weights: np.ndarray, start: np.ndarray,
              constraints: list[dict]) -> np.ndarray:
    """Maximise Σ_a weights[a] S(P[a], truth[a]) over reports on the simplex, by SLSQP."""
    m, n = truth.shape

    def objective(x: np.ndarray) -> float:
        return -float(weights @ rule.expected(x.reshape(m, n), truth))

    def gradient(x: np.ndarray) -> np.ndarray:
        return -(weights[:, None] * rule.expected_gradient(x.reshape(m, n), truth)).ravel()

    blocks = np.kron(np.eye(m), np.ones(n))  # row a sums block a
    rows = {"type": "eq", "fun": lambda x: blocks @ x - 1.0, "jac": lambda x: blocks}
    res = minimize(objective, np.clip(start, FLOOR, 1.0).ravel(), jac=gradient, method="SLSQP",
                   bounds=[(FLOOR, 1.0)] * (m * n), constraints=[rows, *constraints],
                   options={"ftol": 1e-13, "maxiter": 300})
    p = np.clip(res.x.reshape(m, n), FLOOR, None)
    return p / p.sum(axis=1, keepdims=True)


def _starts(problem: DecisionProblem) -> list[np.ndarray]:
    m, n = problem.Q.shape
    starts = [problem.Q.copy()]
    for target in range(m):
        s = problem.Q.copy()
        for b in range(m):
            if b != target:
                s[b] = np.full(n, 0.02 / n)
                s[b][np.argmin(problem.U[b])] += 0.98
        starts.append(s)
    return starts


def _softmax_search(problem: DecisionProblem, rule: ScoringRule, start: np.ndarray) -> np.ndarray:
    m, n = problem.Q.shape

    def reports(theta: np.ndarray) -> np.ndarray:
        z = theta.reshape(m, n)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        return np.clip(z / z.sum(axis=1, keepdims=True), FLOOR, 1.0)

    def negative(theta: np.ndarray) -> float:
        value = float(expected_score(problem, rule, reports(theta)))
        return -value if np.isfinite(value) else 1e300

    # The objective is smooth for a softmax human: a quasi-Newton search from each start.
    res = minimize(negative, np.log(np.clip(start, FLOOR, 1.0)).ravel(), method="L-BFGS-B",
                   options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-12})
    if m * n <= 12:  # small problems: polish with a derivative-free search, free of finite-difference error
        res = minimize(negative, res.x, method="Powell", options={"xtol": 1e-10, "ftol": 1e-14, "maxiter": 20000})
    return reports(res.x)


def zero_sum_equilibrium(problem: DecisionProblem, rule: ScoringRule, pair_rule: str = "optimistic") -> Outcome:
    """Both predictors honest: an equilibrium of the zero-sum game (against an honest opponent no
    report earns more than 0 in expectation, whatever the human then does, since the rule is proper).
    The note gives the best deviation gain found by :func:`best_deviation_gain` as a check."""
    if not rule.spec.proper:
        raise ValueError(f"rule: the zero-sum argument needs a proper scoring rule, not {rule.kind}")
    probs = problem.action_probs(problem.pair_values(problem.Q, problem.Q, pair_rule))
    gain = best_deviation_gain(problem, rule, problem.Q, pair_rule)
    return outcome(problem, rule, "zero-sum pair", problem.Q.copy(), probs,
                   note=f"best unilateral deviation gains {gain:.2g}")


def pair_gain(problem: DecisionProblem, rule: ScoringRule, first: np.ndarray, second: np.ndarray,
              pair_rule: str) -> np.ndarray:
    """Predictor 1's expected zero-sum payoff Σ_a π_a [S(P¹[a], Q[a]) − S(P²[a], Q[a])]."""
    probs = problem.action_probs(problem.pair_values(first, second, pair_rule))
    diff = action_scores(problem, rule, first) - action_scores(problem, rule, second)
    return _weighted(probs, diff)


def best_deviation_gain(problem: DecisionProblem, rule: ScoringRule, opponent: np.ndarray, pair_rule: str,
                        samples: int = 4000, rng: np.random.Generator | None = None) -> float:
    """The largest zero-sum payoff predictor 1 finds against ``opponent``: random reports (Dirichlet
    samples, a non-local search) refined by Nelder–Mead from the best few."""
    rng = np.random.default_rng(0) if rng is None else rng
    m, n = problem.Q.shape
    cands = rng.dirichlet(np.ones(n), size=(samples, m))
    cands = np.concatenate([cands, problem.Q[None], opponent[None]])
    gains = pair_gain(problem, rule, np.clip(cands, FLOOR, 1.0), opponent, pair_rule)
    gains = np.where(np.isfinite(gains), gains, -np.inf)
    best = float(gains.max())
    for i in np.argsort(-gains)[:3]:
        def negative(theta: np.ndarray) -> float:
            z = np.exp(theta.reshape(m, n))
            p = np.clip(z / z.sum(axis=1, keepdims=True), FLOOR, 1.0)
            value = float(pair_gain(problem, rule, p, opponent, pair_rule))
            return -value if np.isfinite(value) else 1e300

        res = minimize(negative, np.log(np.clip(cands[i], FLOOR, 1.0)).ravel(), method="Nelder-Mead",
                       options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 4000})
        best = max(best, -float(res.fun))
    return best


def mechanisms(problem: DecisionProblem, rule: ScoringRule, pair_rule: str = "optimistic") -> list[Outcome]:
    """Honest reports, the single score-maximising predictor, and the zero-sum pair."""
    return [honest(problem, rule), single_optimum(problem, rule), zero_sum_equilibrium(problem, rule, pair_rule)]
