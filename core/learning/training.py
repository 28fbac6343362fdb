"""Training conditional predictors for a decision maker (docs/theory.md#conditional-predictions).

A predictor is a table of logits θ (m × n), one softmax distribution P[a] = softmax(θ[a]) per
action. Each step the human acts on the current reports, an action a and an outcome ω ~ Q[a] are
sampled, and the predictor(s) update. Objectives:

- ``"single"``: one predictor ascends its own score S(P[a], ω).
- ``"zero_sum"``: two predictors; predictor 1 earns S(P¹[a], ω) − S(P²[a], ω), predictor 2 the
  negative; the human judges each action by ``pair_rule`` of the two reports.
- ``"self_play"``: one model scored against a detached copy of itself (weight sharing),
  S(P[a], ω) − S(sg(P)[a], ω); the human sees the model's reports.

Methods: ``"gradient"`` (gradient ascent on the score of the action taken; where the human's
response is smooth, softmax, the gradient also sees how a report moves the human's choice; for a
best-responding human that part is zero: the gradient never sees the action change), and ``"random-search"`` (a non-local
search: a Gaussian proposal in logit space, kept if it does better in expectation, as a large batch
would tell; a zero-sum predictor compares against its current opponent, a self-playing one against
its own detached copy). All runs of a batch advance together.
"""

from __future__ import annotations

from collections.abc import Sequence

from dataclasses import dataclass

import numpy as np

from core.decisions.problem import DecisionProblem, expected_score, pair_gain
from core.model.choice import softmax
from core.model.rules import ScoringRule

OBJECTIVES = {
    "single": "one predictor, its own score",
    "zero_sum": "two predictors, zero-sum",
    "self_play": "one model against a detached copy of itself",
}
METHODS = {"gradient": "gradient ascent", "random-search": "random search (non-local)"}
MAX_STEPS = 5000
#: Reports stay this far from the simplex's faces (logits are clipped), so the log score stays finite.
LOGIT_CLIP = 20.0


@dataclass(frozen=True)
class TrainingLog:
    """Everything a training run did, per run and step.

    reports : (runs, steps + 1, m, n) the model's reports (predictor 1).
    opponent : the same for predictor 2 in zero-sum training, else ``None``.
    actions, outcomes : (runs, steps) what was sampled.
    scores : (runs, steps) the model's realised score S(P[a], ω).
    expected_scores : (runs, steps) its expected score Σ_a π_a S(P[a], Q[a]) (single-predictor view).
    utilities : (runs, steps) the human's expected utility under the reports.
    action_probs : (runs, steps, m) the human's action probabilities.
    """

    reports: np.ndarray
    opponent: np.ndarray | None
    actions: np.ndarray
    outcomes: np.ndarray
    scores: np.ndarray
    expected_scores: np.ndarray
    utilities: np.ndarray
    action_probs: np.ndarray

    def distance_to_truth(self, truth: np.ndarray) -> np.ndarray:
        """‖P[a] − Q[a]‖₂ per run, step and action: (runs, steps + 1, m)."""
        return np.linalg.norm(self.reports - truth, axis=-1)


def train(problem: DecisionProblem, rule: ScoringRule, objective: str, method: str, steps: int, step_size: float,
          seed: int | Sequence[int] | np.random.Generator = 0, runs: int = 1, pair_rule: str = "optimistic",
          init: np.ndarray | None = None, sampled: bool = True) -> TrainingLog:
    """Train ``runs`` independent copies for ``steps`` steps; see the module docstring.

    ``step_size`` is the step size of gradient ascent, or the proposal's standard deviation for random
    search (as in :func:`core.learning.dynamics.simulate`); ``seed`` seeds the generator of the sampled actions,
    outcomes and proposals (or is that generator). ``init``: initial logits (m × n) shared by all runs; uniform reports by default.
    ``sampled``: gradients from the sampled action and outcome (stochastic), or their expectation
    over both (deterministic, the mean dynamics). The effect of a report on a softmax human's choice
    is always taken in expectation.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"objective: choose one of {', '.join(OBJECTIVES)}, not {objective!r}")
    if method not in METHODS:
        raise ValueError(f"method: choose one of {', '.join(METHODS)}, not {method!r}")
    if not 1 <= steps <= MAX_STEPS or not 1 <= runs <= 1000:
        raise ValueError(f"steps must be 1..{MAX_STEPS} and runs 1..1000, got {steps} and {runs}")
    if not (np.isfinite(step_size) and step_size > 0):
        raise ValueError(f"step_size must be a positive number, got {step_size!r}")
    rng, lr = np.random.default_rng(seed), step_size
    m, n = problem.Q.shape
    theta = np.broadcast_to(np.zeros((m, n)) if init is None else np.asarray(init, float), (runs, m, n)).copy()
    theta2 = theta.copy() if objective == "zero_sum" else None
    log = _Recorder(runs, steps, m, n, two=theta2 is not None)
    for t in range(steps):
        p = softmax(theta)
        p2 = softmax(theta2) if theta2 is not None else None
        values = problem.pair_values(p, p2, pair_rule) if p2 is not None else problem.values(p)
        probs = problem.action_probs(values)
        a = _sample_rows(probs, rng)
        omega = _sample_rows(problem.Q[a], rng)
        log.record(t, problem, rule, p, p2, probs, a, omega)
        if method == "gradient":
            theta, theta2 = gradient_step(problem, rule, objective, pair_rule, theta, theta2, probs, a, omega, lr,
                                           sampled)
        else:
            theta, theta2 = _search_step(problem, rule, objective, pair_rule, theta, theta2, lr, rng)
        np.clip(theta, -LOGIT_CLIP, LOGIT_CLIP, out=theta)
        if theta2 is not None:
            np.clip(theta2, -LOGIT_CLIP, LOGIT_CLIP, out=theta2)
    log.finish(softmax(theta), None if theta2 is None else softmax(theta2))
    return log.result()


def _sample_rows(probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One index per row of ``probs`` (rows are distributions)."""
    u = rng.random(probs.shape[0])
    return np.minimum((np.cumsum(probs, axis=-1) < u[:, None]).sum(axis=-1), probs.shape[-1] - 1)


def _onehot(index: np.ndarray, n: int) -> np.ndarray:
    return np.eye(n)[index]


def _score_grad(rule: ScoringRule, p_rows: np.ndarray, q_rows: np.ndarray) -> np.ndarray:
    """∇_θ S(softmax(θ), q) for rows θ, by the chain rule through the softmax: (diag P − P Pᵀ) ∇_P S."""
    g = rule.expected_gradient(p_rows, q_rows)
    return p_rows * (g - np.sum(p_rows * g, axis=-1, keepdims=True))


def _policy_term(problem: DecisionProblem, p: np.ndarray, values: np.ndarray, weight: np.ndarray,
                 payoff: np.ndarray) -> np.ndarray:
    """∇_θ Σ_a π_a payoff_a through the human's choice alone, for the predictor whose reports are ``p``.

    ``values``: the action values the human acts on. ``weight`` (runs, m): how much this predictor's
    values count in them (:meth:`DecisionProblem.pair_weights`; 1 for a single predictor). Zero for a
    best-responding human, whose choice is a step function of the reports.
    """
    # ∂/∂V_c Σ_a π_a x_a = (1 − ε) Σ_a x_a ∂σ_a/∂V_c, and ∂V_c/∂P[c] = weight_c U[c].
    d_values = (1.0 - problem.epsilon) * np.einsum("ra,rac->rc", payoff, problem.choice.derivative(values)) * weight
    d_p = d_values[:, :, None] * problem.U[None]
    return p * (d_p - np.sum(p * d_p, axis=-1, keepdims=True))


def _direct_term(rule: ScoringRule, problem: DecisionProblem, p: np.ndarray, probs: np.ndarray, a: np.ndarray,
                 omega: np.ndarray, sampled: bool) -> np.ndarray:
    """∇_θ of the score on the action taken, with the action held fixed: for the sampled action and
    outcome, or in expectation Σ_a π_a ∇_θ S(P[a], Q[a])."""
    if sampled:
        rows = np.arange(p.shape[0])
        grad = np.zeros_like(p)
        grad[rows, a] = _score_grad(rule, p[rows, a], _onehot(omega, p.shape[-1]))
        return grad
    return probs[:, :, None] * _score_grad(rule, p, np.broadcast_to(problem.Q, p.shape))


def gradient_step(problem: DecisionProblem, rule: ScoringRule, objective: str, pair_rule: str, theta: np.ndarray,
                  theta2: np.ndarray | None, probs: np.ndarray, a: np.ndarray, omega: np.ndarray, lr: float,
                  sampled: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """One step of gradient training of logits ``theta`` (runs, m, n) (and the opponent's ``theta2`` in
    zero-sum training): the update :func:`train` applies, given the human's action probabilities ``probs``
    (runs, m), and the sampled actions ``a`` and outcomes ``omega`` (runs,), used when ``sampled``."""
    p = softmax(theta)
    grad = _direct_term(rule, problem, p, probs, a, omega, sampled)
    if objective == "self_play":
        # S(P[a], ω) − S(sg(P)[a], ω) is 0 in value, so the action's effect drops out of the gradient.
        return theta + lr * grad, None
    values = problem.values(p) if theta2 is None else problem.pair_values(p, softmax(theta2), pair_rule)
    with np.errstate(divide="ignore", invalid="ignore"):
        own = rule.expected(p, problem.Q)
    if objective == "single":
        return theta + lr * (grad + _policy_term(problem, p, values, np.ones_like(own), own)), None
    p2 = softmax(theta2)
    grad2 = _direct_term(rule, problem, p2, probs, a, omega, sampled)
    with np.errstate(divide="ignore", invalid="ignore"):
        payoff = own - rule.expected(p2, problem.Q)
    w1, w2 = problem.pair_weights(p, p2, pair_rule)
    grad += _policy_term(problem, p, values, w1, payoff)
    grad2 -= _policy_term(problem, p2, values, w2, payoff)
    return theta + lr * grad, theta2 + lr * grad2


def _search_step(problem, rule, objective, pair_rule, theta, theta2, sigma, rng):
    proposal = theta + sigma * rng.standard_normal(theta.shape)
    p, q = softmax(theta), softmax(proposal)
    with np.errstate(divide="ignore", invalid="ignore"):
        if objective == "single":
            better = expected_score(problem, rule, q) > expected_score(problem, rule, p)
        elif objective == "self_play":
            better = pair_gain(problem, rule, q, p, pair_rule) > 0
        else:
            p2 = softmax(theta2)
            better = pair_gain(problem, rule, q, p2, pair_rule) > pair_gain(problem, rule, p, p2, pair_rule)
    theta = np.where(better[:, None, None], proposal, theta)
    if objective != "zero_sum":
        return theta, None
    proposal2 = theta2 + sigma * rng.standard_normal(theta2.shape)
    p1, p2, q2 = softmax(theta), softmax(theta2), softmax(proposal2)
    with np.errstate(divide="ignore", invalid="ignore"):
        better2 = pair_gain(problem, rule, q2, p1, pair_rule) > pair_gain(problem, rule, p2, p1, pair_rule)
    return theta, np.where(better2[:, None, None], proposal2, theta2)


class _Recorder:
    def __init__(self, runs: int, steps: int, m: int, n: int, two: bool) -> None:
        self.reports = np.empty((runs, steps + 1, m, n))
        self.opponent = np.empty((runs, steps + 1, m, n)) if two else None
        self.actions = np.empty((runs, steps), dtype=int)
        self.outcomes = np.empty((runs, steps), dtype=int)
        self.scores = np.empty((runs, steps))
        self.expected = np.empty((runs, steps))
        self.utilities = np.empty((runs, steps))
        self.probs = np.empty((runs, steps, m))

    def record(self, t, problem, rule, p, p2, probs, a, omega) -> None:
        rows = np.arange(p.shape[0])
        self.reports[:, t] = p
        if self.opponent is not None:
            self.opponent[:, t] = p2
        self.actions[:, t], self.outcomes[:, t], self.probs[:, t] = a, omega, probs
        with np.errstate(divide="ignore", invalid="ignore"):
            self.scores[:, t] = rule.scores(p[rows, a])[rows, omega]
            self.expected[:, t] = np.sum(probs * rule.expected(p, problem.Q), axis=-1)
        self.utilities[:, t] = problem.human_utility(probs)

    def finish(self, p, p2) -> None:
        self.reports[:, -1] = p
        if self.opponent is not None:
            self.opponent[:, -1] = p2

    def result(self) -> TrainingLog:
        return TrainingLog(self.reports, self.opponent, self.actions, self.outcomes, self.scores, self.expected,
                           self.utilities, self.probs)


def mean_curves(problem: DecisionProblem, rule: ScoringRule, pair_rule: str, step_size: float, steps: int, sampled: bool,
                variants: tuple[str, ...], seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Learning curves of each ``"objective:method"`` variant, averaged over runs (8 sampled, 4 of the mean
    dynamics): each action's distance from the truth, the human's utility, the expected score, and the final
    reports. Variant i draws from ``default_rng([seed, i])``."""
    runs = 8 if sampled else 4
    result = {}
    for i, variant in enumerate(variants):
        objective, method = variant.split(":")
        log = train(problem, rule, objective, method, steps, step_size, [seed, i], runs=runs,
                    pair_rule=pair_rule, sampled=sampled)
        result[variant] = {
            "distance": log.distance_to_truth(problem.Q).mean(axis=0),
            "utility": log.utilities.mean(axis=0),
            "score": log.expected_scores.mean(axis=0),
            "final": log.reports[:, -1].mean(axis=0),
        }
    return result
