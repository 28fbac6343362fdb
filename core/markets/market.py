"""A market of k predictors in one world: their reports pooled into the announcement, and what each is paid.

Predictor i reports pᵢ; the world responds to the announcement A = pool(p₁, …, p_k) with the outcome
distribution f(A). The pools (weights wᵢ ≥ 0, Σ wᵢ = 1):

- ``"linear"``: A = Σ wᵢ pᵢ, so ∂A/∂pᵢ = wᵢ I;
- ``"log"``: the normalised weighted geometric mean, A ∝ Π pᵢ^wᵢ, so ∂A_ω/∂p_iν = wᵢ A_ω (δ_ων − A_ν)/p_iν.

Payment (``"own"``): S(pᵢ, y) with y ~ f(A), the scenario's proper rule on the predictor's own report;
(``"zero-sum"``): S(pᵢ, y) − mean_{j≠i} S(pⱼ, y), Hudson's joint rule. Every predictor knows f.

``"lmsr"``, the market maker (Hanson's logarithmic market scoring rule): the price opens at the uniform
distribution and the traders arrive in turn. Trader i moves the price from its predecessor's pᵢ₋₁ to pᵢ and is
paid ln pᵢ(y) − ln pᵢ₋₁(y), whatever the scenario's rule; it believes its price is the one the world responds
to (a myopic trader), so it maximises E_{y∼f(pᵢ)}[ln pᵢ(y) − ln pᵢ₋₁(y)]. The announcement is the last price.
Row i of a report profile is trader i's price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.model.rules import ScoringRule
from core.model.worlds import World

POOLS = ("linear", "log", "lmsr")
PAYMENTS = ("own", "zero-sum")
LOG = ScoringRule("log")


@dataclass(frozen=True)
class Market:
    """k predictors with weights ``weights`` (shape ``(k,)``, summing to 1) in ``world``, paid by ``rule`` (the
    market maker's traders, all alike, by the logarithmic rule)."""

    world: World
    rule: ScoringRule
    weights: np.ndarray
    pool: str = "linear"
    payment: str = "own"
    #: The market maker's opening price (``None``: uniform).
    opening: np.ndarray | None = None

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=float)
        if w.ndim != 1 or len(w) < 1 or not np.all(np.isfinite(w)) or np.any(w <= 0):
            raise ValueError("weights: give one positive weight per predictor")
        object.__setattr__(self, "weights", w / w.sum())
        if self.pool not in POOLS:
            raise ValueError(f"pool: choose one of {', '.join(POOLS)}, not {self.pool!r}")
        if self.payment not in PAYMENTS:
            raise ValueError(f"payment: choose one of {', '.join(PAYMENTS)}, not {self.payment!r}")
        if self.pool == "lmsr":
            if self.payment != "own":
                raise ValueError("payment: the market maker pays each trader the change in its log score; "
                                 "the zero-sum payment is for the linear and log pools")
            if not np.allclose(w, w[0]):
                raise ValueError("weights: the market maker's traders are alike (they differ only in the order "
                                 "they arrive); weights are for the linear and log pools")
            object.__setattr__(self, "rule", LOG)
        if self.opening is not None:
            o = np.asarray(self.opening, dtype=float)
            if self.pool != "lmsr" or o.shape != (self.world.n,) or np.any(o <= 0) or abs(o.sum() - 1) > 1e-9:
                raise ValueError("opening: the market maker's opening price is a distribution with every "
                                 "probability positive")
            object.__setattr__(self, "opening", o)
        self.rule.check_outcomes(self.world.n)

    @classmethod
    def equal(cls, world: World, rule: ScoringRule, k: int, pool: str = "linear", payment: str = "own") -> Market:
        return cls(world, rule, np.full(k, 1.0 / k), pool, payment)

    @property
    def k(self) -> int:
        return len(self.weights)

    def announce(self, reports: np.ndarray) -> np.ndarray:
        """The pooled announcement of report profiles ``(..., k, n)``, shape ``(..., n)`` (the market maker's:
        the last price)."""
        reports = np.asarray(reports, dtype=float)
        if self.pool == "lmsr":
            return reports[..., -1, :].copy()
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

    def previous(self, reports: np.ndarray, i: int) -> np.ndarray:
        """The market maker's price before trader i moves it: its predecessor's, or the opening price."""
        if i > 0:
            return reports[i - 1]
        return np.full(reports.shape[-1], 1.0 / reports.shape[-1]) if self.opening is None else self.opening

    def charge(self, reports: np.ndarray, i: int) -> np.ndarray:
        """What is subtracted from predictor i's score when outcome ω happens: 0 (own payment), the mean of
        the others' scores S(pⱼ, ω) (zero-sum), or the score of the price trader i found (the market maker),
        shape ``(n,)``."""
        reports = np.asarray(reports, dtype=float)
        if self.pool == "lmsr":
            with np.errstate(divide="ignore"):
                return self.rule.scores(self.previous(reports, i))
        if self.payment == "own" or self.k == 1:
            return np.zeros(reports.shape[-1])
        others = np.delete(reports, i, axis=0)
        with np.errstate(divide="ignore"):
            return self.rule.scores(others).mean(axis=0)

    def payoff(self, reports: np.ndarray, i: int, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predictor i's expected payment, and its gradient, when it reports each row of ``r`` ``(B, n)`` and
        the others keep ``reports`` (``(k, n)``): E_{y∼f(A)}[S(r, y) − c(y)] and its (ambient) gradient
        ∇₁S(r, f(A)) + (∂A/∂r)ᵀ Df(A)ᵀ (s(r) − c), with s(r)_ω = S(r, ω) and c the :meth:`charge`. A market
        maker's trader takes A = r, the price it leaves."""
        r = np.atleast_2d(np.asarray(r, dtype=float))
        c = self.charge(reports, i)
        a = r if self.pool == "lmsr" else self.announce(self.replaced(reports, i, r))
        q = self.world(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = self.rule.scores(r)
            value = self.rule.expected(r, q) - q @ c
            through = np.einsum("bij,bi->bj", self.world.jacobian(a), s - c)
            grad = self.rule.expected_gradient(r, q) + self.pool_transpose(a, r, i, through)
        return value, grad

    def pool_transpose(self, a: np.ndarray, r: np.ndarray, i: int, v: np.ndarray) -> np.ndarray:
        """(∂A/∂pᵢ)ᵀ v at announcements ``a`` with predictor i reporting ``r`` (rows of a batch)."""
        if self.pool == "lmsr":
            return v
        w = self.weights[i]
        if self.pool == "linear":
            return w * v
        # Σ_ω v_ω wᵢ A_ω (δ_ων − A_ν)/r_ν = wᵢ (v_ν A_ν − A_ν ⟨v, A⟩)/r_ν
        return w * a * (v - np.einsum("bn,bn->b", v, a)[:, None]) / r


def unsuitable(scenario) -> str | None:
    """Why the Markets view (the page and its export) cannot show this scenario, as a sentence ("needs … (the
    reason)"), or ``None`` when it can: the equilibria need a proper rule and a world without jumps, and the view
    draws two or three outcomes."""
    if not scenario.rule.spec.proper:
        reason = f"rule: {scenario.rule.kind} is not proper"
    elif scenario.world.is_step:
        reason = "the human's response jumps (a best response or a hard threshold)"
    elif scenario.n > 3:
        reason = f"this scenario has {scenario.n}"
    else:
        return None
    return (f"needs a world without jumps (softmax or a ramp), a proper scoring rule and two or three outcomes "
            f"({reason})")
