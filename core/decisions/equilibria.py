"""Equilibria of the zero-sum pair, computed: is there one in which the human does not take a best action?

Two predictors report P¹, P² (m × n); the human combines their values V¹[a], V²[a] per action by the pair
rule (the larger, "optimistic", or the mean) and acts on the combined values; predictor 1 earns
Σ_a π_a [S(P¹[a], Q[a]) − S(P²[a], Q[a])] and predictor 2 the negative. A *dishonest equilibrium* is an
equilibrium in which the human's true expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω] is below that of honest
reports (for a best-responding human: some action taken is not a best one).

The reasoning (S strictly proper; q_a = Σ_ω Q[a, ω] U[a, ω] the true value of action a, q* = max_a q_a):

1. *Equilibria are pairs of safe reports.* The game is symmetric and zero-sum, and the honest pair (Q, Q)
   is an equilibrium (against an honest opponent a report P earns Σ_a π_a [S(P[a], Q[a]) − S(Q[a], Q[a])] ≤ 0
   whatever the human then does, by properness), so its value is 0 and (P¹, P²) is an equilibrium iff both
   P¹ and P² are *safe*: no report earns a positive payoff against them.
2. *Every action scored (ε > 0, or a softmax human): only honesty is safe.* Against a safe P the honest
   deviation R = Q earns Σ_a π_a [S(Q[a], Q[a]) − S(P[a], Q[a])], > 0 unless P[a] = Q[a] wherever π_a > 0.
   With every π_a > 0 the only equilibrium is (Q, Q): no dishonest equilibrium, under either rule.
3. *Optimistic rule, best response, ε = 0: none* (Hudson & Treutlein 2023). Let P be safe. Under (Q, P)
   the human sees max(q_c, V_P[c]); an action a' taken there is one where P is honest (step 2's deviation),
   so its combined value is q_{a'}, and it is at least max(q_b, ·) ≥ q* for a best b: q_{a'} = q* and
   V_P[c] ≤ q* for every c. Now take an equilibrium (P¹, P²): every combined value is ≤ q*, and q* is attained
   (by the action taken under (Q, P²), where P² is honest). If a non-best a were taken, V^i[a] = q* > q_a for
   some i; but then a is taken under (Q, Pⁱ) too (its combined value there is q*, the maximum), so Pⁱ is
   honest on a: V^i[a] = q_a, a contradiction. Every equilibrium takes best actions only.
4. *Mean rule, best response, ε = 0: unplayed actions are never scored.* Against P, a deviator R can push
   every action d down to the combined value ½(min_ω U[d, ω] + V_P[d]) (all its mass on d's worst outcome),
   and can raise an action b to at most ½(max_ω U[b, ω] + V_P[b]). Call M_b the largest floor of the other
   actions. It gains on b only where P[b] ≠ Q[b], only if b is taken, and (taking b alone) iff some report
   R[b] with U[b]·R[b] > t_b = 2 M_b − V_P[b] scores more than P[b]: the best score over that half-space,
   φ_b(max(t_b, q_b)) with φ_b(u) = max {S(R, Q[b]) : U[b]·R = u}, beats S(P[b], Q[b]). If t_b equals the
   largest value max_ω U[b, ω], b can only tie with the actions stuck at their floors M_b (the human then
   splits evenly, so the deviator also earns the (usually negative) score differences on those): the
   deviation gains iff that average is positive, computed below. A positive gain at any other tie would also
   be had by raising b a little more, alone. So P is safe iff none of these gains is positive
   (:func:`mean_rule_threat`).
   The pessimistic candidates: both predictors report the truth on one action a and put all mass (up to
   :data:`~core.decisions.problem.FLOOR`) on the worst outcome of every other action. The human takes a
   (if q_a beats the others' worst utilities), and the pair is an equilibrium iff these reports are safe.
   Example (risky/safe): q = (0.8, 0.6), the safe action's utility is 0.6 whatever happens; against the
   report "risky always fails" one predictor lifts the mean value of "risky" to at most ½(1 + 0) = 0.5 <
   0.6 and cannot lower "safe", so nothing it reports is scored on "risky": an equilibrium with utility 0.6.
   This search covers the pessimistic equilibria only: when it finds none, other dishonest equilibria of
   the mean rule (with less pessimistic reports, or predictors that disagree) are not excluded, and
   :attr:`EquilibriumAnalysis.exact` is False. (For two actions and two outcomes the tests find the same worst
   equilibrium as a brute force over all grid reports of both predictors.)

Every equilibrium reported is checked numerically with :func:`best_deviation_gain` against both predictors.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize

from core.decisions.deviations import best_deviation_gain
from core.decisions.problem import FLOOR, DecisionProblem, action_scores, check_rule
from core.model.choice import TIE_TOL
from core.model.rules import ScoringRule

#: A deviation gaining less than this counts as no gain (the analysis and the numerical check).
GAIN_TOL = 1e-6
#: The exploration rate at which the page shows that ε > 0 removes a dishonest equilibrium.
DEMO_EPSILON = 0.05


@dataclass(frozen=True)
class Blocked:
    """Why one predictor alone cannot profitably get an unplayed action taken: the highest mean value it can
    give the action (``reach``), and the value it cannot push the others below (``floor``)."""

    action: int
    reach: float
    floor: float
    gain: float  # the best this deviation earns (≤ GAIN_TOL)


@dataclass(frozen=True)
class Equilibrium:
    """A dishonest equilibrium: both predictors' reports and what the human does."""

    truthful: int  # the action both predictors report truthfully (the others: all mass on the worst outcome)
    first: np.ndarray
    second: np.ndarray
    action_probs: np.ndarray
    human_utility: float
    best_utility: float  # the human's utility with honest reports
    deviation_gain: float  # the best deviation best_deviation_gain found against either predictor
    blocked: tuple[Blocked, ...]  # one per action not taken
    truth: np.ndarray  # the true value q_a of each action
    seen: np.ndarray  # the combined value of each action that the human acts on
    reach_low: np.ndarray  # the least combined value one predictor alone can give each action
    reach_high: np.ndarray  # the most


@dataclass(frozen=True)
class EquilibriumAnalysis:
    """Whether the zero-sum pair has a dishonest equilibrium, and the worst one found."""

    pair_rule: str
    dishonest: Equilibrium | None
    exact: bool  # True: "none" is a theorem (steps 2-3 of the module docstring), or one was found
    reason: str  # why there is none (empty when one was found)
    demo_epsilon: float | None = None  # an ε > 0 at which the dishonest reports stop being an equilibrium
    demo_gain: float | None = None  # what a deviation from them earns at demo_epsilon
    demo_honest_gain: float | None = None  # what a deviation from honesty earns at demo_epsilon (≤ GAIN_TOL)


def dishonest_equilibrium(problem: DecisionProblem, rule: ScoringRule, pair_rule: str,
                          check: bool = True) -> EquilibriumAnalysis:
    """Decide whether the zero-sum pair has a dishonest equilibrium under ``pair_rule`` and return the worst
    for the human of those found (see the module docstring for the reasoning; under the mean rule the search
    covers the pessimistic candidates, one per action the human could be held to). ``check``: also run the numerical checks
    (:func:`best_deviation_gain` against both predictors, and at ε = :data:`DEMO_EPSILON`)."""
    check_rule(rule)
    if problem.epsilon > 0 or problem.policy == "softmax":
        why = "exploration" if problem.epsilon > 0 else "the softmax human"
        return EquilibriumAnalysis(pair_rule, None, True, f"{why} takes every action with positive probability, "
                                   "so every report is scored and only honest reports are an equilibrium")
    if pair_rule == "optimistic":
        return EquilibriumAnalysis(pair_rule, None, True, "under the optimistic rule every equilibrium takes a "
                                   "best action (Hudson & Treutlein)")
    found = [e for a in range(problem.m) if (e := _pessimistic(problem, rule, a)) is not None]
    if not found:
        return EquilibriumAnalysis(pair_rule, None, False, "no equilibrium with both predictors truthful on the "
                                   "action taken and pessimistic on the others; other dishonest equilibria of the "
                                   "mean rule are not excluded by this search")
    worst = min(found, key=lambda e: e.human_utility)
    if not check:
        return EquilibriumAnalysis(pair_rule, worst, True, "")
    gain = max(best_deviation_gain(problem, rule, opponent, pair_rule)
               for opponent in _distinct(worst.first, worst.second))
    worst = replace(worst, deviation_gain=gain)
    explored = problem.with_epsilon(DEMO_EPSILON)
    return EquilibriumAnalysis(
        pair_rule, worst, True, "", DEMO_EPSILON,
        best_deviation_gain(explored, rule, worst.second, pair_rule),
        best_deviation_gain(explored, rule, problem.Q, pair_rule))


def _pessimistic(problem: DecisionProblem, rule: ScoringRule, action: int) -> Equilibrium | None:
    """Both predictors truthful on ``action``, all mass on the worst outcome elsewhere: the equilibrium if these
    reports are safe and the human's utility is below honest reports', else ``None``."""
    reports = np.array([problem.least_attractive(b, FLOOR) for b in range(problem.m)])
    reports[action] = problem.Q[action]
    probs = problem.action_probs(problem.values(reports))
    utility = float(problem.human_utility(probs))
    best = float(problem.human_utility(problem.action_probs(problem.values(problem.Q))))
    if utility >= best - GAIN_TOL * (1 + abs(best)):
        return None
    blocked = mean_rule_threat(problem, rule, reports)
    if any(b.gain > GAIN_TOL for b in blocked):
        return None
    values = problem.values(reports)
    return Equilibrium(action, reports, reports.copy(), probs, utility, best, np.nan,
                       tuple(b for b in blocked if probs[b.action] == 0), problem.values(problem.Q), values,
                       0.5 * (problem.U.min(axis=1) + values), 0.5 * (problem.U.max(axis=1) + values))


def mean_rule_threat(problem: DecisionProblem, rule: ScoringRule, opponent: np.ndarray) -> tuple[Blocked, ...]:
    """For every action b on which ``opponent`` is not honest: the best a single deviator earns by getting b
    taken, against a best-responding human (ε = 0) who averages the two predictors' values.

    With V = values(opponent), floors F_d = ½(min U[d] + V[d]) and M_b = max_{d ≠ b} F_d: if
    t_b = 2 M_b − V[b] < max U[b] the deviator takes b alone and earns φ_b(max(t_b, q_b)) − S(P[b], Q[b]);
    if t_b = max U[b] it can only tie with the actions at their floors, and earns the average of
    φ_b(max U[b]) − S(P[b], Q[b]) and φ_d(min U[d]) − S(P[d], Q[d]) over the tied actions (those at M_b, and
    any other it can raise to M_b whose term lifts the average); if t_b > max U[b], b stays out of reach.
    """
    values = problem.values(opponent)
    lo, hi = problem.U.min(axis=1), problem.U.max(axis=1)
    truth = problem.values(problem.Q)
    own = action_scores(problem, rule, opponent)
    floors = 0.5 * (lo + values)
    tol = TIE_TOL * (1 + np.abs(problem.U).max())
    threats = []
    for b in range(problem.m):
        if np.allclose(opponent[b], problem.Q[b], rtol=0, atol=1e-12):
            continue  # an honest report: no deviation earns on b
        others = np.delete(np.arange(problem.m), b)
        level = float(floors[others].max())
        t = 2 * level - values[b]
        if t < hi[b] - tol:
            gain = _best_score(problem, rule, b, max(t, truth[b])) - own[b]
        elif t <= hi[b] + tol:
            terms = [_best_score(problem, rule, b, hi[b]) - own[b]]
            optional = []
            for d in others:
                if floors[d] >= level - tol:
                    terms.append(_best_score(problem, rule, d, lo[d]) - own[d])
                elif 2 * level - values[d] <= hi[d] + tol:
                    optional.append(_best_score(problem, rule, d, 2 * level - values[d]) - own[d])
            for term in sorted(optional, reverse=True):  # join the tie only while it lifts the average
                if term > np.mean(terms):
                    terms.append(term)
            gain = float(np.mean(terms))
        else:
            gain = -np.inf
        threats.append(Blocked(b, float(0.5 * (hi[b] + values[b])), level, float(gain)))
    return tuple(threats)


def _best_score(problem: DecisionProblem, rule: ScoringRule, action: int, value: float) -> float:
    """φ(u) = max {S(R, Q[action]) : R in the simplex, U[action]·R = u}: the best a report that makes the human
    value ``action`` at u can score (a concave maximisation over a slice of the simplex)."""
    q, u = problem.Q[action], problem.U[action]
    n = len(q)
    lowest = problem.least_attractive(action, FLOOR) @ u
    highest = (np.full(n, FLOOR / n) + (1 - FLOOR) * (u == u.max()) / np.sum(u == u.max())) @ u
    value = float(np.clip(value, lowest, highest))
    if np.isclose(value, q @ u, rtol=0, atol=1e-12) or highest - lowest < 1e-12:
        return float(rule.expected(q, q))
    # Start from the mixture of the extreme reports that has the wanted value.
    w = (value - lowest) / (highest - lowest)
    start = (1 - w) * problem.least_attractive(action, FLOOR) + w * (
        np.full(n, FLOOR / n) + (1 - FLOOR) * (u == u.max()) / np.sum(u == u.max()))
    res = minimize(lambda r: -float(rule.expected(r, q)), start, method="SLSQP", bounds=[(FLOOR, 1.0)] * n,
                   constraints=[{"type": "eq", "fun": lambda r: r.sum() - 1.0},
                                {"type": "eq", "fun": lambda r: r @ u - value}],
                   options={"ftol": 1e-14, "maxiter": 500})
    return float(max(-res.fun, rule.expected(start, q)))


def _distinct(first: np.ndarray, second: np.ndarray) -> list[np.ndarray]:
    """The predictors' reports, once if they agree (the game is symmetric: the same check for both)."""
    return [first] if np.array_equal(first, second) else [first, second]
