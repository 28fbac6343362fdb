"""A market of k predictors in one world: their reports pooled into the announcement, and what each is paid.

Predictor i reports pᵢ; the world responds to the announcement A = pool(p₁, …, p_k) with the outcome
distribution f(A). The pools (weights wᵢ ≥ 0, Σ wᵢ = 1):

- ``"linear"``: A = Σ wᵢ pᵢ, so ∂A/∂pᵢ = wᵢ I;
- ``"log"``: the normalised weighted geometric mean, A ∝ Π pᵢ^wᵢ, so ∂A_ω/∂p_iν = wᵢ A_ω (δ_ων − A_ν)/p_iν.

Payment (``"own"``): S(pᵢ, y) with y ~ f(A), the scenario's proper rule on the predictor's own report;
(``"zero-sum"``): S(pᵢ, y) − mean_{j≠i} S(pⱼ, y), Hudson's joint rule. Every predictor knows f.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.model.rules import ScoringRule
from core.model.worlds import World

POOLS = ("linear", "log")
PAYMENTS = ("own", "zero-sum")


@dataclass(frozen=True)
class Market:
    """k predictors with weights ``weights`` (shape ``(k,)``, summing to 1) in ``world``, paid by ``rule``."""

    world: World
    rule: ScoringRule
    weights: np.ndarray
    pool: str = "linear"
    payment: str = "own"

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=float)
        if w.ndim != 1 or len(w) < 1 or not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise ValueError("weights: give one positive weight per predictor")
        object.__setattr__(self, "weights", w / w.sum())
        if self.pool not in POOLS:
            raise ValueError(f"pool: choose one of {', '.join(POOLS)}, not {self.pool!r}")
        if self.payment not in PAYMENTS:
            raise ValueError(f"payment: choose one of {', '.join(PAYMENTS)}, not {self.payment!r}")
        self.rule.check_outcomes(self.world.n)

    @classmethod
    def equal(cls, world: World, rule: ScoringRule, k: int, pool: str = "linear", payment: str = "own") -> Market:
        return cls(world, rule, np.full(k, 1.0 / k), pool, payment)

    @property
    def k(self) -> int:
        return len(self.weights)

    def announce(self, reports: np.ndarray) -> np.ndarray:
        """The pooled announcement of report profiles ``(..., k, n)``, shape ``(..., n)``."""
        reports = np.asarray(reports, dtype=float)
        if self.pool == "linear":
            return np.einsum("k,...kn->...n", self.weights, reports)
        with np.errstate(divide="ignore"):
            log = np.einsum("k,...kn->...n", self.weights, np.log(reports))
        a = np.exp(log - log.max(axis=-1, keepdims=True))
        return a / a.sum(axis=-1, keepdims=True)

    def replaced(self, reports: np.ndarray, i: int, r: np.ndarray) -> np.ndarray:
        """Profiles with predictor i's report replaced by each row of ``r`` ``(B, n)``: shape ``(B, k, n)``."""
        r = np.atleast_2d(r)
        out = np.repeat(np.asarray(reports, dtype=float)[None], len(r), axis=0)
        out[:, i] = r
        return out

    def charge(self, reports: np.ndarray, i: int) -> np.ndarray:
        """What is subtracted from predictor i's score when outcome ω happens: 0 (own payment), or the mean of
        the others' scores S(pⱼ, ω) (zero-sum), shape ``(n,)``."""
        reports = np.asarray(reports, dtype=float)
        if self.payment == "own" or self.k == 1:
            return np.zeros(reports.shape[-1])
        others = np.delete(reports, i, axis=0)
        with np.errstate(divide="ignore"):
            return self.rule.scores(others).mean(axis=0)

    def payoff(self, reports: np.ndarray, i: int, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predictor i's expected payment, and its gradient, when it reports each row of ``r`` ``(B, n)`` and
        the others keep ``reports`` (``(k, n)``): E_{y∼f(A)}[S(r, y) − c(y)] and its (ambient) gradient
        ∇₁S(r, f(A)) + (∂A/∂r)ᵀ Df(A)ᵀ (s(r) − c), with s(r)_ω = S(r, ω) and c the :meth:`charge`."""
        r = np.atleast_2d(np.asarray(r, dtype=float))
        c = self.charge(reports, i)
        profiles = self.replaced(reports, i, r)
        a = self.announce(profiles)
        q = self.world(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = self.rule.scores(r)
            value = self.rule.expected(r, q) - q @ c
            through = np.einsum("bij,bi->bj", self.world.jacobian(a), s - c)
            grad = self.rule.expected_gradient(r, q) + self.pool_transpose(a, r, i, through)
        return value, grad

    def pool_transpose(self, a: np.ndarray, r: np.ndarray, i: int, v: np.ndarray) -> np.ndarray:
        """(∂A/∂pᵢ)ᵀ v at announcements ``a`` with predictor i reporting ``r`` (rows of a batch)."""
        w = self.weights[i]
        if self.pool == "linear":
            return w * v
        # Σ_ω v_ω wᵢ A_ω (δ_ων − A_ν)/r_ν = wᵢ (v_ν A_ν − A_ν ⟨v, A⟩)/r_ν
        return w * a * (v - np.einsum("bn,bn->b", v, a)[:, None]) / r
