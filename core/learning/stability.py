"""The local theory of the learning dynamics (docs/theory.md#learning-dynamics): at each candidate end point, does a method
converge there, and up to which step size?

Everything is linearised on the tangent space T = {v : Σv = 0} in the orthonormal basis B of
:func:`core.model.simplex.tangent_basis`, under the step convention of :mod:`core.learning.dynamics`
(the step direction of a gradient ∇ is 2 P_T ∇, so in tangent coordinates t the update is t ← t + 2η Bᵀ∇).

**Repeated prediction** p ← f(p) at a fixed point p*: its Jacobian is Df_T = Bᵀ Df(p*) B; it converges
locally iff ρ(Df_T) < 1 (the stability reported by the fixed-point solver). It has no step size.

**Stop-gradient ascent** at a fixed point p* of a proper rule. Write h(p, q) = ∇_p S(p, q). Properness gives
S(p, q) = G(p) + ⟨∇G(p), q − p⟩, so Bᵀh(p, q) = Bᵀ∇²G(p)(q − p) and, at q = p = p*,
∂_q h = H and ∂_p h = −H on T, with H_T = Bᵀ ∇²G(p*) B = Bᵀ J(p*)ᵀ B where J[ω, j] = ∂S(p, ω)/∂p_j is the
rule's score Jacobian (∂_q h = Jᵀ exactly, so no second derivatives are needed). The update map
T(p) = p + 2η P_T h(p, f(p)) then has the tangent Jacobian

    DT_T = I + 2η A,   A = H_T (Df_T − I).

For Brier, G = ‖p‖², H_T = 2I and DT_T = I + 4η(Df_T − I). An eigenvalue μ of A gives the eigenvalue 1 + 2ημ
of DT_T, and |1 + 2ημ|² = 1 + 4η Re μ + 4η²|μ|² < 1 iff Re μ < 0 and η < −Re μ / |μ|². So the largest
convergent step is

    η* = min_μ (−Re μ / |μ|²)   if every Re μ < 0   (else no step converges: η* = 0).

For two outcomes A = (g′/2)(f′ − 1) with g′ = G″ along x, and η* = 2 / (g′(1 − f′)): docs/theory.md#learning-dynamics's
0 < η g′(p*)(1 − f′(p*)) < 2. An improper rule's stop-gradient rest points are not its fixed points, so it
gets no prediction.

**Online SGD** follows stop-gradient ascent in expectation and gets its prediction (for the mean path).

**Full gradient ascent** at p̂: T(p) = p + 2η P_T ∇Φ(p), Φ(p) = S(p, f(p)), so DT_T = I + 2η Hess_T Φ(p̂), and
the same formula applies with A = Hess_T Φ (symmetric: η* = 1/max|λ| when Hess_T Φ is negative definite).
Hess_T Φ is taken by central finite differences (step ``FD_STEP``) of the analytic gradient
:func:`core.solve.optimum.performative_gradient` along the tangent basis, then symmetrised.

The theory is local and smooth: it is silent at a spectral radius within ``NEUTRAL_TOL`` of 1, and not applied (``converges`` is ``None``) at a point on the simplex's
boundary (where the projection may hold a run), at a mixed fixed point (f jumps), or for random search.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.analysis import Analysis
from core.learning.dynamics import simulate
from core.model.rules import ScoringRule
from core.model.simplex import project, tangent_basis, tangent_jacobian
from core.model.worlds import World
from core.solve.optimum import performative_gradient
from core.solve.results import NEUTRAL_TOL

#: Finite-difference step for the Hessian of S(p, f(p)).
FD_STEP = 1e-5
#: A point with a coordinate below this is on the boundary, where the local theory is not applied.
INTERIOR_TOL = 1e-6


@dataclass(frozen=True)
class Prediction:
    """What the local theory predicts for a method near one point.

    Attributes
    ----------
    point : the fixed point or p̂, ``(n,)``.
    max_step_size : η*, steps 0 < η < η* converge; ``None`` where the method has no step size.
    converges : whether the method with the given step size converges to ``point`` from nearby (``None``
        where the theory does not apply; ``note`` says why).
    radius : the spectral radius of the update map's tangent Jacobian at this step size (``nan`` if none).
    note : why the theory does not apply, or "".
    """

    point: np.ndarray
    max_step_size: float | None
    converges: bool | None
    radius: float
    note: str = ""


def largest_step(a: np.ndarray) -> float:
    """η* = min over eigenvalues μ of ``a`` of −Re μ/|μ|² if all Re μ < 0, else 0 (see the module docstring)."""
    mu = np.linalg.eigvals(np.atleast_2d(a))
    if np.any(mu.real >= 0):
        return 0.0
    return float(np.min(-mu.real / np.abs(mu) ** 2))


def _radius(a: np.ndarray, eta: float) -> float:
    return float(np.max(np.abs(1.0 + 2.0 * eta * np.linalg.eigvals(np.atleast_2d(a)))))


def stop_gradient_matrix(world: World, rule: ScoringRule, p: np.ndarray) -> np.ndarray:
    """A = H_T (Df_T − I) at a fixed point ``p``: stop-gradient ascent's tangent Jacobian is I + 2ηA."""
    b = tangent_basis(world.n)
    h_t = b.T @ rule.score_jacobian(p).T @ b
    return h_t @ (tangent_jacobian(world.jacobian(p)) - np.eye(world.n - 1))


def performative_hessian(world: World, rule: ScoringRule, p: np.ndarray, h: float = FD_STEP) -> np.ndarray:
    """Hess_T S(p, f(p)) at ``p`` by central differences of the analytic gradient along the tangent basis."""
    b = tangent_basis(world.n)
    shifts = np.concatenate([p + h * b.T, p - h * b.T])  # (2(n−1), n): p ± h b_k
    grads = performative_gradient(world, rule, shifts) @ b
    k = world.n - 1
    hess = (grads[:k] - grads[k:]).T / (2.0 * h)
    return (hess + hess.T) / 2.0


def predict(world: World, rule: ScoringRule, method: str, point: np.ndarray, step_size: float,
            mixed: bool = False) -> Prediction:
    """The local theory's prediction for ``method`` with ``step_size`` at ``point`` (a fixed point, or p̂ for
    ``full-gradient`` and ``random-search``); ``mixed`` marks a mixed fixed point of a step world."""
    point = np.asarray(point, dtype=float)
    if method == "repeated":
        if mixed:
            return Prediction(point, None, None, np.nan, "f jumps at a mixed fixed point")
        rho = float(np.max(np.abs(np.linalg.eigvals(tangent_jacobian(world.jacobian(point))))))
        return _verdict(point, None, rho)
    if method == "random-search":
        return Prediction(point, None, None, np.nan, "random search has no local step-size theory")
    if mixed:
        return Prediction(point, None, None, np.nan, "f jumps at a mixed fixed point")
    if point.min() < INTERIOR_TOL:
        return Prediction(point, None, None, np.nan, "on the boundary, where the projection may hold a run")
    if method == "full-gradient":
        a = performative_hessian(world, rule, point)
    elif not rule.spec.proper:
        return Prediction(point, None, None, np.nan, "an improper rule's gradient does not rest at fixed points")
    else:
        a = stop_gradient_matrix(world, rule, point)
    return _verdict(point, largest_step(a), _radius(a, step_size))


def _verdict(point: np.ndarray, eta_max: float | None, rho: float) -> Prediction:
    if abs(rho - 1.0) <= NEUTRAL_TOL:
        return Prediction(point, eta_max, None, rho, "neutral (spectral radius 1): the linearisation cannot tell")
    return Prediction(point, eta_max, rho < 1.0, rho)


#: Distance of the perturbed starts from the point in :func:`observe_near`.
NUDGE = 1e-3
#: The random methods never stand still: a run of theirs counts as staying at a point when it ends this close.
NEAR = 0.05
#: Runs per perturbed start for the random methods.
RANDOM_RUNS = 8


def candidates(analysis: Analysis, method: str) -> list[tuple[str, np.ndarray, bool]]:
    """``(label, point, mixed)`` for where ``method`` should end: every fixed point, or p̂ for the methods that
    climb S(p, f(p)) (full gradient ascent, random search)."""
    if method in ("full-gradient", "random-search"):
        return [("p̂", analysis.optimum.p, False)]
    return [(f"fixed point {i + 1}", fp.p, fp.kind == "mixed") for i, fp in enumerate(analysis.fixed_points)]


def observe_near(world: World, rule: ScoringRule, method: str, point: np.ndarray, step_size: float, steps: int,
                 seed: int = 0) -> float:
    """The share of runs that converge to ``point`` from 2(n − 1) starts ``NUDGE`` away from it along ± the
    tangent basis (the observation beside the local theory's prediction). For ``sgd`` and ``random-search``,
    ``RANDOM_RUNS`` runs per start, and the share that end within ``NEAR`` of it (they never stand still)."""
    b = tangent_basis(world.n)
    starts = project(np.concatenate([point + NUDGE * b.T, point - NUDGE * b.T]))
    if method in ("sgd", "random-search"):
        starts = np.repeat(starts, RANDOM_RUNS, axis=0)
        run = simulate(world, rule, method, starts, step_size, steps, seed=seed)
        return float(np.mean(np.max(np.abs(run.end - point), axis=-1) <= NEAR))
    run = simulate(world, rule, method, starts, step_size, steps, attractors=point[None], seed=seed)
    return float(np.mean(run.attractor == 0))
