"""The theorems' bounds on how far the performative optimum strays from honesty.

Two outcomes (Treutlein, Hudson & Oesterheld 2022): if |f′| ≤ L and the rule is proper,
|p̂ − f(p̂)| ≤ L · sup|g/g′|, and if also L < 1, |p̂ − p*| ≤ L/(1 − L) · sup|g/g′|.

More outcomes, quadratic rule and f(p) = (1 − α)c + α A p (Oesterheld et al. 2023):
‖p̂ − f(p̂)‖ ≤ ‖αA‖_T √((n − 1)/n), where ‖M‖_T = max{‖Mv‖ : Σv = 0, ‖v‖ ≤ 1}.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.model.rules import ScoringRule
from core.model.simplex import binary, tangent_basis
from core.model.worlds import MatrixWorld, World
from core.solve.search import maximise_on_interval


@dataclass(frozen=True)
class Bounds:
    """Upper bounds on the inaccuracy of p̂ and on its distance to the fixed point (``None``: no bound)."""

    theorem: str
    inaccuracy: float
    distance_to_fixed_point: float | None
    lipschitz: float
    sup_g_ratio: float | None = None


def lipschitz_binary(world: World) -> float:
    """sup over [0, 1] of |f′(x)| (∞ for a step world), from a fine grid refined around its maximum."""
    if world.is_step:
        return float("inf")

    def slope(x: np.ndarray) -> np.ndarray:
        # d/dx f₁(x, 1 − x) = ∂f₁/∂p₁ − ∂f₁/∂p₂: a policy world's preferences read both coordinates.
        jac = world.jacobian(binary(x))
        return np.abs(jac[..., 0, 0] - jac[..., 0, 1])

    return maximise_on_interval(slope, np.union1d(np.linspace(0.0, 1.0, 4001), world.breakpoints()), xatol=1e-12)[1]


def sup_g_ratio(rule: ScoringRule) -> float | None:
    """sup over (0, 1) of |g(x)/g′(x)| (g = G′ along the first outcome's probability), the constant of
    the binary bounds; ``None`` for an improper rule, ∞ where g′ vanishes at an end."""
    if not rule.spec.proper:
        return None
    return _sup_g_ratio(rule.kind, rule.param)


@lru_cache(maxsize=64)
def _sup_g_ratio(kind: str, param: float | None) -> float:
    rule = ScoringRule(kind, param)

    def ratio(x: np.ndarray) -> np.ndarray:
        g, dg = rule.binary_g(x)
        # nan is ∞/∞ at an endpoint where g′ blows up (log rule): the ratio tends to 0 there.
        return np.nan_to_num(np.abs(g / dg), nan=0.0, posinf=np.inf)

    # The grid reaches the endpoints: a true ∞ there (g′ = 0, e.g. pseudo-spherical with alpha > 2)
    # means no finite bound.
    xs = np.concatenate([[0.0], np.linspace(1e-9, 1 - 1e-9, 2001), [1.0]])
    with np.errstate(all="ignore"):
        if np.isinf(ratio(xs)).any():
            return float("inf")
    return maximise_on_interval(ratio, xs, xatol=1e-12)[1]


def tangent_norm(m: np.ndarray) -> float:
    """‖M‖_T = max{‖Mv‖ : Σv = 0, ‖v‖ ≤ 1}: the largest singular value of M on the tangent space."""
    return float(np.linalg.norm(m @ tangent_basis(m.shape[0]), ord=2))


def theorem_bounds(world: World, rule: ScoringRule) -> Bounds | None:
    """The bounds that apply to this world and rule, or ``None`` where no theorem applies."""
    if world.n == 2:
        ratio = sup_g_ratio(rule)
        if ratio is None or world.is_step:
            return None
        lip = lipschitz_binary(world)
        # With L = 0 (f constant) both bounds are 0, even where sup|g/g′| = ∞ (0·∞ would be nan).
        inaccuracy = lip * ratio if lip > 0 else 0.0
        distance = (lip / (1.0 - lip) * ratio if lip > 0 else 0.0) if lip < 1.0 else None
        return Bounds(theorem="binary: |p̂ − f(p̂)| ≤ L·sup|g/g′|; |p̂ − p*| ≤ L/(1−L)·sup|g/g′|",
                      inaccuracy=inaccuracy, distance_to_fixed_point=distance, lipschitz=lip,
                      sup_g_ratio=ratio)
    if isinstance(world, MatrixWorld) and rule.kind == "quadratic":
        norm = tangent_norm(world.alpha * np.array(world.A))
        n = world.n
        return Bounds(theorem="quadratic rule, linear world: ‖p̂ − f(p̂)‖ ≤ ‖αA‖_T·√((n−1)/n)",
                      inaccuracy=norm * np.sqrt((n - 1) / n), distance_to_fixed_point=None, lipschitz=norm)
    return None
