"""Tests of core.learning.training: training conditional predictors for a decision maker (docs/theory.md#conditional-predictions).

What is checked, and why it must hold:
- the gradient step against finite differences of the expected objective in logit space (single,
  zero-sum under both pair rules, self-play's stop-gradient objective), and the sampled step against
  the mean step (its expectation over the sampled action and outcome, enumerated exactly);
- the dynamics: with exploration every objective learns the truth on every action; without it an
  unplayed action's report never moves; SGD fluctuates around the truth without bias (log rule);
  a softmax human is steered by the single objective's gradient but not by self-play's; random
  search finds the steering lie for a single predictor and not for a self-playing one;
- the log's shapes and invariants, reproducibility, and argument checks.

Reference objectives here are written from the formulas, with the human's policy coded independently
of core.decisions; S(p, q) comes from core.model.rules (checked in tests/core/test_rules.py).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.decisions import DecisionProblem, honest, single_optimum
from core.model.rules import ScoringRule
from core.learning.training import LOGIT_CLIP, MAX_STEPS, gradient_step, train

GOOD = np.array([[1.0, 0.0], [1.0, 0.0]])
EXAMPLE_Q = np.array([[1 / 3, 2 / 3], [0.5, 0.5]])  # docs/theory.md#conditional-predictions
THREE_Q = np.array([[0.2, 0.8], [0.5, 0.5], [0.6, 0.4]])  # preset decision-three
G_LOG = (1 / 3) * math.log(1 / 3) + (2 / 3) * math.log(2 / 3)  # −0.6365, the steering lie's score
OBJECTIVES = ["single", "zero_sum", "self_play"]


def example(policy: str = "best_response", beta: float = 5.0, epsilon: float = 0.0) -> DecisionProblem:
    return DecisionProblem.of(Q=EXAMPLE_Q.copy(), U=GOOD.copy(), policy=policy, beta=beta, epsilon=epsilon)


def three(epsilon: float = 0.0) -> DecisionProblem:
    return DecisionProblem.of(Q=THREE_Q.copy(), U=np.tile([1.0, 0.0], (3, 1)), epsilon=epsilon)


def softmax(theta: np.ndarray) -> np.ndarray:
    z = np.exp(theta - theta.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def ref_policy(values: np.ndarray, problem: DecisionProblem) -> np.ndarray:
    """A softmax human with ε-exploration: (1 − ε) softmax(β V) + ε/m."""
    return (1 - problem.epsilon) * softmax(problem.beta * values) + problem.epsilon / values.shape[-1]


def ref_values(p: np.ndarray, problem: DecisionProblem) -> np.ndarray:
    return np.sum(p * problem.U, axis=-1)


def fd_gradient(fun, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of a scalar function of the logits, entry by entry."""
    grad = np.zeros_like(theta)
    for idx in np.ndindex(theta.shape):
        e = np.zeros_like(theta)
        e[idx] = h
        grad[idx] = (fun(theta + e) - fun(theta - e)) / (2 * h)
    return grad


# --- 7. gradients -----------------------------------------------------------------------------

RULES = [ScoringRule("log"), ScoringRule("quadratic"), ScoringRule("spherical")]


def random_problem(rng: np.random.Generator, policy: str = "softmax") -> DecisionProblem:
    m, n = 3, 3
    return DecisionProblem.of(Q=rng.dirichlet(np.ones(n), size=m), U=rng.normal(size=(m, n)), policy=policy,
                           beta=4.0, epsilon=0.1)


def human_values(problem, theta, theta2, pair_rule):
    """The values the human sees: the model's, or the pair's combined by ``pair_rule``."""
    v1 = ref_values(softmax(theta), problem)
    if theta2 is None:
        return v1
    v2 = ref_values(softmax(theta2), problem)
    return np.maximum(v1, v2) if pair_rule == "optimistic" else 0.5 * (v1 + v2)


def step_direction(problem, rule, objective, theta, theta2=None, pair_rule="optimistic", sampled=False, a=0,
                   omega=0):
    """(θ_new − θ)/lr from one step of ``gradient_step`` with lr = 1 (the update direction)."""
    probs = problem.action_probs(human_values(problem, theta, theta2, pair_rule))[None]
    new, new2 = gradient_step(problem, rule, objective, pair_rule, theta[None].copy(),
                               None if theta2 is None else theta2[None].copy(), probs, np.array([a]),
                               np.array([omega]), 1.0, sampled)
    return new[0] - theta, None if new2 is None else new2[0] - theta2


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_single_gradient_is_the_performative_gradient(rule: ScoringRule) -> None:
    """J(θ) = Σ_a π_a(P) S(P[a], Q[a]) with P = softmax(θ): the step follows ∇J, including the term
    through the softmax human's choice."""
    rng = np.random.default_rng(7)
    problem = random_problem(rng)
    theta = rng.normal(size=(3, 3))

    def objective(t):
        p = softmax(t)
        return float(ref_policy(ref_values(p, problem), problem) @ rule.expected(p, problem.Q))

    direction, _ = step_direction(problem, rule, "single", theta)
    np.testing.assert_allclose(direction, fd_gradient(objective, theta), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("pair_rule", ["optimistic", "mean"])
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_zero_sum_gradients(rule: ScoringRule, pair_rule: str) -> None:
    """J1(θ¹, θ²) = Σ_a π_a [S(P¹[a], Q[a]) − S(P²[a], Q[a])], π from the pair's combined values; predictor 1
    ascends J1 in θ¹, predictor 2 ascends −J1 in θ². The mean rule is smooth; the optimistic rule (a max) is
    smooth away from ties, so the reports are chosen with every |V¹_a − V²_a| ≥ 0.01."""
    rng = np.random.default_rng(8)
    problem = random_problem(rng)
    theta1, theta2 = rng.normal(size=(3, 3)), rng.normal(size=(3, 3))
    gaps = np.abs(ref_values(softmax(theta1), problem) - ref_values(softmax(theta2), problem))
    assert gaps.min() > 0.01  # far from the optimistic rule's kinks at the FD step 1e-6
    # and each predictor is the more optimistic one on some action, so both policy weights are exercised
    v1, v2 = ref_values(softmax(theta1), problem), ref_values(softmax(theta2), problem)
    assert (v1 > v2).any() and (v2 > v1).any()

    def payoff(t1, t2):
        p1, p2 = softmax(t1), softmax(t2)
        w1, w2 = ref_values(p1, problem), ref_values(p2, problem)
        values = np.maximum(w1, w2) if pair_rule == "optimistic" else 0.5 * (w1 + w2)
        diff = rule.expected(p1, problem.Q) - rule.expected(p2, problem.Q)
        return float(ref_policy(values, problem) @ diff)

    d1, d2 = step_direction(problem, rule, "zero_sum", theta1, theta2, pair_rule)
    np.testing.assert_allclose(d1, fd_gradient(lambda t: payoff(t, theta2), theta1), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(d2, fd_gradient(lambda t: -payoff(theta1, t), theta2), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.kind)
def test_self_play_gradient_is_the_stop_gradient_gradient(rule: ScoringRule) -> None:
    """F(θ) = Σ_a π_a(P_θ) [S(P_θ[a], Q[a]) − S(P_θ₀[a], Q[a])], the copy frozen at θ₀. At θ = θ₀ the
    bracket is 0, so the term through the choice, Σ_a ∇π_a · [bracket], vanishes and
    ∇F(θ₀) = Σ_a π_a(P_θ₀) ∇S(P_θ[a], Q[a]):
    the human's choice held fixed."""
    rng = np.random.default_rng(9)
    problem = random_problem(rng)
    theta0 = rng.normal(size=(3, 3))
    pi0 = ref_policy(ref_values(softmax(theta0), problem), problem)
    s0 = rule.expected(softmax(theta0), problem.Q)

    def full(t):  # the self-play objective with the human following the live model
        p = softmax(t)
        return float(ref_policy(ref_values(p, problem), problem) @ (rule.expected(p, problem.Q) - s0))

    def held(t):  # the same with π frozen
        return float(pi0 @ rule.expected(softmax(t), problem.Q))

    direction, _ = step_direction(problem, rule, "self_play", theta0)
    np.testing.assert_allclose(direction, fd_gradient(full, theta0), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(direction, fd_gradient(held, theta0), rtol=1e-6, atol=1e-8)
    # ... and it is not the single objective's gradient, whose choice term is not zero here.
    single, _ = step_direction(problem, rule, "single", theta0)
    assert np.abs(single - direction).max() > 1e-2


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_best_response_gradient_never_sees_the_choice(objective: str) -> None:
    """A best-responding human's π is locally constant (away from ties), so ∇J = Σ_a π_a ∇S(P[a], Q[a])
    for every objective; both predictors of a zero-sum pair, each on its own reports."""
    rng = np.random.default_rng(10)
    problem, rule = random_problem(rng, policy="best_response"), ScoringRule("log")
    theta = rng.normal(size=(3, 3))
    theta2 = rng.normal(size=(3, 3)) if objective == "zero_sum" else None
    if theta2 is None:
        values = ref_values(softmax(theta), problem)
    else:
        values = np.maximum(ref_values(softmax(theta), problem), ref_values(softmax(theta2), problem))
    assert np.sort(values)[-1] - np.sort(values)[-2] > 0.01  # no tie
    pi = (1 - problem.epsilon) * np.eye(3)[np.argmax(values)] + problem.epsilon / 3
    d1, d2 = step_direction(problem, rule, objective, theta, theta2)
    for d, t in [(d1, theta), (d2, theta2)]:
        if t is not None:
            held = fd_gradient(lambda x: float(pi @ rule.expected(softmax(x), problem.Q)), t)
            np.testing.assert_allclose(d, held, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("policy", ["softmax", "best_response"])
@pytest.mark.parametrize(("objective", "pair_rule"), [("single", "optimistic"), ("zero_sum", "optimistic"),
                                                      ("zero_sum", "mean"), ("self_play", "optimistic")])
def test_sampled_step_is_unbiased(objective: str, pair_rule: str, policy: str) -> None:
    """E over a ~ π, ω ~ Q[a] of the sampled step = the mean step (enumerated exactly:
    Σ_a Σ_ω π_a Q[a, ω] · step)."""
    rng = np.random.default_rng(12)
    problem, rule = random_problem(rng, policy), ScoringRule("quadratic")
    theta = rng.normal(size=(3, 3))
    theta2 = rng.normal(size=(3, 3)) if objective == "zero_sum" else None
    probs = problem.action_probs(human_values(problem, theta, theta2, pair_rule))
    mean1, mean2 = step_direction(problem, rule, objective, theta, theta2, pair_rule, sampled=False)
    acc1, acc2 = np.zeros_like(theta), np.zeros_like(theta)
    for a in range(3):
        for omega in range(3):
            d1, d2 = step_direction(problem, rule, objective, theta, theta2, pair_rule, True, a, omega)
            w = probs[a] * problem.Q[a, omega]
            acc1 += w * d1
            if d2 is not None:
                acc2 += w * d2
            # The sampled direct part touches only the row of the action taken (plus the choice term).
            if policy == "best_response":
                assert np.all(np.delete(d1, a, axis=0) == 0)
    np.testing.assert_allclose(acc1, mean1, rtol=1e-10, atol=1e-12)
    if mean2 is not None:
        np.testing.assert_allclose(acc2, mean2, rtol=1e-10, atol=1e-12)


def test_sampled_step_for_one_outcome_is_the_score_gradient() -> None:
    # Best response: the step for action a and outcome ω is ∇_θ S(P[a], ω) on row a (log: e_ω − P[a]).
    rng = np.random.default_rng(13)
    problem, rule = random_problem(rng, "best_response"), ScoringRule("log")
    theta = rng.normal(size=(3, 3))
    d, _ = step_direction(problem, rule, "single", theta, sampled=True, a=1, omega=2)
    want = np.zeros((3, 3))
    want[1] = np.eye(3)[2] - softmax(theta)[1]
    np.testing.assert_allclose(d, want, atol=1e-15)


# --- 5. dynamics ------------------------------------------------------------------------------


@pytest.mark.parametrize(("objective", "pair_rule"), [("single", "optimistic"), ("zero_sum", "optimistic"),
                                                      ("zero_sum", "mean"), ("self_play", "optimistic")])
@pytest.mark.parametrize(("rule", "lr"), [(ScoringRule("log"), 3.0), (ScoringRule("quadratic"), 3.0),
                                          (ScoringRule("spherical"), 3.0)],
                         ids=["log", "quadratic", "spherical"])
def test_exploration_makes_gradient_training_honest_everywhere(rule, lr, objective, pair_rule) -> None:
    """Best response with ε = 0.2: the choice term is 0, so row a follows lr·π_a ∇_θ S(P[a], Q[a]) with
    π_a ≥ ε/m > 0 — gradient ascent on a strictly proper expected score, whose only stationary point in
    the interior is P[a] = Q[a] — whatever the human takes. Tolerance: ‖P[a] − Q[a]‖ < 1e-3 after 600 steps
    from a random start (the linear rate near the truth is ≥ lr·(ε/m)·q(1 − q)·S″ per step)."""
    problem = three(epsilon=0.2)
    init = np.random.default_rng(1).normal(size=(3, 2)) * 1.5
    log = train(problem, rule, objective, "gradient", 600, lr, np.random.default_rng(0), init=init,
                pair_rule=pair_rule, sampled=False)
    assert log.distance_to_truth(problem.Q)[0, 0].max() > 0.1  # it starts far from the truth
    assert log.distance_to_truth(problem.Q)[0, -1].max() < 1e-3
    if objective == "zero_sum":
        assert np.linalg.norm(log.opponent[0, -1] - problem.Q, axis=-1).max() < 1e-3
    # The human ends up taking the best action, C, with 1 − ε + ε/3.
    np.testing.assert_allclose(log.action_probs[0, -1], [0.2 / 3, 0.2 / 3, 0.8 + 0.2 / 3], atol=1e-12)


@pytest.mark.parametrize("sampled", [False, True])
@pytest.mark.parametrize("objective", OBJECTIVES)
def test_without_exploration_an_unplayed_report_never_moves(objective: str, sampled: bool) -> None:
    """ε = 0, best response: the human takes action 1 from the start (reported good-outcome chances 0.88 and
    ≤ 0.12), the step touches only the rows of actions taken, so action 2's report stays exactly where it
    was, even in zero-sum training, and the human never learns that action 2 is better (½ > 1/3)."""
    problem = example()
    init = np.array([[2.0, 0.0], [-2.0, 0.0]]) if not sampled else np.array([[2.0, 0.0], [-6.0, 0.0]])
    lr = 2.0 if not sampled else 0.1
    log = train(problem, ScoringRule("log"), objective, "gradient", 300, lr, np.random.default_rng(4), runs=8,
                init=init, sampled=sampled)
    start = softmax(init)[1]
    np.testing.assert_allclose(log.reports[:, 0, 1], np.broadcast_to(start, (8, 2)), atol=1e-15)
    assert np.all(log.reports[:, :, 1] == log.reports[:, :1, 1])  # bitwise, at every step
    if objective == "zero_sum":
        assert np.all(log.opponent[:, :, 1] == log.opponent[:, :1, 1])
    assert np.all(log.actions == 0)
    np.testing.assert_allclose(log.utilities, 1 / 3, atol=1e-15)
    if not sampled:  # the played action's report does learn the truth
        np.testing.assert_allclose(log.reports[:, -1, 0], np.broadcast_to(EXAMPLE_Q[0], (8, 2)), atol=1e-6)


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_sgd_fluctuates_around_the_truth(objective: str) -> None:
    """Sampled training, log rule, best response with ε = 0.5, truth 0.2 and 0.7 (the human takes action 2).

    In logit coordinates the log rule's sampled step on row a is lr·1[a_t = a](e_ω − P[a]), with conditional
    mean lr·π_a (Q[a] − P[a]). While the human's choice stays put (π constant), stationarity of θ gives
    E[P[a]] = Q[a] exactly: no O(lr) bias despite the softmax's curvature. Runs are independent, so the
    per-run averages over the last 800 steps (after 800 steps of burn-in, ≈ 8 relaxation times
    1/(lr π_a q(1 − q)) ≈ 100 steps) are i.i.d.: we allow 4 standard errors (estimated across runs), plus
    a bound on the bias from the rare steps where the fluctuating reports swap the human's choice:
    stationarity gives E[(Q − P)·1(kept)] = −(π_swap/π_kept) E[(Q − P)·1(swap)], at most 3 × their
    fraction."""
    problem = DecisionProblem.of(Q=np.array([[0.2, 0.8], [0.7, 0.3]]), U=GOOD.copy(), epsilon=0.5)
    runs, steps, burn = 100, 1600, 800
    log = train(problem, ScoringRule("log"), objective, "gradient", steps, 0.25, np.random.default_rng(6),
                runs=runs)
    tail = log.reports[:, burn:steps, :, 0]
    per_run = tail.mean(axis=1)
    mean, se = per_run.mean(axis=0), per_run.std(axis=0, ddof=1) / math.sqrt(runs)
    swapped = float(np.mean(log.action_probs[:, burn:, 1] != 0.75))
    assert swapped < 0.01
    assert np.all(np.abs(mean - problem.Q[:, 0]) <= 4 * se + 3 * swapped)
    assert np.all(se < 0.005)  # the test has power: the tolerance is well below the spread of the reports
    assert tail[..., 0].std() > 0.05


def test_softmax_human_single_gradient_learns_to_lie_self_play_does_not() -> None:
    """Softmax human (β = 20, ε = 0), the example of docs/theory.md#conditional-predictions, mean dynamics from uniform reports.

    Single: J = Σ_a π_a(P) S(P[a], Q[a]). At honest reports the direct term vanishes (propriety) but the
    choice term does not: ∂J/∂V₂ = β σ₁σ₂ (G(1/2) − G(1/3)) < 0, so the gradient lowers action 2's
    reported value: honesty is not stationary, and training converges to the steering lie (the human's
    utility falls from ≈ 0.494 towards 1/3).
    Self-play: the bracket S(P[a]) − S(sg(P)[a]) is 0, so that term has coefficient 0 (see the gradient
    test); each row ascends π_a S(P[a], Q[a]) and the played action's report converges to the truth, as
    does the zero-sum pair (started equal, it stays equal: payoff 0, so its choice terms vanish too)."""
    problem, rule = example(policy="softmax", beta=20.0), ScoringRule("log")
    truth = honest(problem, rule)
    lie = single_optimum(problem, rule)
    log = train(problem, rule, "single", "gradient", 1500, 1.0, np.random.default_rng(0), sampled=False)
    assert log.utilities[0, -1] < truth.human_utility - 0.1
    assert log.expected_scores[0, -1] > truth.score + 0.03
    assert log.expected_scores[0, -1] == pytest.approx(lie.score, abs=1e-3)  # it finds the optimal lie
    assert log.reports[0, -1, 1, 0] < 0.05  # action 2 reported nearly hopeless
    for objective in ("self_play", "zero_sum"):
        log = train(problem, rule, objective, "gradient", 1500, 1.0, np.random.default_rng(0), sampled=False)
        played = int(np.argmax(log.action_probs[0, -1]))
        assert played == 1
        assert np.linalg.norm(log.reports[0, -1, played] - problem.Q[played]) < 1e-3
        assert log.utilities[0, -1] == pytest.approx(truth.human_utility, abs=1e-6)


def test_random_search_single_finds_the_steering_lie() -> None:
    """Best response, ε = 0, from uniform reports: a proposal is kept when it raises the expected score,
    and the global optimum is the lie scoring G(1/3) = −0.6365 (test_decisions). Every run gets there."""
    log = train(example(), ScoringRule("log"), "single", "random-search", 1000, 0.5, np.random.default_rng(2),
                runs=20)
    np.testing.assert_allclose(log.expected_scores[:, -1], G_LOG, atol=1e-3)
    np.testing.assert_allclose(log.utilities[:, -1], 1 / 3, atol=1e-15)  # the human is steered to action 1
    # Random search never accepts a worse proposal (in expectation: the objective it compares).
    assert np.all(np.diff(log.expected_scores, axis=1) >= -1e-12)


def test_random_search_from_the_truth_self_play_stays_single_leaves() -> None:
    """From honest reports: a self-playing model keeps a proposal only if it beats the current (honest)
    copy, Σ_a π_a [S(P'[a], Q[a]) − S(Q[a], Q[a])] > 0, impossible by propriety — honesty is absorbing and no
    step is ever taken. A single predictor leaves it for the lie."""
    init = np.log(EXAMPLE_Q)
    kwargs = {"runs": 20, "init": init}
    rng = np.random.default_rng(3)
    log = train(example(), ScoringRule("log"), "self_play", "random-search", 300, 0.5, rng, **kwargs)
    assert np.all(log.reports == log.reports[:, :1])
    np.testing.assert_allclose(log.reports[:, -1], np.broadcast_to(EXAMPLE_Q, (20, 2, 2)), atol=1e-15)
    log = train(example(), ScoringRule("log"), "single", "random-search", 300, 0.5, np.random.default_rng(3),
                **kwargs)
    assert np.all(log.expected_scores[:, -1] > -0.66)  # honest scores ln ½ = −0.693
    np.testing.assert_allclose(log.utilities[:, -1], 1 / 3, atol=1e-15)


@pytest.mark.parametrize("objective", ["self_play", "zero_sum"])
def test_random_search_with_exploration_self_play_and_pair_are_honest(objective: str) -> None:
    """ε = 0.2: every action is scored, so honesty everywhere is the only state no proposal improves on
    (against a copy or an opponent with P ≠ Q on some action, reporting Q there gains (ε/m)·divergence > 0).
    Random search keeps only improvements, so it approaches the truth slowly (an improving proposal gets
    rarer near it): tolerance 0.05 per action after 1500 steps with proposal scale 0.5 in logits. The human
    takes the best action, utility 0.1·(1/3) + 0.9·(1/2). The single predictor, by contrast, settles at the
    ε-lie x₀ = x₁ = 0.35 scoring G(0.35) = −0.6474 (test_decisions) and takes action 1."""
    problem = example(epsilon=0.2)
    rng = np.random.default_rng(4)
    log = train(problem, ScoringRule("log"), objective, "random-search", 1500, 0.5, rng, runs=30)
    assert log.distance_to_truth(problem.Q)[:, -1].max() < 0.05
    np.testing.assert_allclose(log.utilities[:, -1], 0.1 / 3 + 0.45, atol=1e-12)
    rng = np.random.default_rng(4)
    single = train(problem, ScoringRule("log"), "single", "random-search", 1500, 0.5, rng, runs=30)
    g35 = 0.35 * math.log(0.35) + 0.65 * math.log(0.65)
    np.testing.assert_allclose(single.expected_scores[:, -1], g35, atol=3e-3)
    assert np.all(single.expected_scores[:, -1] <= g35 + 1e-9)  # the optimum bounds what it can find
    np.testing.assert_allclose(single.utilities[:, -1], 0.9 / 3 + 0.05, atol=1e-12)


# --- 6. the log: shapes, invariants, reproducibility, arguments ------------------------------

CONFIGS = [(o, m, s) for o in OBJECTIVES
           for m, s in [("gradient", True), ("gradient", False), ("random-search", True)]]


@pytest.mark.parametrize(("objective", "method", "sampled"), CONFIGS)
def test_log_shapes_and_invariants(objective: str, method: str, sampled: bool) -> None:
    rng = np.random.default_rng(20)
    problem, rule = random_problem(rng), ScoringRule("log")
    runs, steps, m, n = 5, 40, 3, 3
    init = rng.normal(size=(m, n)) * 3
    log = train(problem, rule, objective, method, steps, 0.7, np.random.default_rng(21), runs=runs, init=init,
                sampled=sampled, pair_rule="mean")
    assert log.reports.shape == (runs, steps + 1, m, n)
    assert log.opponent is None if objective != "zero_sum" else log.opponent.shape == (runs, steps + 1, m, n)
    for arr in (log.actions, log.outcomes, log.scores, log.expected_scores, log.utilities):
        assert arr.shape == (runs, steps)
    assert log.action_probs.shape == (runs, steps, m)
    assert log.distance_to_truth(problem.Q).shape == (runs, steps + 1, m)
    assert log.actions.dtype.kind == "i" and log.outcomes.dtype.kind == "i"
    assert 0 <= log.actions.min() and log.actions.max() < m
    assert 0 <= log.outcomes.min() and log.outcomes.max() < n
    for reports in (log.reports, log.opponent):
        if reports is not None:
            assert np.all(reports >= 0)
            np.testing.assert_allclose(reports.sum(axis=-1), 1.0, atol=1e-12)
            start = np.broadcast_to(softmax(init), (runs, m, n))
            np.testing.assert_allclose(reports[:, 0], start, atol=1e-14)
    assert np.all(log.action_probs >= 0)
    np.testing.assert_allclose(log.action_probs.sum(axis=-1), 1.0, atol=1e-12)
    # The recorded quantities follow from the recorded reports, computed independently.
    seen = log.reports[:, :-1]
    v = ref_values(seen, problem)
    if objective == "zero_sum":
        v = 0.5 * (v + ref_values(log.opponent[:, :-1], problem))
    np.testing.assert_allclose(log.action_probs, ref_policy(v, problem), rtol=1e-12, atol=1e-15)
    r, t = np.meshgrid(np.arange(runs), np.arange(steps), indexing="ij")
    np.testing.assert_allclose(log.scores, np.log(seen[r, t, log.actions, log.outcomes]), rtol=1e-12)
    want = np.sum(log.action_probs * np.sum(problem.Q * np.log(seen), axis=-1), axis=-1)
    np.testing.assert_allclose(log.expected_scores, want, rtol=1e-12)
    per_action = np.sum(problem.Q * problem.U, axis=1)
    np.testing.assert_allclose(log.utilities, log.action_probs @ per_action, rtol=1e-12)
    assert np.all(np.isfinite(log.scores))


@pytest.mark.parametrize(("method", "policy", "lr"), [("gradient", "softmax", 200.0),
                                                ("random-search", "best_response", 30.0)])
def test_reports_keep_off_the_faces(method: str, policy: str, lr: float) -> None:
    """Logits are clipped to [−C, C] (C = LOGIT_CLIP), so every probability is at least
    e^{−C}/(e^{−C} + (n − 1)e^{C}) = e^{−2C}/(1 + e^{−2C}) for n = 2, and the log score stays finite, even
    with huge steps towards a face: the single objective drives a steep softmax human's action-2 report to 0;
    random search with ε = 0 accepts any report for the unplayed action, however extreme."""
    problem = example(policy=policy, beta=20.0)
    log = train(problem, ScoringRule("log"), "single", method, 300, lr, np.random.default_rng(9), runs=10)
    floor = math.exp(-2 * LOGIT_CLIP) / (1 + math.exp(-2 * LOGIT_CLIP))
    assert log.reports.min() >= floor * (1 - 1e-9)
    assert log.reports.min() < 1e-12  # the steps do reach the clip
    assert np.all(np.isfinite(log.scores)) and np.all(np.isfinite(log.expected_scores))


@pytest.mark.parametrize("objective", OBJECTIVES)
@pytest.mark.parametrize("method", ["gradient", "random-search"])
def test_same_seed_same_log_different_seed_different_actions(objective: str, method: str) -> None:
    problem, rule = example(epsilon=0.3), ScoringRule("quadratic")
    a, b, c = (train(problem, rule, objective, method, 50, 0.5, np.random.default_rng(s), runs=6)
               for s in (5, 5, 6))
    for field in ("reports", "opponent", "actions", "outcomes", "scores", "expected_scores", "utilities",
                  "action_probs"):
        x, y = getattr(a, field), getattr(b, field)
        assert (x is None and y is None) or np.array_equal(x, y), field
    # 300 actions drawn with probability ≥ 0.15 each: identical sequences have probability < 0.85^300.
    assert not np.array_equal(a.actions, c.actions)


def test_best_responding_human_makes_the_three_objectives_coincide() -> None:
    """With a best-responding human the choice term is 0, so single, self-play and both zero-sum predictors
    (started equal, updated by the same sampled action and outcome) make the same steps."""
    problem, rule = example(epsilon=0.2), ScoringRule("log")
    logs = {o: train(problem, rule, o, "gradient", 100, 0.5, np.random.default_rng(8), runs=3)
            for o in OBJECTIVES}
    for o in ("zero_sum", "self_play"):
        np.testing.assert_array_equal(logs[o].reports, logs["single"].reports)
        np.testing.assert_array_equal(logs[o].actions, logs["single"].actions)
    np.testing.assert_array_equal(logs["zero_sum"].opponent, logs["single"].reports)


def test_sampling_frequencies() -> None:
    """train draws the action a ~ π (the probabilities it logs) and the outcome ω ~ Q[a] of the action taken.
    ε = 0.9 keeps every action frequent. Binomial tolerance: 5 standard deviations of each frequency."""
    problem = three(epsilon=0.9)
    log = train(problem, ScoringRule("quadratic"), "single", "gradient", 200, 1e-9, np.random.default_rng(31),
                runs=200)
    for a in range(3):
        taken = log.actions == a
        k = int(taken.sum())
        good = float(np.mean(log.outcomes[taken] == 0))
        q = problem.Q[a, 0]
        assert abs(good - q) <= 5 * math.sqrt(q * (1 - q) / k)
        share = log.action_probs[..., a].mean()
        assert abs(k / log.actions.size - share) <= 5 * math.sqrt(0.25 / log.actions.size)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"objective": "adversarial"}, "objective"),
    ({"method": "adam"}, "method"),
    ({"steps": 0}, "steps"),
    ({"steps": MAX_STEPS + 1}, "steps"),
    ({"runs": 0}, "runs"),
    ({"step_size": 0.0}, "step_size"),
    ({"step_size": -0.5}, "step_size"),
    ({"step_size": float("nan")}, "step_size"),
    ({"step_size": float("inf")}, "step_size"),
    ({"objective": "zero_sum", "pair_rule": "median"}, "pair_rule"),
])
def test_bad_arguments(kwargs: dict, match: str) -> None:
    args = {"objective": "single", "method": "gradient", "steps": 10, "step_size": 0.5, "runs": 1}
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        train(example(), ScoringRule("log"), seed=0, **args)
