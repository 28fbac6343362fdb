"""Checks of an equilibrium of the zero-sum pair: the best unilateral deviation a search can find."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from core.decisions.problem import FLOOR, DecisionProblem, gain_against
from core.model.choice import softmax
from core.model.rules import ScoringRule


def best_deviation_gain(problem: DecisionProblem, rule: ScoringRule, opponent: np.ndarray, pair_rule: str,
                        samples: int = 4000, rng: np.random.Generator | None = None) -> float:
    """The largest zero-sum payoff predictor 1 finds against ``opponent`` (predictor 2's reports ``(m, n)``, or
    all the others' ``(k − 1, m, n)``): random reports (Dirichlet samples, a non-local search) refined by
    Nelder–Mead from the best few."""
    rng = np.random.default_rng(0) if rng is None else rng
    m, n = problem.Q.shape
    cands = rng.dirichlet(np.ones(n), size=(samples, m))
    others = np.asarray(opponent, dtype=float).reshape((-1,) + problem.Q.shape)
    cands = np.concatenate([cands, problem.Q[None], others])  # what the others report are candidates too
    gains = gain_against(problem, rule, np.clip(cands, FLOOR, 1.0), others, pair_rule)
    gains = np.where(np.isfinite(gains), gains, -np.inf)
    best = float(gains.max())
    for i in np.argsort(-gains)[:3]:
        def negative(theta: np.ndarray) -> float:
            p = np.clip(softmax(theta.reshape(m, n)), FLOOR, 1.0)
            value = float(gain_against(problem, rule, p, others, pair_rule))
            return -value if np.isfinite(value) else 1e300

        res = minimize(negative, np.log(np.clip(cands[i], FLOOR, 1.0)).ravel(), method="Nelder-Mead",
                       options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 4000})
        best = max(best, -float(res.fun))
    return best


