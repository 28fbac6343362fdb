"""The theorems' bounds on how far the performative optimum strays from honesty.

Two outcomes (Treutlein, Hudson & Oesterheld 2022): if |f′| ≤ L and the rule is proper,
|p̂ − f(p̂)| ≤ L · sup|g/g′|, and if also L < 1, |p̂ − p*| ≤ L/(1 − L) · sup|g/g′|.

More outcomes, quadratic rule and f(p) = (1 − α)c + α A p (Oesterheld et al. 2023):
‖p̂ − f(p̂)‖ ≤ ‖αA‖_T √((n − 1)/n), where ‖M‖_T = max{‖Mv‖ : Σv = 0, ‖v‖ ≤ 1}.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.model.batch import WorldBatch
from core.model.rules import ScoringRule
from core.model.simplex import binary, tangent_basis
from core.model.worlds import MatrixWorld, World
from core.solve.search import maximise_on_grids, row_grids


@dataclass(frozen=True)
class Bounds:
    """Upper bounds on the inaccuracy of p̂ and on its distance to the fixed point (``None``: no bound)."""

    theorem: str
    inaccuracy: float
    distance_to_fixed_point: float | None
    lipschitz: float
    sup_g_ratio: float | None = None


def lipschitz_binary(batch: WorldBatch) -> np.ndarray:
    """sup over [0, 1] of |f′(x)| of each smooth two-outcome world of ``batch``, from a fine grid (with the
    world's kinks as nodes) refined around its maximum."""
    if hasattr(batch.kind, "affine"):  # d/dx f₁(x, 1 − x) = M₁₁ − M₁₂, the same everywhere
        m = batch.at(np.arange(len(batch))).affine()[1]
        return np.broadcast_to(np.abs(m[..., 0, 0] - m[..., 0, 1]), (len(batch),)).astype(float)

    def slope(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        world = batch.at(rows, x.ndim)
        if hasattr(world, "slope"):
            return np.abs(world.slope(x))
        # d/dx f₁(x, 1 − x) = ∂f₁/∂p₁ − ∂f₁/∂p₂: a policy world's preferences read both coordinates.
        jac = world.jacobian(binary(x))
        return np.abs(jac[..., 0, 0] - jac[..., 0, 1])

    return maximise_on_grids(slope, row_grids(np.linspace(0.0, 1.0, 4001), batch.breakpoints()))[1]


def sup_g_ratio(rule: ScoringRule) -> float | None:
    """sup over (0, 1) of |g(x)/g′(x)| (g = G′ along the first outcome's probability), the constant of
    the binary bounds; ``None`` for an improper rule, ∞ where g′ vanishes at an end."""
    if not rule.spec.proper:
        return None
    return _sup_g_ratio(rule.kind, rule.param)


@lru_cache(maxsize=64)
def _sup_g_ratio(kind: str, param: float | None) -> float:
    rule = ScoringRule(kind, param)

    def ratio(rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        g, dg = rule.binary_g(x)
        # nan is ∞/∞ at an endpoint where g′ blows up (log rule): the ratio tends to 0 there.
        return np.nan_to_num(np.abs(g / dg), nan=0.0, posinf=np.inf)

    # The grid reaches the endpoints: a true ∞ there (g′ = 0, e.g. pseudo-spherical with alpha > 2)
    # means no finite bound.
    xs = np.concatenate([[0.0], np.linspace(1e-9, 1 - 1e-9, 2001), [1.0]])[None, :]
    with np.errstate(all="ignore"):
        if np.isinf(ratio(np.zeros(1, dtype=int), xs)).any():
            return float("inf")
    return float(maximise_on_grids(ratio, xs)[1][0])


def tangent_norm(m: np.ndarray) -> np.ndarray:
    """‖M‖_T = max{‖Mv‖ : Σv = 0, ‖v‖ ≤ 1}: the largest singular value of M on the tangent space (M of shape
    ``(..., n, n)``)."""
    m = np.asarray(m, dtype=float)
    mt = np.einsum("...ij,jl->...il", m, tangent_basis(m.shape[-1]))
    # The largest eigenvalue of (MB)ᵀ(MB), a symmetric (n − 1) × (n − 1) matrix: half the time of an SVD.
    gram = np.einsum("...ji,...jl->...il", mt, mt)
    return np.sqrt(np.maximum(np.linalg.eigvalsh(gram)[..., -1], 0.0))


#: What each bound says, by the theorem it comes from.
BINARY_THEOREM = "binary: |p̂ − f(p̂)| ≤ L·sup|g/g′|; |p̂ − p*| ≤ L/(1−L)·sup|g/g′|"
QUADRATIC_THEOREM = "quadratic rule, linear world: ‖p̂ − f(p̂)‖ ≤ ‖αA‖_T·√((n−1)/n)"


def bound_constant(rule: ScoringRule, n: int) -> float:
    """The bound on the inaccuracy divided by the world's Lipschitz constant L (‖αA‖_T for a matrix world):
    sup|g/g′| for two outcomes and a proper rule, √((n − 1)/n) for more and the quadratic rule; NaN where no
    theorem applies."""
    if n == 2:
        ratio = sup_g_ratio(rule)
        return float("nan") if ratio is None else ratio
    return float(np.sqrt((n - 1) / n)) if rule.kind == "quadratic" else float("nan")


def theorem_bounds(world: World, rule: ScoringRule) -> Bounds | None:
    """The bounds that apply to this world and rule, or ``None`` where no theorem applies."""
    return theorem_bounds_batch(WorldBatch([world]), [rule])[0]


@dataclass(frozen=True)
class BoundColumns:
    """The bounds of K worlds as columns (NaN, and no ``theorem``, where none applies); ``bounds[k]`` is world k's
    :class:`Bounds` or ``None``."""

    theorem: np.ndarray
    inaccuracy: np.ndarray
    distance_to_fixed_point: np.ndarray
    lipschitz: np.ndarray
    sup_g_ratio: np.ndarray

    def __getitem__(self, k: int) -> Bounds | None:
        if self.theorem[k] is None:
            return None

        def number(v: float) -> float | None:
            return None if np.isnan(v) else float(v)

        return Bounds(theorem=self.theorem[k], inaccuracy=float(self.inaccuracy[k]),
                      distance_to_fixed_point=number(self.distance_to_fixed_point[k]),
                      lipschitz=float(self.lipschitz[k]), sup_g_ratio=number(self.sup_g_ratio[k]))

    def __len__(self) -> int:
        return len(self.theorem)


def theorem_bounds_batch(batch: WorldBatch, rules: Sequence[ScoringRule]) -> BoundColumns:
    """:func:`theorem_bounds` of each world of ``batch`` with its rule, the searches run on all of them at once.

    The distances are those of :func:`core.model.simplex.distance`: |p₁ − q₁| for two outcomes (the papers'),
    Euclidean for more."""
    count = len(batch)
    theorem = np.full(count, None, dtype=object)
    inaccuracy, distance, lipschitz, ratio = (np.full(count, np.nan) for _ in range(4))
    if batch.n == 2:
        ratios = np.array([np.nan if r is None else r for r in map(sup_g_ratio, rules)], dtype=float)
        rows = np.flatnonzero(~batch.is_step() & ~np.isnan(ratios))
        if len(rows):
            lip = lipschitz_binary(batch.take(rows) if len(rows) < count else batch)
            r = ratios[rows]
            theorem[rows] = BINARY_THEOREM
            lipschitz[rows], ratio[rows] = lip, r
            # With L = 0 (f constant) both bounds are 0, even where sup|g/g′| = ∞ (0·∞ would be nan).
            with np.errstate(all="ignore"):
                inaccuracy[rows] = np.where(lip > 0, lip * r, 0.0)
                distance[rows] = np.where(lip < 1.0, np.where(lip > 0, lip / (1.0 - lip) * r, 0.0), np.nan)
        return BoundColumns(theorem, inaccuracy, distance, lipschitz, ratio)
    rows = np.array([k for k, rule in enumerate(rules) if rule.kind == "quadratic"], dtype=int)
    if issubclass(batch.kind, MatrixWorld) and len(rows):
        norms = tangent_norm(np.broadcast_to(batch.at(rows).affine()[1], (len(rows), batch.n, batch.n)))
        theorem[rows] = QUADRATIC_THEOREM
        lipschitz[rows] = norms
        inaccuracy[rows] = norms * bound_constant(rules[rows[0]], batch.n)
    return BoundColumns(theorem, inaccuracy, distance, lipschitz, ratio)
