"""Dishonest equilibria of the zero-sum pair (core.decisions.equilibria), against hand derivations and an
independent brute force.

The risky/safe example (issue 9): outcomes (good, bad); "risky" gives utility 1 if good, 0 if bad, and is good
with probability 0.8, so its true value is 0.8; "safe" gives 0.6 whatever happens. A best-responding human
without exploration. If both predictors report that "risky" always fails, the human sees the values 0 and 0.6
and takes "safe": utility 0.6 instead of 0.8. Under the mean rule one predictor alone can make the human see at
most ½(1 + 0) = 0.5 for "risky" (all its mass on "good"), and "safe" stays at 0.6 whatever it reports, so the
reports on "risky" are never scored and nothing it reports earns anything: an equilibrium.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.decisions import DecisionProblem, best_deviation_gain, dishonest_equilibrium
from core.decisions.equilibria import DEMO_EPSILON, GAIN_TOL
from core.model.presets import get_preset
from core.model.rules import ScoringRule
from tests.core.decisions.test_mechanisms import ref_expected

RISKY_Q = np.array([[0.8, 0.2], [0.5, 0.5]])
RISKY_U = np.array([[1.0, 0.0], [0.6, 0.6]])
KINDS = ["log", "quadratic"]


def risky_safe(epsilon: float = 0.0, policy: str = "best_response") -> DecisionProblem:
    return DecisionProblem.of(RISKY_Q.copy(), RISKY_U.copy(), policy=policy, beta=10.0, epsilon=epsilon)


@pytest.mark.parametrize("kind", KINDS)
def test_risky_safe_has_a_dishonest_equilibrium_under_the_mean_rule(kind: str) -> None:
    analysis = dishonest_equilibrium(risky_safe(), ScoringRule(kind), "mean")
    found = analysis.dishonest
    assert found is not None and analysis.exact
    assert found.human_utility == pytest.approx(0.6, abs=1e-12)  # "safe": 0.6 whatever happens
    assert found.best_utility == pytest.approx(0.8, abs=1e-12)  # honest: "risky", 0.8
    np.testing.assert_array_equal(found.action_probs, [0.0, 1.0])
    assert found.truthful == 1
    for reports in (found.first, found.second):  # "risky always fails" (up to the floor), the truth on "safe"
        assert reports[0, 0] < 1e-8
        np.testing.assert_allclose(reports[1], RISKY_Q[1])
    (blocked,) = found.blocked
    assert blocked.action == 0
    assert blocked.reach == pytest.approx(0.5, abs=1e-8)  # ½(1 + 0)
    assert blocked.floor == pytest.approx(0.6, abs=1e-12)  # "safe" cannot be pushed below 0.6
    assert 0 <= found.deviation_gain <= GAIN_TOL
    # Checked again here, against predictor 1 and predictor 2, with a different random search.
    for opponent in (found.first, found.second):
        gain = best_deviation_gain(risky_safe(), ScoringRule(kind), opponent, "mean", rng=np.random.default_rng(7))
        assert gain <= GAIN_TOL
    np.testing.assert_allclose(found.seen, [found.first[0, 0], 0.6])
    np.testing.assert_allclose(found.reach_high, [0.5, 0.6], atol=1e-8)
    np.testing.assert_allclose(found.reach_low, [0.0, 0.6], atol=1e-8)


@pytest.mark.parametrize("kind", KINDS)
def test_exploration_breaks_the_risky_safe_equilibrium(kind: str) -> None:
    """At ε = 0.05 the human takes "risky" with probability ε/2 = 0.025 at least (its mean value ½(0.8 + 0)
    = 0.4 < 0.6 if the deviator tells the truth), so the honest deviation earns 0.025 [S(Q, Q) − S(P, Q)] on it:
    for the log rule 0.025 (0.8 ln(0.8/x) + 0.2 ln(0.2/(1 − x))) with x the floor, for the quadratic rule
    0.025 · 2 (0.8 − x)²."""
    analysis = dishonest_equilibrium(risky_safe(), ScoringRule(kind), "mean")
    x = analysis.dishonest.first[0, 0]
    divergence = (0.8 * math.log(0.8 / x) + 0.2 * math.log(0.2 / (1 - x)) if kind == "log"
                  else 2 * (0.8 - x) ** 2)
    assert analysis.demo_epsilon == DEMO_EPSILON == 0.05
    assert analysis.demo_gain >= 0.025 * divergence - 1e-9
    assert analysis.demo_honest_gain <= GAIN_TOL
    # And the analysis at ε > 0 itself: every action is scored, only honesty is an equilibrium.
    for pair_rule in ("mean", "optimistic"):
        explored = dishonest_equilibrium(risky_safe(epsilon=0.05), ScoringRule(kind), pair_rule)
        assert explored.dishonest is None and explored.exact
        assert "every action with positive probability" in explored.reason


@pytest.mark.parametrize("kind", KINDS)
def test_none_under_the_optimistic_rule_or_for_a_softmax_human(kind: str) -> None:
    optimistic = dishonest_equilibrium(risky_safe(), ScoringRule(kind), "optimistic")
    assert optimistic.dishonest is None and optimistic.exact
    # The pessimistic reports are not an equilibrium there: one predictor alone lifts "risky" back to 0.8.
    pessimistic = dishonest_equilibrium(risky_safe(), ScoringRule(kind), "mean").dishonest.first
    assert best_deviation_gain(risky_safe(), ScoringRule(kind), pessimistic, "optimistic") > 0.1
    soft = dishonest_equilibrium(risky_safe(policy="softmax"), ScoringRule(kind), "mean")
    assert soft.dishonest is None and soft.exact
    # Checked numerically: a softmax human (β = 10) takes "risky" with probability 1/(1 + e^(10·0.2)) ≈ 0.12
    # when the deviator reports it truthfully (mean value ½(0.8 + 0) = 0.4 against 0.6), so the honest report
    # earns there and the pessimistic reports are no equilibrium.
    assert best_deviation_gain(risky_safe(policy="softmax"), ScoringRule(kind), pessimistic, "mean") > 0.01


def test_the_preset_is_the_risky_safe_example() -> None:
    preset = get_preset("decision-risky-safe")
    problem = DecisionProblem.from_scenario(preset.scenario)
    np.testing.assert_array_equal(problem.Q, RISKY_Q)
    np.testing.assert_array_equal(problem.U, RISKY_U)
    assert problem.policy == "best_response" and problem.epsilon == 0
    assert dict(preset.view) == {"pair": "mean"} and preset.page == "decisions"
    assert dishonest_equilibrium(problem, preset.scenario.rule, "mean", check=False).dishonest is not None


def three_actions(safe_u: tuple[float, float]) -> DecisionProblem:
    """"risky" as above (value 0.8), a "fair" action with utilities ``safe_u`` for good/bad and Q = (½, ½), and
    a "poor" one (utility 0.2 whatever happens)."""
    Q = np.array([[0.8, 0.2], [0.5, 0.5], [0.5, 0.5]])
    U = np.array([[1.0, 0.0], list(safe_u), [0.2, 0.2]])
    return DecisionProblem.of(Q, U)


@pytest.mark.parametrize("kind", KINDS)
def test_the_deviator_can_also_push_the_action_taken_down(kind: str) -> None:
    """"fair" is worth ½(0.7 + 0.5) = 0.6 either way. With utilities (0.7, 0.5) a deviator can bring its mean
    value down to ½(0.5 + 0.6) = 0.55 > 0.5, the most it gives "risky": still an equilibrium (utility 0.6).
    With utilities (0.9, 0.3) it brings "fair" down to ½(0.3 + 0.6) = 0.45 < 0.5: then "risky" is taken and
    the honest report on it earns, so the pessimistic reports are no equilibrium (a deviation search
    confirms), and the remaining candidate ("poor", 0.2) fails the same way."""
    held = dishonest_equilibrium(three_actions((0.7, 0.5)), ScoringRule(kind), "mean")
    assert held.dishonest is not None
    assert held.dishonest.human_utility == pytest.approx(0.6, abs=1e-12)
    assert held.dishonest.truthful == 1
    risky = next(b for b in held.dishonest.blocked if b.action == 0)
    assert risky.reach == pytest.approx(0.5, abs=1e-8) and risky.floor == pytest.approx(0.55, abs=1e-12)

    problem = three_actions((0.9, 0.3))
    broken = dishonest_equilibrium(problem, ScoringRule(kind), "mean")
    assert broken.dishonest is None and not broken.exact
    reports = np.array([problem.least_attractive(0, 1e-9), problem.Q[1], problem.least_attractive(2, 1e-9)])
    assert best_deviation_gain(problem, ScoringRule(kind), reports, "mean") > 1e-3


# --- the existence decision against a brute force (two actions, two outcomes, mean rule) --------------------

DEVIATIONS = np.concatenate([[1e-9], np.linspace(0, 1, 201)[1:-1], [1 - 1e-9]])
CANDIDATES = np.concatenate([[1e-9], np.linspace(0, 1, 41)[1:-1], [1 - 1e-9]])


def brute_force_exists(kind: str, good: np.ndarray, U: np.ndarray) -> bool:
    """Is there an equilibrium of the mean rule in which the human takes the worse action a?

    Both predictors report the truth on a (a broader family than the module's pessimistic reports) and any
    report on the other action b from a grid (``CANDIDATES``, P(good)); a report pair is an equilibrium iff no
    deviation (R_a, R_b) on a 201 × 201 grid earns anything against either predictor (the game is symmetric:
    the same check). Scores from the textbook binary formulas, the human's choice written out here."""
    def value(a, x):
        return x * U[a][0] + (1 - x) * U[a][1]

    truth = [value(a, good[a]) for a in range(2)]
    if abs(truth[0] - truth[1]) < 1e-9:
        return False
    a = int(np.argmin(truth))
    b = 1 - a
    # Axis 0: the candidate report on b; axes 1, 2: the deviation (R_a, R_b).
    report = {a: np.full((len(CANDIDATES), 1, 1), good[a]), b: CANDIDATES[:, None, None]}
    r = {a: DEVIATIONS[None, :, None], b: DEVIATIONS[None, None, :]}
    seen = {i: 0.5 * (value(i, r[i]) + value(i, report[i])) for i in (a, b)}
    gap = seen[a] - seen[b]
    share_a = np.where(np.abs(gap) <= 1e-12, 0.5, (gap > 0).astype(float))
    gains = {i: ref_expected(kind, r[i], good[i]) - ref_expected(kind, report[i], good[i]) for i in (a, b)}
    with np.errstate(invalid="ignore"):
        total = (np.where(share_a > 0, share_a * gains[a], 0.0)
                 + np.where(share_a < 1, (1 - share_a) * gains[b], 0.0))
    safe_reports = CANDIDATES[np.nanmax(total, axis=(1, 2)) <= 1e-9]
    # Any two safe reports make an equilibrium; it is dishonest if the human then takes a.
    return any(0.5 * (value(b, x1) + value(b, x2)) < truth[a] - 1e-12 for x1 in safe_reports for x2 in safe_reports)


def random_problems(seed: int, count: int):
    rng = np.random.default_rng(seed)
    for i in range(count):
        good = rng.uniform(0.05, 0.95, 2)
        U = rng.uniform(0, 1, (2, 2)).round(2)
        if i % 2:  # a risky action beside one whose utility varies less: dishonest equilibria are common here
            good[0] = rng.uniform(0.5, 0.95)
            U[0] = (1.0, 0.0)
            U[1] = np.round(rng.uniform(0.3, 0.9) * np.array([1.0, rng.uniform(0.7, 1.0)]), 2)
        yield KINDS[i % 2], good, U


@pytest.mark.parametrize("seed", [1, 2])
def test_existence_matches_a_brute_force(seed: int) -> None:
    found, count = 0, 30
    for kind, good, U in random_problems(seed, count):
        problem = DecisionProblem.of(np.stack([good, 1 - good], axis=1), U)
        mine = dishonest_equilibrium(problem, ScoringRule(kind), "mean", check=False).dishonest
        assert (mine is not None) == brute_force_exists(kind, good, U), (kind, good, U)
        found += mine is not None
    assert 2 <= found < count  # the sweep does exercise both answers


FREE = np.concatenate([[1e-9], np.linspace(0, 1, 31)[1:-1], [1 - 1e-9]])
FREE_DEVIATIONS = np.concatenate([[1e-9], np.linspace(0, 1, 151)[1:-1], [1 - 1e-9]])


def brute_force_worst(kind: str, good: np.ndarray, U: np.ndarray) -> float | None:
    """The human's worst utility over all equilibria of the mean rule whose reports lie on a grid (``FREE`` plus
    the truth, for both actions and both predictors), ``None`` if no grid pair is one. A report pair is an
    equilibrium iff both reports are safe (no deviation on a 151 × 151 grid earns anything against it: the
    module docstring, step 1); every pair of safe reports is one."""
    def value(a, x):
        return x * U[a][0] + (1 - x) * U[a][1]

    truth = [value(a, good[a]) for a in range(2)]
    r0, r1 = FREE_DEVIATIONS[:, None], FREE_DEVIATIONS[None, :]
    safe = []
    for x0 in np.append(FREE, good[0]):
        gain0 = ref_expected(kind, r0, good[0]) - ref_expected(kind, np.array(x0), good[0])
        for x1 in np.append(FREE, good[1]):
            gain1 = ref_expected(kind, r1, good[1]) - ref_expected(kind, np.array(x1), good[1])
            gap = 0.5 * (value(0, r0) + value(0, x0)) - 0.5 * (value(1, r1) + value(1, x1))
            share0 = np.where(np.abs(gap) <= 1e-12, 0.5, (gap > 0).astype(float))
            with np.errstate(invalid="ignore"):
                total = np.where(share0 > 0, share0 * gain0, 0.0) + np.where(share0 < 1, (1 - share0) * gain1, 0.0)
            if np.nanmax(total) <= 1e-9:
                safe.append((x0, x1))
    utilities = []
    for p1 in safe:
        for p2 in safe:
            gap = 0.5 * (value(0, p1[0]) + value(0, p2[0])) - 0.5 * (value(1, p1[1]) + value(1, p2[1]))
            share0 = 0.5 if abs(gap) <= 1e-12 else float(gap > 0)
            utilities.append(share0 * truth[0] + (1 - share0) * truth[1])
    return min(utilities) if utilities else None


def test_the_worst_equilibrium_matches_a_brute_force_over_all_reports() -> None:
    """Two actions, two outcomes: the worst equilibrium for the human over all grid reports of both predictors
    (not only the pessimistic ones the module tries) is the module's answer, or honest when it finds none."""
    found = 0
    for kind, good, U in random_problems(3, 8):
        problem = DecisionProblem.of(np.stack([good, 1 - good], axis=1), U)
        best = float(np.max(problem.values(problem.Q)))
        mine = dishonest_equilibrium(problem, ScoringRule(kind), "mean", check=False).dishonest
        worst = brute_force_worst(kind, good, U)
        assert worst is not None  # the honest pair is on the grid and is an equilibrium
        expected = best if mine is None else mine.human_utility
        assert worst == pytest.approx(expected, abs=1e-9), (kind, good, U)
        found += mine is not None
    assert 0 < found < 8
