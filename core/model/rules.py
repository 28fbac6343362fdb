"""Scoring rules S(p, ω): scores, expected scores, gradients, and the binary g = G′ quantities.

Every strictly proper rule is S(p, ω) = G(p) + ⟨∇G(p), e_ω − p⟩ with G strictly convex and
G(q) = S(q, q) (Savage; Gneiting & Raftery 2007). The formulas below are the usual closed forms,
written for batches of predictions ``p`` of shape ``(..., n)``; the rules are extended off the
simplex by the same formulas, so the ambient gradients restricted to the tangent space are the
derivatives along the simplex.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from core.model.simplex import binary, row_sum


@dataclass(frozen=True)
class RuleKind:
    """What the app needs to know of a family of scoring rules."""

    label: str
    param_name: str | None = None
    param_default: float | None = None
    param_min: float | None = None  # exclusive lower bound
    param_max: float | None = None  # inclusive upper bound: beyond it the scores overflow or lose all precision
    binary_only: bool = False
    proper: bool = True
    formula: str = ""


RULE_KINDS: dict[str, RuleKind] = {
    "log": RuleKind("Logarithmic", formula=r"S(p,\omega)=\ln p_\omega"),
    "quadratic": RuleKind("Quadratic (Brier)", formula=r"S(p,\omega)=2p_\omega-\lVert p\rVert^2"),
    "spherical": RuleKind("Spherical", formula=r"S(p,\omega)=p_\omega/\lVert p\rVert"),
    "power": RuleKind(
        "Power", "alpha", 3.0, 1.0, 100.0,
        formula=r"S(p,\omega)=\alpha p_\omega^{\alpha-1}-(\alpha-1)\sum_i p_i^\alpha",
    ),
    "pseudospherical": RuleKind(
        "Pseudo-spherical", "alpha", 3.0, 1.0, 100.0,
        formula=r"S(p,\omega)=\left(p_\omega/\lVert p\rVert_\alpha\right)^{\alpha-1}",
    ),
    "exponential": RuleKind(
        "Exponential", "K", 10.0, 1e-6, 500.0, binary_only=True,  # K > 1e-6: below it 1/K overflows the scores
        formula=r"S(p,\omega)=e^{Kp_1}/K+e^{Kp_1}(\mathbb 1[\omega=1]-p_1)",
    ),
    "linear": RuleKind("Linear (improper)", proper=False, formula=r"S(p,\omega)=p_\omega"),
}


@dataclass(frozen=True)
class ScoringRule:
    """A scoring rule: a family from :data:`RULE_KINDS` and its parameter (``None`` if it has none)."""

    kind: str
    param: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"rule: unknown scoring rule {self.kind!r}; choose one of {', '.join(RULE_KINDS)}")
        spec = RULE_KINDS[self.kind]
        if spec.param_name is None:
            if self.param is not None:
                raise ValueError(f"rule: the {self.kind} rule takes no parameter, got {self.param!r}")
            return
        if self.param is None:
            object.__setattr__(self, "param", spec.param_default)
        try:
            value = float(self.param)
        except (TypeError, ValueError):
            raise ValueError(f"rule: {spec.param_name} must be a number, got {self.param!r}") from None
        if not (np.isfinite(value) and spec.param_min < value <= spec.param_max):
            raise ValueError(f"rule: the {self.kind} rule needs {spec.param_min:g} < {spec.param_name} <= "
                             f"{spec.param_max:g}, got {self.param!r}")
        object.__setattr__(self, "param", value)

    @property
    def spec(self) -> RuleKind:
        return RULE_KINDS[self.kind]

    @property
    def label(self) -> str:
        name = self.spec.param_name
        return self.spec.label if name is None else f"{self.spec.label} ({name} = {self.param:g})"

    def check_outcomes(self, n: int) -> None:
        """Raise ``ValueError`` if the rule cannot score ``n`` outcomes."""
        if self.spec.binary_only and n != 2:
            raise ValueError(f"rule: the {self.kind} rule is defined for two outcomes only, not {n}")

    # --- the rule itself -------------------------------------------------------------------------

    def scores(self, p: np.ndarray) -> np.ndarray:
        """S(p, ω) for every outcome ω: shape ``(..., n)``."""
        return _SCORES[self.kind](np.asarray(p, dtype=float), self.param)

    def score_jacobian(self, p: np.ndarray) -> np.ndarray:
        """∂S(p, ω)/∂p_j, shape ``(..., n_ω, n_j)`` (ambient coordinates)."""
        return _JACOBIANS[self.kind](np.asarray(p, dtype=float), self.param)

    def expected(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Expected score S(p, q) = Σ_ω q_ω S(p, ω); outcomes with q_ω = 0 contribute nothing."""
        return _weighted_sum(np.asarray(q, dtype=float), self.scores(p))

    def G(self, p: np.ndarray) -> np.ndarray:
        """G(p) = S(p, p), the score of a prediction that comes true (convex; minus an entropy)."""
        return self.expected(p, p)

    def expected_gradient(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """∇_p S(p, q) with the world ``q`` held fixed (the stop-gradient direction), shape ``(..., n)``."""
        q = np.asarray(q, dtype=float)
        if self.kind in _EXPECTED_GRADIENTS:
            return _EXPECTED_GRADIENTS[self.kind](np.asarray(p, dtype=float), q)
        jac = self.score_jacobian(p)
        with np.errstate(invalid="ignore"):
            grad = np.einsum("...w,...wj->...j", q, jac)
            if not np.isnan(grad).any():  # the fast path; NaN only comes from 0 · ∞ (see below)
                return grad
            terms = np.where(q[..., :, None] > 0, q[..., :, None] * jac, 0.0)
        return terms.sum(axis=-2)

    # --- the binary quantities of Treutlein et al. (2022) -------------------------------------

    def binary_g(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """g(x) = G′(x) and g′(x) for a proper binary rule, x the probability of the first outcome.

        Uses g(x) = S(x, first) − S(x, second) and its derivative along the direction (1, −1).
        """
        p = binary(x)
        s = self.scores(p)
        jac = self.score_jacobian(p)
        g = s[..., 0] - s[..., 1]
        dg = (jac[..., 0, 0] - jac[..., 0, 1]) - (jac[..., 1, 0] - jac[..., 1, 1])
        return g, dg


def _weighted_sum(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    # 0 · (−∞) must count as 0: an outcome that cannot happen costs nothing, even under the log rule.
    with np.errstate(invalid="ignore"):
        return row_sum(np.where(weights > 0, weights * values, 0.0))


def _log_scores(p: np.ndarray, _: float | None) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(p)


def _log_jac(p: np.ndarray, _: float | None) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return _diag(1.0 / p)


def _log_expected_gradient(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    # The Jacobian is diag(1/p): Σ_ω q_ω ∂S/∂p_j = q_j · (1/p_j) (the same bits as the sum), 0 where q_j = 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(q > 0, q * (1.0 / p), 0.0)


def _quadratic_scores(p: np.ndarray, _: float | None) -> np.ndarray:
    return 2.0 * p - row_sum(p * p, keepdims=True)


def _quadratic_jac(p: np.ndarray, _: float | None) -> np.ndarray:
    return 2.0 * _diag(np.ones_like(p)) - 2.0 * p[..., None, :]


def _spherical_scores(p: np.ndarray, _: float | None) -> np.ndarray:
    return p / np.linalg.norm(p, axis=-1, keepdims=True)


def _spherical_jac(p: np.ndarray, _: float | None) -> np.ndarray:
    norm = np.linalg.norm(p, axis=-1)[..., None, None]
    return _diag(np.ones_like(p)) / norm - p[..., :, None] * p[..., None, :] / norm**3


def _power_scores(p: np.ndarray, a: float) -> np.ndarray:
    return a * p ** (a - 1.0) - (a - 1.0) * row_sum(p**a, keepdims=True)


def _power_jac(p: np.ndarray, a: float) -> np.ndarray:
    with np.errstate(divide="ignore"):
        diag = _diag(a * (a - 1.0) * p ** (a - 2.0))
    return diag - a * (a - 1.0) * p[..., None, :] ** (a - 1.0)


def _pseudospherical_scores(p: np.ndarray, a: float) -> np.ndarray:
    norm = row_sum(p**a, keepdims=True) ** (1.0 / a)
    return (p / norm) ** (a - 1.0)


def _pseudospherical_jac(p: np.ndarray, a: float) -> np.ndarray:
    # S = p_ω^{a−1} N^{1−a} with N = ‖p‖_a and ∂N/∂p_j = p_j^{a−1} N^{1−a}.
    norm = row_sum(p**a)[..., None, None] ** (1.0 / a)
    with np.errstate(divide="ignore"):
        diag = _diag(p ** (a - 2.0))
    cross = p[..., :, None] ** (a - 1.0) * p[..., None, :] ** (a - 1.0) / norm**a
    return (a - 1.0) * norm ** (1.0 - a) * (diag - cross)


def _exponential_scores(p: np.ndarray, k: float) -> np.ndarray:
    # G(x) = e^{Kx}/K in the probability x of the first outcome; S = G(x) + G′(x)(1[ω=first] − x).
    x = p[..., 0:1]
    e = np.exp(k * x)
    hit = np.zeros_like(p)
    hit[..., 0] = 1.0
    return e / k + e * (hit - x)


def _exponential_jac(p: np.ndarray, k: float) -> np.ndarray:
    x = p[..., 0:1]
    hit = np.zeros_like(p)
    hit[..., 0] = 1.0
    jac = np.zeros(p.shape + (p.shape[-1],))
    jac[..., :, 0] = k * np.exp(k * x) * (hit - x)
    return jac


def _linear_scores(p: np.ndarray, _: float | None) -> np.ndarray:
    return p.copy()


def _linear_jac(p: np.ndarray, _: float | None) -> np.ndarray:
    return _diag(np.ones_like(p))


def _diag(v: np.ndarray) -> np.ndarray:
    out = np.zeros(v.shape + (v.shape[-1],))
    idx = np.arange(v.shape[-1])
    out[..., idx, idx] = v
    return out


_SCORES: dict[str, Callable[[np.ndarray, float | None], np.ndarray]] = {
    "log": _log_scores,
    "quadratic": _quadratic_scores,
    "spherical": _spherical_scores,
    "power": _power_scores,
    "pseudospherical": _pseudospherical_scores,
    "exponential": _exponential_scores,
    "linear": _linear_scores,
}
_JACOBIANS: dict[str, Callable[[np.ndarray, float | None], np.ndarray]] = {
    "log": _log_jac,
    "quadratic": _quadratic_jac,
    "spherical": _spherical_jac,
    "power": _power_jac,
    "pseudospherical": _pseudospherical_jac,
    "exponential": _exponential_jac,
    "linear": _linear_jac,
}
#: ∇_p S(p, q) in closed form, for the rules where it is cheaper than Σ_ω q_ω ∂S(p, ω)/∂p (and equal to it).
_EXPECTED_GRADIENTS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {"log": _log_expected_gradient}
