"""The result types of the solvers, and the small rules that decide what they say: when a point is
fixed, when two points are one, and how a fixed point's stability is read from its Jacobian."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A point counts as fixed when ‖f(p) − p‖ is below this.
FIXED_TOL = 1e-9
#: Fixed points closer than this are the same point.
MERGE_TOL = 1e-7
#: Spectral radii within this of 1 are reported as neutral.
NEUTRAL_TOL = 1e-9


@dataclass(frozen=True)
class FixedPoint:
    """A fixed point of the world.

    Attributes
    ----------
    p : the prediction, shape ``(n,)``.
    kind : ``"regular"`` when f(p) = p, ``"mixed"`` when p is a fixed point only of the closed,
        convexified graph of a step function: the human mixes the tied actions with ``mixing``.
    stability : ``"attracting"``, ``"repelling"``, ``"saddle"`` or ``"neutral"`` under p ← f(p).
    spectral_radius : of Df restricted to the tangent space (∞ where f jumps).
    mixing : the human's action probabilities at p (policy worlds only).
    """

    p: np.ndarray
    kind: str
    stability: str
    spectral_radius: float
    mixing: np.ndarray | None = None


def classify(jac_t: np.ndarray) -> tuple[str, float]:
    """Stability from the tangent Jacobian: attracting if all |λ| < 1, repelling if all > 1, else saddle
    (neutral if some |λ| is 1); and the spectral radius."""
    return _stability(np.abs(np.linalg.eigvals(np.atleast_2d(jac_t))))


def classify_batch(jac_t: np.ndarray) -> tuple[list[str], np.ndarray]:
    """:func:`classify` for tangent Jacobians ``(count, k, k)``: the stabilities and spectral radii."""
    found = [_stability(moduli) for moduli in (np.abs(np.linalg.eigvals(jac_t)) if len(jac_t) else [])]
    return [stability for stability, _ in found], np.array([rho for _, rho in found])


def _stability(moduli: np.ndarray) -> tuple[str, float]:
    rho = float(moduli.max())
    if abs(rho - 1.0) <= NEUTRAL_TOL or np.any(np.abs(moduli - 1.0) <= NEUTRAL_TOL):
        return "neutral", rho
    if rho < 1.0:
        return "attracting", rho
    if moduli.min() > 1.0:
        return "repelling", rho
    return "saddle", rho


def merge_close(points: list[np.ndarray], tol: float = MERGE_TOL) -> list[np.ndarray]:
    """Drop points within ``tol`` (max-norm) of one kept earlier."""
    kept: list[np.ndarray] = []
    for p in points:
        if not kept or np.min(np.max(np.abs(np.asarray(kept) - p), axis=-1)) > tol:
            kept.append(p)
    return kept


@dataclass(frozen=True)
class Optimum:
    """The performative optimum.

    Attributes
    ----------
    p : the report p̂.
    f : the outcome distribution it brings about, f(p̂) (for a supremum not attained at a jump
        of f: the limit from the side where it is approached).
    score : S(p̂, f(p̂)).
    attained : False when the best score is a supremum approached at a jump of f.
    """

    p: np.ndarray
    f: np.ndarray
    score: float
    attained: bool = True
