"""The single score-maximising predictor's reports: it steers the human to the action whose outcome
it predicts best (docs/theory.md#conditional-predictions)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from core.decisions.problem import FLOOR, DecisionProblem, expected_score
from core.model.choice import softmax
from core.model.rules import ScoringRule


def optimal_reports(problem: DecisionProblem, rule: ScoringRule) -> np.ndarray:
    """The reports (m × n) that maximise one predictor's expected score, found globally.

    A best-responding human: for every action a the predictor could steer the human to, maximise
    the score over the polytope of reports under which a is (weakly) best; this is a smooth
    problem with linear constraints, so no gradient ever has to cross a step of the decision rule.
    Among optimal reports the least dishonest one is shown for actions that are never played.
    A softmax human: multi-start optimisation from the honest report and from a report steering
    towards each action.
    """
    if problem.policy == "best_response":
        candidates = [_steer(problem, rule, a) for a in range(problem.m)]
    else:
        candidates = [_softmax_search(problem, rule, start) for start in _starts(problem)]
    candidates.append(problem.Q.copy())
    scores = [float(expected_score(problem, rule, c)) for c in candidates]
    return candidates[int(np.argmax(scores))]


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
                start[b] = problem.least_attractive(b, FLOOR)

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
    worst = problem.least_attractive(b)
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
                s[b] = problem.least_attractive(b, 0.02)
        starts.append(s)
    return starts


def _softmax_search(problem: DecisionProblem, rule: ScoringRule, start: np.ndarray) -> np.ndarray:
    m, n = problem.Q.shape

    def reports(theta: np.ndarray) -> np.ndarray:
        return np.clip(softmax(theta.reshape(m, n)), FLOOR, 1.0)

    def negative(theta: np.ndarray) -> float:
        value = float(expected_score(problem, rule, reports(theta)))
        return -value if np.isfinite(value) else 1e300

    # The objective is smooth for a softmax human: a quasi-Newton search from each start.
    res = minimize(negative, np.log(np.clip(start, FLOOR, 1.0)).ravel(), method="L-BFGS-B",
                   options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-12})
    if m * n <= 12:  # small problems: polish with a derivative-free search, free of finite-difference error
        res = minimize(negative, res.x, method="Powell", options={"xtol": 1e-10, "ftol": 1e-14, "maxiter": 20000})
    return reports(res.x)


