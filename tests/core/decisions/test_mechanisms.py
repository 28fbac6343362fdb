"""Tests of core.decisions: conditional predictions for a decision maker (docs/theory.md#conditional-predictions).

Reference values are derived by hand in the comments, or computed by a brute-force reference written
here (dense grids over the reports of two actions with two outcomes, scored by the closed-form binary
rules below, independent of ``core.decisions``). ``core.model.rules`` is trusted only where tests/core/
test_rules.py checks it.

Notation: m = 2 or 3 actions, n = 2 outcomes ("good", "bad"), U = 1 for good and 0 for bad for every
action unless stated, so the human values action a at its reported good-outcome probability x_a.
G(q) = S(q, q) is the score of a report that comes true.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import example as hyp_example
from hypothesis import strategies as st

from core.decisions import (
    DecisionProblem,
    best_deviation_gain,
    expected_score,
    honest,
    mechanisms,
    pair_gain,
    single_optimum,
    zero_sum_equilibrium,
)
from core.model.presets import get_preset
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import LinearWorld, PolicyWorld

LN2 = math.log(2.0)
GOOD = np.array([[1.0, 0.0], [1.0, 0.0]])
# docs/theory.md#conditional-predictions: good-outcome probabilities 1/3 under action 1 and 1/2 under action 2.
EXAMPLE_Q = np.array([[1 / 3, 2 / 3], [0.5, 0.5]])
RULE_KINDS = ["log", "quadratic", "spherical"]


def example(policy: str = "best_response", beta: float = 5.0, epsilon: float = 0.0) -> DecisionProblem:
    return DecisionProblem.of(Q=EXAMPLE_Q.copy(), U=GOOD.copy(), policy=policy, beta=beta, epsilon=epsilon)


def preset_problem(name: str) -> tuple[DecisionProblem, ScoringRule]:
    scenario = get_preset(name).scenario
    return DecisionProblem.from_scenario(scenario), scenario.rule


# --- an independent binary reference -----------------------------------------------------------


def ref_scores(kind: str, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S(p, good), S(p, bad) for p = (x, 1 − x), from the textbook formulas."""
    x = np.asarray(x, dtype=float)
    y = 1.0 - x
    if kind == "log":
        with np.errstate(divide="ignore"):
            return np.log(x), np.log(y)
    if kind == "quadratic":  # 2p_ω − ‖p‖²
        sq = x * x + y * y
        return 2 * x - sq, 2 * y - sq
    if kind == "spherical":  # p_ω / ‖p‖
        norm = np.sqrt(x * x + y * y)
        return x / norm, y / norm
    raise AssertionError(kind)


def ref_expected(kind: str, x: np.ndarray, q: float) -> np.ndarray:
    good, bad = ref_scores(kind, x)
    with np.errstate(invalid="ignore"):
        return np.where(q > 0, q * good, 0.0) + np.where(q < 1, (1 - q) * bad, 0.0)


def ref_entropy(kind: str, q: float) -> float:
    """G(q) = S(q, q) in closed form: −H(q) for log, ‖q‖² for quadratic, ‖q‖ for spherical."""
    r = 1.0 - q
    if kind == "log":
        return q * math.log(q) + r * math.log(r)
    if kind == "quadratic":
        return q * q + r * r
    return math.sqrt(q * q + r * r)


def ref_first_action_prob(x0, x1, U, policy, beta, eps):
    """π(action 1) for two actions: best response (ties split evenly) or logistic in β(V0 − V1), then ε."""
    v0 = x0 * U[0][0] + (1 - x0) * U[0][1]
    v1 = x1 * U[1][0] + (1 - x1) * U[1][1]
    if policy == "softmax":
        base = 1.0 / (1.0 + np.exp(-beta * (v0 - v1)))
    else:
        base = np.where(v0 > v1, 1.0, np.where(v0 < v1, 0.0, 0.5))
    return (1 - eps) * base + eps / 2, v0 - v1


def ref_total(kind, x0, x1, Q, U, policy, beta, eps):
    """Σ_a π_a S(P[a], Q[a]) for two actions and two outcomes, reports x0, x1 (good-outcome probabilities)."""
    pi0, _ = ref_first_action_prob(x0, x1, U, policy, beta, eps)
    with np.errstate(invalid="ignore"):
        return (np.where(pi0 > 0, pi0 * ref_expected(kind, x0, Q[0][0]), 0.0)
                + np.where(pi0 < 1, (1 - pi0) * ref_expected(kind, x1, Q[1][0]), 0.0))


GRID_N, GRID_K = 400, 100  # coarse step 1/400, refined step 1/(400·100) = 2.5e-5


def brute_force_optimum(kind, Q, U, policy, beta, eps) -> float:
    """max over a dense grid of (x0, x1) ∈ (0, 1)² of the reference expected score.

    Coarse grid of step 1/N; then, in each of the two regions V0 ≥ V1 and V0 < V1 (where a
    best-responding human takes action 1 or 2, and where a softmax human's score may have a local
    maximum each), a fine grid of step h = 1/(N K) over ±2/N around that region's best coarse point.
    Every grid point is a feasible report, so the result never exceeds the true supremum.
    """
    g = np.arange(1, GRID_N) / GRID_N
    x0, x1 = np.meshgrid(g, g, indexing="ij")
    total = ref_total(kind, x0, x1, Q, U, policy, beta, eps)
    _, gap = ref_first_action_prob(x0, x1, U, policy, beta, eps)
    best = -np.inf
    offsets = np.arange(-2 * GRID_K, 2 * GRID_K + 1) / (GRID_K * GRID_N)
    for region in (gap >= 0, gap < 0):
        if not region.any():
            continue
        i = np.unravel_index(np.argmax(np.where(region, total, -np.inf)), total.shape)
        f0, f1 = np.meshgrid(np.clip(x0[i] + offsets, 1e-12, 1 - 1e-12),
                             np.clip(x1[i] + offsets, 1e-12, 1 - 1e-12), indexing="ij")
        best = max(best, float(np.nanmax(ref_total(kind, f0, f1, Q, U, policy, beta, eps))))
    return best


# --- 1. The theory's example ---------------------------------------------------------------------


def test_theory_example_log_score() -> None:
    problem, rule = example(), ScoringRule("log")
    truth = honest(problem, rule)
    # Honest reports: V = (1/3, 1/2), so the human takes action 2 and the score is S(Q2, Q2) = ln ½.
    assert truth.score == pytest.approx(-LN2, abs=1e-12)
    np.testing.assert_array_equal(truth.action_probs, [0.0, 1.0])
    assert truth.human_utility == pytest.approx(0.5, abs=1e-12)
    assert truth.distance == 0.0
    lie = single_optimum(problem, rule)
    # Steering to action 1 (report P2 below 1/3) and reporting Q1 there scores G(1/3).
    g = (1 / 3) * math.log(1 / 3) + (2 / 3) * math.log(2 / 3)
    assert g == pytest.approx(-0.636514168, abs=1e-9)
    assert lie.score == pytest.approx(g, abs=1e-7)
    assert lie.score > truth.score + 0.05
    np.testing.assert_allclose(lie.action_probs, [1.0, 0.0], atol=0)
    assert lie.human_utility == pytest.approx(1 / 3, abs=1e-12)
    np.testing.assert_allclose(lie.reports[0], EXAMPLE_Q[0], atol=1e-6)  # honest on the action it steers to
    assert lie.reports[1, 0] < lie.reports[0, 0]  # and understates action 2 to get there
    assert lie.distance_played == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(("kind", "honest_score", "lie_score"), [
    # Quadratic: G(q) = q² + (1 − q)²: G(1/2) = 1/2; G(1/3) = 1/9 + 4/9 = 5/9.
    ("quadratic", 0.5, 5 / 9),
    # Spherical: G(q) = √(q² + (1 − q)²): G(1/2) = 1/√2; G(1/3) = √5/3.
    ("spherical", 1 / math.sqrt(2), math.sqrt(5) / 3),
])
def test_theory_example_other_rules(kind: str, honest_score: float, lie_score: float) -> None:
    problem, rule = example(), ScoringRule(kind)
    assert honest(problem, rule).score == pytest.approx(honest_score, abs=1e-12)
    lie = single_optimum(problem, rule)
    assert lie.score == pytest.approx(lie_score, abs=1e-7)
    np.testing.assert_allclose(lie.action_probs, [1.0, 0.0], atol=0)


@pytest.mark.parametrize(("kind", "expected"), [
    # ε = 0.2: the human takes its chosen action with probability 0.9 and the other with 0.1.
    # Honest: 0.1·G(1/3) + 0.9·G(1/2). Steering to action 1 needs x0 ≥ x1; the unconstrained best
    # (x0, x1) = (1/3, 1/2) violates it, so the constraint binds (the objective is concave in each report):
    # x0 = x1 = x maximising 0.9 S(x, 1/3) + 0.1 S(x, 1/2) = S(x, 0.35) (S is linear in q), i.e. x = 0.35
    # for every proper rule, with value G(0.35).
    ("log", (0.35 * math.log(0.35) + 0.65 * math.log(0.65),
             0.1 * ((1 / 3) * math.log(1 / 3) + (2 / 3) * math.log(2 / 3)) - 0.9 * LN2)),
    ("quadratic", (0.35**2 + 0.65**2, 0.1 * 5 / 9 + 0.9 * 0.5)),
    ("spherical", (math.sqrt(0.35**2 + 0.65**2), 0.1 * math.sqrt(5) / 3 + 0.9 / math.sqrt(2))),
])
def test_theory_example_with_exploration(kind: str, expected: tuple[float, float]) -> None:
    lie_score, honest_score = expected
    problem, rule = example(epsilon=0.2), ScoringRule(kind)
    assert honest(problem, rule).score == pytest.approx(honest_score, abs=1e-12)
    lie = single_optimum(problem, rule)
    # The optimiser keeps the steered-to action ahead by a margin of 1e-7, which costs O(1e-7·|∂S|).
    assert lie.score == pytest.approx(lie_score, abs=1e-6)
    np.testing.assert_allclose(lie.reports[:, 0], [0.35, 0.35], atol=1e-5)
    np.testing.assert_allclose(lie.action_probs, [0.9, 0.1], atol=1e-12)
    assert lie_score > honest_score + 0.01


# --- 2. the single optimum against brute force ------------------------------------------------

BRUTE_PROBLEMS = {
    "theory-example": (EXAMPLE_Q, GOOD),
    # Action-dependent utilities: V0 = x0, V1 = 0.4 x1 + 0.7 (1 − x1).
    "general-U": (np.array([[0.7, 0.3], [0.15, 0.85]]), np.array([[1.0, 0.0], [0.4, 0.7]])),
}
HUMANS = [("best_response", 5.0, 0.0), ("best_response", 5.0, 0.2), ("softmax", 5.0, 0.0),
          ("softmax", 20.0, 0.0), ("softmax", 5.0, 0.2)]


@pytest.mark.parametrize("human", HUMANS, ids=[f"{p}-b{b:g}-e{e:g}" for p, b, e in HUMANS])
@pytest.mark.parametrize("kind", RULE_KINDS)
@pytest.mark.parametrize("name", list(BRUTE_PROBLEMS))
def test_single_optimum_matches_brute_force(name: str, kind: str, human: tuple[str, float, float]) -> None:
    Q, U = BRUTE_PROBLEMS[name]
    policy, beta, eps = human
    problem = DecisionProblem.of(Q=Q.copy(), U=U.copy(), policy=policy, beta=beta, epsilon=eps)
    found = single_optimum(problem, ScoringRule(kind))
    # The reported score is that of the reported reports, evaluated independently.
    reference = ref_total(kind, found.reports[0, 0], found.reports[1, 0], Q, U, policy, beta, eps)
    assert found.score == pytest.approx(float(reference), abs=1e-12)
    grid = brute_force_optimum(kind, Q, U, policy, beta, eps)
    # The code must do at least as well as every grid point (up to rounding) ...
    assert found.score >= grid - 1e-9
    # ... and the grid comes within h·‖∇J‖₁ of the supremum (h = 2.5e-5; at these optima the gradient
    # is 0 in the interior, and ≲ 0.2 across the decision boundary when that binds (best response with
    # ε > 0), so the loss is ≲ 5e-6), so the code's optimum cannot be much above it.
    assert found.score <= grid + 1e-5


@pytest.mark.parametrize(("q", "beta", "kind"), [((0.2, 0.65), 20.0, "log"), ((0.8, 0.05), 20.0, "spherical"),
                                                  ((0.7, 0.13), 10.0, "quadratic")])
def test_softmax_optimum_far_from_honesty_matches_brute_force(q, beta, kind) -> None:
    """A steep softmax human who, at honest reports, almost surely takes the more uncertain action: the
    best lie steers to the other action (σ of it ≈ e^{−β·gap} at honesty, so a local search from the truth
    sees almost no slope towards it). The optimum must still match the brute-force grid."""
    Q = np.stack([np.array(q), 1 - np.array(q)], -1)
    problem = DecisionProblem.of(Q=Q, U=GOOD.copy(), policy="softmax", beta=beta)
    found = single_optimum(problem, ScoringRule(kind))
    grid = brute_force_optimum(kind, Q, GOOD, "softmax", beta, 0.0)
    assert grid - 1e-9 <= found.score <= grid + 1e-5
    assert found.score > honest(problem, ScoringRule(kind)).score + 0.05
    # The human is steered to the action whose outcome is more predictable.
    assert int(np.argmax(found.action_probs)) == int(np.argmax(np.abs(np.array(q) - 0.5)))


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_expected_score_agrees_with_reference(kind: str) -> None:
    rng = np.random.default_rng(11)
    x = rng.uniform(0.01, 0.99, size=(500, 2))
    reports = np.stack([np.stack([x[:, 0], 1 - x[:, 0]], -1), np.stack([x[:, 1], 1 - x[:, 1]], -1)], axis=1)
    for Q, U in BRUTE_PROBLEMS.values():
        for policy, beta, eps in HUMANS:
            problem = DecisionProblem.of(Q=Q, U=U, policy=policy, beta=beta, epsilon=eps)
            got = expected_score(problem, ScoringRule(kind), reports)
            want = ref_total(kind, x[:, 0], x[:, 1], Q, U, policy, beta, eps)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


# --- 3. when the lie pays ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(qs=st.lists(st.floats(0.02, 0.98), min_size=2, max_size=3), kind=st.sampled_from(RULE_KINDS))
@hyp_example(qs=[1 / 3, 0.5], kind="log")  # docs/theory.md#conditional-predictions: pays
@hyp_example(qs=[0.4, 0.9], kind="quadratic")  # the best action is also the most predictable: does not pay
@hyp_example(qs=[0.2, 0.5, 0.6], kind="spherical")  # decision-three: pays (steer to A)
@hyp_example(qs=[0.45, 0.7, 0.6], kind="log")  # three actions, does not pay
def test_lie_pays_exactly_when_another_action_is_more_predictable(qs: list[float], kind: str) -> None:
    """Best response, U depending on the outcome only. The predictor can steer the human to any action a:
    report Q[a] for a and "certainly bad" (value 0 < q_a) for the others; it then scores G(Q[a]). Any
    report that makes a chosen scores at most G(Q[a]) (propriety). So the optimum is max_a G(Q[a]), and
    lying pays iff some a ≠ best has G(Q[a]) > G(Q[best])."""
    q = np.array(qs)
    order = np.sort(q)
    assume(order[-1] - order[-2] > 0.01)  # no honest tie
    g = np.array([ref_entropy(kind, x) for x in q])
    best = int(np.argmax(q))
    others = np.delete(g, best)
    assume(abs(others.max() - g[best]) > 1e-4)  # no near-tie of G
    pays = bool(others.max() > g[best])
    problem = DecisionProblem.of(Q=np.stack([q, 1 - q], -1), U=np.tile([1.0, 0.0], (len(q), 1)))
    rule = ScoringRule(kind)
    truth, lie = honest(problem, rule), single_optimum(problem, rule)
    assert truth.score == pytest.approx(g[best], abs=1e-12)
    assert (lie.score > truth.score + 1e-7) == pays
    assert lie.score == pytest.approx(g.max(), abs=1e-6)
    taken = int(np.argmax(lie.action_probs))
    assert lie.action_probs[taken] == 1.0
    assert g[taken] == pytest.approx(g.max(), abs=1e-12)  # an action of the largest G (several if q's repeat)


# --- 4. the zero-sum pair ---------------------------------------------------------------------

PAIR_RULES = ["optimistic", "mean"]


@pytest.mark.parametrize("pair_rule", PAIR_RULES)
@pytest.mark.parametrize("name", ["decision-example", "decision-three"])
def test_zero_sum_equilibrium_is_honest_and_picks_the_best_action(name: str, pair_rule: str) -> None:
    problem, rule = preset_problem(name)
    eq = zero_sum_equilibrium(problem, rule, pair_rule)
    np.testing.assert_array_equal(eq.reports, problem.Q)
    best = np.argmax(np.sum(problem.Q * problem.U, axis=1))  # action 2 (1/2 > 1/3); treatment C (0.6)
    np.testing.assert_array_equal(eq.action_probs, np.eye(problem.m)[best])
    assert eq.distance == 0.0 and eq.distance_played == 0.0
    assert eq.human_utility == pytest.approx(np.max(np.sum(problem.Q * problem.U, axis=1)), abs=1e-12)
    # Both report the same, so predictor 1's payoff is 0, and its "score" is the honest score.
    assert eq.score == pytest.approx(honest(problem, rule).score, abs=1e-12)


def test_zero_sum_equilibrium_with_exploration_plays_every_action() -> None:
    problem = DecisionProblem.of(Q=np.array([[0.2, 0.8], [0.5, 0.5], [0.6, 0.4]]), U=np.tile([1.0, 0.0], (3, 1)),
                              epsilon=0.3)
    eq = zero_sum_equilibrium(problem, ScoringRule("log"))
    # (1 − ε)·e_C + ε/3 = (0.1, 0.1, 0.8): every action is played and every report is honest.
    np.testing.assert_allclose(eq.action_probs, [0.1, 0.1, 0.8], atol=1e-12)
    assert eq.distance_played == 0.0


DEVIATION_PROBLEMS = [
    ("example-br", example()),
    ("example-br-eps", example(epsilon=0.2)),
    ("example-softmax", example(policy="softmax", beta=8.0)),
    ("general-U-softmax", DecisionProblem.of(Q=BRUTE_PROBLEMS["general-U"][0], U=BRUTE_PROBLEMS["general-U"][1],
                                          policy="softmax", beta=5.0, epsilon=0.1)),
    ("three", preset_problem("decision-three")[0]),
]


@pytest.mark.parametrize("pair_rule", PAIR_RULES)
@pytest.mark.parametrize("kind", RULE_KINDS)
@pytest.mark.parametrize("problem", [p for _, p in DEVIATION_PROBLEMS],
                         ids=[n for n, _ in DEVIATION_PROBLEMS])
def test_no_deviation_gains_against_an_honest_opponent(problem: DecisionProblem, kind: str,
                                                        pair_rule: str) -> None:
    """Against P² = Q, predictor 1 earns Σ_a π_a [S(P¹[a], Q[a]) − S(Q[a], Q[a])]: whatever the human does
    (π_a ≥ 0), each bracket is ≤ 0 by propriety, so no deviation gains; up to rounding of the sum."""
    gain = best_deviation_gain(problem, ScoringRule(kind), problem.Q, pair_rule, samples=1000,
                               rng=np.random.default_rng(5))
    assert gain <= 1e-12


@pytest.mark.parametrize("pair_rule", PAIR_RULES)
@pytest.mark.parametrize("kind", RULE_KINDS)
def test_brute_force_confirms_honest_opponent_cannot_be_beaten(kind: str, pair_rule: str) -> None:
    # Independently of the code's search: predictor 1's payoff on a grid of its reports, by the reference.
    problem = example(epsilon=0.2)
    g = np.arange(1, 200) / 200
    x0, x1 = (a.ravel() for a in np.meshgrid(g, g, indexing="ij"))
    first = np.stack([np.stack([x0, 1 - x0], -1), np.stack([x1, 1 - x1], -1)], axis=1)
    payoff = pair_gain(problem, ScoringRule(kind), first, np.broadcast_to(EXAMPLE_Q, first.shape), pair_rule)
    brackets = np.stack([ref_expected(kind, x0, 1 / 3) - ref_entropy(kind, 1 / 3),
                         ref_expected(kind, x1, 0.5) - ref_entropy(kind, 0.5)], -1)
    assert np.all(brackets <= 1e-15)
    assert payoff.max() <= 1e-12


def kl(q: float, p: float) -> float:
    return q * math.log(q / p) + (1 - q) * math.log((1 - q) / (1 - p))


@pytest.mark.parametrize("pair_rule", PAIR_RULES)
@pytest.mark.parametrize(("kind", "divergence"), [
    # G(Q2) − S(P²2, Q2) with Q2 = (½, ½), P²2 = (¼, ¾): log: −½ ln ¾ = KL(½ ‖ ¼);
    # quadratic: ‖Q2 − P²2‖² = 1/8.
    ("log", kl(0.5, 0.25)),
    ("quadratic", 0.125),
])
@pytest.mark.parametrize("epsilon", [0.0, 0.2])
def test_deviation_against_an_opponent_who_understates_the_best_action(kind, divergence, pair_rule,
                                                                         epsilon) -> None:
    """Opponent P² honest on action 1, reports ¼ for action 2 (truth ½). Predictor 1 reporting Q: the human
    sees action 2 at ½ (optimistic: max(½, ¼)) or 3/8 (mean), both above 1/3, so takes action 2 (with
    1 − ε/2), and predictor 1 earns the divergence there. Nothing earns more: on action 1 the opponent is
    honest (payoff ≤ 0), on action 2 the payoff is ≤ the divergence (propriety), and π_2 ≤ 1 − ε/2 unless
    the human is steered to action 1, which only earns ≤ 0 there."""
    problem, rule = example(epsilon=epsilon), ScoringRule(kind)
    opponent = np.array([[1 / 3, 2 / 3], [0.25, 0.75]])
    expected = (1 - epsilon / 2) * divergence
    payoff = float(pair_gain(problem, rule, EXAMPLE_Q, opponent, pair_rule))
    assert payoff == pytest.approx(expected, abs=1e-12)
    probs = problem.action_probs(problem.pair_values(EXAMPLE_Q, opponent, pair_rule))
    np.testing.assert_allclose(probs, [epsilon / 2, 1 - epsilon / 2], atol=1e-15)
    gain = best_deviation_gain(problem, rule, opponent, pair_rule, samples=1000, rng=np.random.default_rng(1))
    assert gain == pytest.approx(expected, abs=1e-7)
    assert gain > 0.1


@pytest.mark.parametrize("pair_rule", PAIR_RULES)
def test_deviation_against_an_opponent_who_overstates_the_worse_action(pair_rule: str) -> None:
    """Opponent says action 1 is good with 0.9. Under either rule the human then takes action 1 whatever
    predictor 1 says unless it reports action 2 above the combined value of action 1 (> 0.9 optimistic),
    where predictor 1 can only lose (opponent honest on action 2). So predictor 1's best is honesty on
    action 1: KL(1/3 ‖ 0.9) = (1/3) ln(10/27) + (2/3) ln(20/3) ≈ 0.9337."""
    problem, rule = example(), ScoringRule("log")
    opponent = np.array([[0.9, 0.1], [0.5, 0.5]])
    expected = kl(1 / 3, 0.9)
    assert expected == pytest.approx((1 / 3) * math.log(10 / 27) + (2 / 3) * math.log(20 / 3), abs=1e-15)
    gain = best_deviation_gain(problem, rule, opponent, pair_rule, samples=1000, rng=np.random.default_rng(2))
    assert gain == pytest.approx(expected, abs=1e-7)


def test_optimistic_rule_tolerates_off_path_errors_the_mean_rule_does_not() -> None:
    """Opponent honest on the played, best action 2, and reporting 0.3 (truth 1/3) for unplayed action 1;
    ε = 0.

    Optimistic: to be scored on action 1, predictor 1 must lift its value above ½, scoring
    S(x ≥ ½, 1/3) − S(0.3, 1/3) ≤ S(½, 1/3) − S(0.3, 1/3) = −0.0541 < 0 (a tie at ½ splits, also < 0); on
    action 2 it earns ≤ 0. So the profile is an equilibrium (gain 0): the theory's "honest on the chosen
    action", not everywhere.
    Mean: predictor 1 reports 1/3 for action 1 and "bad" for action 2, so the mean values are
    (1/3 + 0.3)/2 > (0 + ½)/2; the human takes action 1 and predictor 1 earns KL(1/3 ‖ 0.3) ≈ 0.00259 —
    the most possible (≤ 0 on action 2, ≤ the divergence on action 1). With ε = 0.2 the optimistic
    rule also pays for honesty on action 1: ε/2 · KL(1/3 ‖ 0.3), earned where action 1 is explored."""
    rule = ScoringRule("log")
    opponent = np.array([[0.3, 0.7], [0.5, 0.5]])
    d = kl(1 / 3, 0.3)
    assert ref_expected("log", 0.5, 1 / 3) - ref_expected("log", 0.3, 1 / 3) < -0.05
    kwargs = {"samples": 1000, "rng": np.random.default_rng(3)}
    assert best_deviation_gain(example(), rule, opponent, "optimistic", **kwargs) <= 1e-12
    assert best_deviation_gain(example(), rule, opponent, "mean", **kwargs) == pytest.approx(d, abs=1e-8)
    assert best_deviation_gain(example(epsilon=0.2), rule, opponent, "optimistic",
                               **kwargs) == pytest.approx(0.1 * d, abs=1e-8)


def test_zero_sum_needs_a_proper_rule() -> None:
    with pytest.raises(ValueError, match="proper"):
        zero_sum_equilibrium(example(), ScoringRule("linear"))


def test_unknown_pair_rule_is_rejected() -> None:
    with pytest.raises(ValueError, match="pair_rule"):
        pair_gain(example(), ScoringRule("log"), EXAMPLE_Q, EXAMPLE_Q, "median")


# --- the presets' table -----------------------------------------------------------------------

SQRT2 = math.sqrt(2.0)
PRESET_TABLE = {
    # name: {mechanism: (action taken, score, human utility, max distance of reports from truth)}
    "decision-example": {
        "honest": (1, -LN2, 0.5, 0.0),
        # Steers to action 1; the unplayed action 2 is shown at the least dishonest report that keeps it
        # unplayed: 1/3 (less a hair), at distance √2 (½ − 1/3) = √2/6.
        "single predictor": (0, (1 / 3) * math.log(1 / 3) + (2 / 3) * math.log(2 / 3), 1 / 3, SQRT2 / 6),
        "zero-sum pair": (1, -LN2, 0.5, 0.0),
    },
    "decision-three": {
        # Recovery 0.2, 0.5, 0.6: honest takes C and scores G(0.6) = 0.6 ln 0.6 + 0.4 ln 0.4.
        "honest": (2, 0.6 * math.log(0.6) + 0.4 * math.log(0.4), 0.6, 0.0),
        # G(0.2) = 0.2 ln 0.2 + 0.8 ln 0.8 is the largest G, so it steers to A; B and C shown at 0.2:
        # the farthest is C, √2 (0.6 − 0.2).
        "single predictor": (0, 0.2 * math.log(0.2) + 0.8 * math.log(0.8), 0.2, SQRT2 * 0.4),
        "zero-sum pair": (2, 0.6 * math.log(0.6) + 0.4 * math.log(0.4), 0.6, 0.0),
    },
}


@pytest.mark.parametrize("pair_rule", PAIR_RULES)
@pytest.mark.parametrize("name", list(PRESET_TABLE))
def test_mechanisms_on_presets(name: str, pair_rule: str) -> None:
    problem, rule = preset_problem(name)
    assert rule == ScoringRule("log")
    outcomes = mechanisms(problem, rule, pair_rule)
    assert [o.name for o in outcomes] == list(PRESET_TABLE[name])
    for o in outcomes:
        action, score, utility, distance = PRESET_TABLE[name][o.name]
        np.testing.assert_allclose(o.action_probs, np.eye(problem.m)[action], atol=0)
        assert o.score == pytest.approx(score, abs=1e-7)
        assert o.human_utility == pytest.approx(utility, abs=1e-12)
        assert o.distance == pytest.approx(distance, abs=1e-6)
        assert o.distance_played == pytest.approx(0.0, abs=1e-6)
        np.testing.assert_allclose(o.reports.sum(axis=-1), 1.0, atol=1e-12)
        assert np.all(o.reports >= 0)


# --- building a problem from a scenario -------------------------------------------------------


def test_from_scenario_reads_the_policy_world() -> None:
    scenario = get_preset("decision-three").scenario
    problem = DecisionProblem.from_scenario(scenario)
    np.testing.assert_array_equal(problem.Q, [[0.2, 0.8], [0.5, 0.5], [0.6, 0.4]])
    np.testing.assert_array_equal(problem.U, [[1.0, 0.0]] * 3)
    assert (problem.policy, problem.epsilon, problem.m) == ("best_response", 0.0, 3)
    soft = Scenario(("good", "bad"), PolicyWorld(Q=((0.3, 0.7), (0.6, 0.4)), policy="softmax", beta=7.0,
                                                 epsilon=0.1), ScoringRule("log"))
    problem = DecisionProblem.from_scenario(soft)
    assert (problem.policy, problem.beta, problem.epsilon) == ("softmax", 7.0, 0.1)


def test_from_scenario_rejects_a_threshold_policy() -> None:
    world = PolicyWorld(Q=((0.3, 0.7), (0.6, 0.4)), policy="threshold", threshold=0.4)
    with pytest.raises(ValueError, match="best-response or softmax human, not 'threshold'"):
        DecisionProblem.from_scenario(Scenario(("good", "bad"), world, ScoringRule("log")))


def test_from_scenario_rejects_a_world_function() -> None:
    scenario = Scenario(("event", "no event"), LinearWorld(0.25, 0.25), ScoringRule("quadratic"))
    with pytest.raises(ValueError, match="needs a human response policy"):
        DecisionProblem.from_scenario(scenario)
