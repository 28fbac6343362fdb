"""Numerical continuation of fixed points along a parameter: branches of f_λ(p) = p and their events.

A *family* λ ↦ f_λ (a function that builds the world at a parameter value, raising ``ValueError`` where
the world is not valid) defines F(u, λ) = Bᵀ(f_λ(c + Bu) − (c + Bu)) on the tangent coordinates u of the
simplex (B the orthonormal tangent basis, c its centre). Its zero set is a union of curves, the
*branches*, which :func:`follow` traces by pseudo-arclength continuation (Keller): from a point x = (u, μ)
with unit tangent t (the null vector of DF), predict x + h t, then correct by Newton's method on

    F(x) = 0,   tᵀ(x − x_pred) = 0,

so a branch is followed through folds, where λ turns back. The parameter is rescaled to μ = (λ − lo) /
(hi − lo) ∈ [0, 1], so that arclength weighs u and the parameter alike. The step h grows after easy
corrections and halves after failed ones.

Along a branch two test functions locate its *events*, each to about 1e-9 in μ (AUTO, MatCont):

- a **fold** (saddle-node, a pair of fixed points born or destroyed) where det(I − Df_T) changes sign and
  λ turns back; located by the Illinois variant of regula falsi on the determinant;
- a **stability change** where the number of tangent eigenvalues of modulus > 1 changes (an eigenvalue
  crossing +1 at a branch point, −1 at a period doubling, or a complex pair crossing the unit circle);
  located by bisection on that count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np

from core.model.simplex import tangent_basis, tangent_jacobian
from core.model.worlds import World
from core.solve.results import classify

Family = Callable[[float], World]

#: Steps in the scaled (u, μ) arclength: the largest, the first, and the smallest before giving up.
H_MAX, H_START, H_MIN = 0.02, 0.005, 1e-7
#: Newton's method stops when the correction is this small, and gives up after this many iterations.
STEP_TOL, MAX_NEWTON = 1e-12, 8
#: Residual ‖F‖ below which a corrected point counts as on the branch.
RESIDUAL_TOL = 1e-10
#: Events are located until the bracket along the branch is this short (in scaled arclength).
EVENT_TOL = 1e-11
#: The step of the difference quotient for ∂F/∂μ.
DMU = 1e-6
#: How far Newton's method may move the starting point of a branch (it only polishes a fixed point).
START_TOL = 1e-4
#: A point more than this outside the simplex ends the branch.
OUTSIDE = 1e-9


@dataclass(frozen=True)
class Event:
    """A bifurcation on a branch.

    Attributes
    ----------
    value : the parameter λ where it happens.
    kind : ``"fold"`` (a pair of fixed points meets and vanishes) or ``"stability"``.
    p : the fixed point there.
    stabilities : for a stability change, the stability just below and just above ``value``; for a fold,
        the stabilities of the pair that meets there.
    side : for a fold, +1 if the pair exists for parameters above ``value``, −1 if below; 0 otherwise.
    """

    value: float
    kind: str
    p: np.ndarray
    stabilities: tuple[str, str]
    side: int = 0


@dataclass(frozen=True)
class Branch:
    """A traced curve of fixed points, in order along its arclength.

    Attributes
    ----------
    values : the parameter λ at each point, shape ``(m,)``.
    points : the fixed points p, shape ``(m, n)``.
    stability : each point's stability under p ← f(p) (see :func:`core.solve.results.classify`).
    events : folds and stability changes, in order along the branch.
    """

    values: np.ndarray
    points: np.ndarray
    stability: tuple[str, ...]
    events: tuple[Event, ...]


class _System:
    """F and DF in the scaled coordinates x = (u, μ) for one family on [lo, hi]."""

    def __init__(self, family: Family, n: int, lo: float, hi: float) -> None:
        self.world = lru_cache(maxsize=512)(lambda mu: family(lo + mu * (hi - lo)))
        self.n, self.lo, self.hi = n, lo, hi
        self.basis = tangent_basis(n)
        self.centre = np.full(n, 1.0 / n)

    def point(self, x: np.ndarray) -> np.ndarray:
        return self.centre + self.basis @ x[:-1]

    def coordinates(self, p: np.ndarray, value: float) -> np.ndarray:
        return np.append(self.basis.T @ (p - self.centre), (value - self.lo) / (self.hi - self.lo))

    def value(self, x: np.ndarray) -> float:
        return self.lo + float(x[-1]) * (self.hi - self.lo)

    def residual(self, world: World, p: np.ndarray) -> np.ndarray:
        return self.basis.T @ (world(p) - p)

    def jacobian_u(self, world: World, p: np.ndarray) -> np.ndarray:
        """∂F/∂u = Bᵀ Df B − I: the tangent Jacobian of f minus the identity."""
        return tangent_jacobian(world.jacobian(p)) - np.eye(self.n - 1)

    def evaluate(self, x: np.ndarray, column: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """F(x) and the (n − 1) × n Jacobian [∂F/∂u | ∂F/∂μ]. The last column is a forward difference
        (backward where the family ends), or ``column`` when given: the corrector keeps the first one, since
        building a world is the costly step and Newton's method converges with a slightly stale column."""
        mu, p = float(x[-1]), self.point(x)
        world = self.world(mu)
        f = self.residual(world, p)
        if column is None:
            for d in (DMU, -DMU):
                try:
                    column = (self.residual(self.world(mu + d), p) - f) / d
                    break
                except ValueError:
                    continue
            else:
                raise ValueError("the family is not defined on either side of this parameter value")
        return f, np.column_stack([self.jacobian_u(world, p), column])

    def tangent(self, x: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
        """The unit null vector of DF at x, oriented along ``previous`` (or towards growing μ)."""
        _, jac = self.evaluate(x)
        t = np.linalg.svd(jac)[2][-1]
        reference = previous if previous is not None else np.eye(len(x))[-1]
        return -t if t @ reference < 0 else t

    def correct(self, x_pred: np.ndarray, direction: np.ndarray) -> np.ndarray | None:
        """Newton's method on F(x) = 0, directionᵀ(x − x_pred) = 0; ``None`` if it fails."""
        x, column = x_pred.copy(), None
        for _ in range(MAX_NEWTON):
            try:
                f, jac = self.evaluate(x, column)
                column = jac[:, -1]
            except ValueError:
                return None
            system = np.vstack([jac, direction])
            rhs = -np.append(f, direction @ (x - x_pred))
            try:
                dx = np.linalg.solve(system, rhs)
            except np.linalg.LinAlgError:
                return None
            x = x + dx
            if np.linalg.norm(dx) < STEP_TOL:
                break
        try:
            ok = np.linalg.norm(self.residual(self.world(float(x[-1])), self.point(x))) <= RESIDUAL_TOL
        except ValueError:
            return None
        return x if ok else None

    def solve_at(self, u: np.ndarray, mu: float) -> np.ndarray | None:
        """Newton's method in u alone at a fixed μ; the coordinates x, or ``None`` if it does not converge."""
        world = self.world(mu)
        for _ in range(2 * MAX_NEWTON):
            p = self.centre + self.basis @ u
            f = self.residual(world, p)
            if np.linalg.norm(f) <= RESIDUAL_TOL:
                return np.append(u, mu)
            try:
                u = u - np.linalg.solve(self.jacobian_u(world, p), f)
            except np.linalg.LinAlgError:
                return None
        return None

    def diagnose(self, x: np.ndarray) -> tuple[str, float, int]:
        """(stability, det(I − Df_T), the number of tangent eigenvalues of modulus > 1) at x."""
        jac_t = tangent_jacobian(self.world(float(x[-1])).jacobian(self.point(x)))
        stability, _ = classify(jac_t)
        outside = int(np.sum(np.abs(np.linalg.eigvals(np.atleast_2d(jac_t))) > 1.0))
        return stability, float(np.linalg.det(np.eye(self.n - 1) - jac_t)), outside


def follow(family: Family, p: np.ndarray, value: float, lo: float, hi: float, max_steps: int = 2000) -> Branch:
    """Trace the branch of fixed points through (p, value) in both directions until it leaves [lo, hi] or the
    simplex, closes on itself, or the corrector fails at the smallest step.

    Parameters
    ----------
    family : λ ↦ f_λ, raising ``ValueError`` where it is not defined.
    p, value : a fixed point of ``family(value)`` (polished here by Newton's method; ``ValueError`` if that
        moves it by more than ``START_TOL``), lo <= value <= hi.
    lo, hi : the parameter range, lo < hi.
    """
    n = len(p)
    system = _System(family, n, lo, hi)
    x0 = system.coordinates(np.asarray(p, dtype=float), value)
    x0 = system.solve_at(x0[:-1], float(x0[-1]))
    if x0 is None or np.max(np.abs(system.point(x0) - p)) > START_TOL:
        raise ValueError(f"follow: the point given is not a fixed point at {value!r}")
    t0 = system.tangent(x0, None)
    ahead, t_ahead = _march(system, x0, t0, max_steps)
    behind, t_behind = _march(system, x0, -t0, max_steps)
    xs = behind[::-1] + [x0] + ahead
    # Tangents oriented along the assembled branch: the backward march ran against it.
    ts = [-t for t in t_behind[::-1]] + [t0] + t_ahead
    diagnoses = [system.diagnose(x) for x in xs]
    events = []
    for i in range(len(xs) - 1):
        event = _event(system, xs[i], xs[i + 1], ts[i], ts[i + 1], diagnoses[i], diagnoses[i + 1])
        if event is not None:
            events.append(event)
    return Branch(values=np.array([system.value(x) for x in xs]), points=np.array([system.point(x) for x in xs]),
                  stability=tuple(d[0] for d in diagnoses), events=tuple(events))


def _march(system: _System, x0: np.ndarray, t0: np.ndarray, max_steps: int) -> tuple[list, list]:
    xs, ts = [], []
    x, t, h = x0, t0, H_START
    for step in range(max_steps):
        x_new = system.correct(x + h * t, t)
        t_new = None if x_new is None else system.tangent(x_new, t)
        # A good step stays close to the prediction and turns the tangent only a little; anything else may
        # have jumped onto another branch.
        if x_new is None or np.linalg.norm(x_new - x) > 2 * h or t_new @ t < 0.9:
            h /= 2
            if h < H_MIN:
                break
            continue
        mu = float(x_new[-1])
        if mu < 0.0 or mu > 1.0:
            end = 0.0 if mu < 0.0 else 1.0
            theta = (end - x[-1]) / (mu - x[-1])
            x_end = system.solve_at(x[:-1] + theta * (x_new[:-1] - x[:-1]), end)
            if x_end is not None:
                xs.append(x_end)
                ts.append(system.tangent(x_end, t))
            break
        if np.min(system.point(x_new)) < -OUTSIDE:
            break
        xs.append(x_new)
        ts.append(t_new)
        x, t = x_new, t_new
        if step > 3 and np.linalg.norm(x - x0) < h:  # back at the start: a closed curve (an isola)
            break
        h = min(2 * h, H_MAX)
    return xs, ts


def _event(system: _System, xa: np.ndarray, xb: np.ndarray, ta: np.ndarray, tb: np.ndarray,
           da: tuple[str, float, int], db: tuple[str, float, int]) -> Event | None:
    """The fold or stability change between two neighbouring points of a branch, located, or ``None``."""
    length = np.linalg.norm(xb - xa)
    if length == 0.0:
        return None
    direction = (xb - xa) / length

    def at(theta: float) -> np.ndarray | None:
        return system.correct(xa + theta * (xb - xa), direction)

    if np.sign(da[1]) != np.sign(db[1]) and np.sign(ta[-1]) != np.sign(tb[-1]):
        # Illinois regula falsi on det(I − Df_T), which changes sign at a fold.
        a, b, fa, fb, side = 0.0, 1.0, da[1], db[1], 0
        x = xa
        while (b - a) * length > EVENT_TOL:
            theta = (a * fb - b * fa) / (fb - fa)
            x = at(theta)
            if x is None:
                return None
            fx = system.diagnose(x)[1]
            if np.sign(fx) == np.sign(fa):
                a, fa = theta, fx
                fb = fb / 2 if side == -1 else fb
                side = -1
            else:
                b, fb = theta, fx
                fa = fa / 2 if side == 1 else fa
                side = 1
            if fx == 0.0:
                break
        return Event(system.value(x), "fold", system.point(x), (da[0], db[0]), 1 if xa[-1] > x[-1] else -1)
    if da[2] != db[2]:
        a, b = 0.0, 1.0
        x = xa
        while (b - a) * length > EVENT_TOL:
            theta = 0.5 * (a + b)
            # Where every eigenvalue crosses the unit circle at once (a symmetric branch point) DF vanishes and
            # the corrector's system is singular: the chord's point is diagnosed instead if it is on the branch.
            x = at(theta)
            if x is None:
                x = xa + theta * (xb - xa)
                if np.linalg.norm(system.residual(system.world(float(x[-1])), system.point(x))) > RESIDUAL_TOL:
                    return None
            if system.diagnose(x)[2] == da[2]:
                a = theta
            else:
                b = theta
        pair = (da[0], db[0]) if xb[-1] > xa[-1] else (db[0], da[0])
        return Event(system.value(x), "stability", system.point(x), pair)
    return None


def image(family: Family, branch: Branch, perm: np.ndarray) -> Branch | None:
    """The branch p ↦ p∘σ (``perm``: σ as an index array) of a family that σ maps into itself, f_λ(p∘σ) = f_λ(p)∘σ:
    the same values, stabilities (the Jacobians are conjugate) and events, at the permuted points; ``None``
    unless each of its points is a fixed point at its value (‖f_λ(p) − p‖ ≤ :data:`RESIDUAL_TOL`, to the
    rounding of the symmetry), so an image is never shown that continuation would not have traced."""
    points = branch.points[:, perm]
    for value, p in zip(branch.values, points):
        if not np.linalg.norm(family(float(value))(p) - p) <= 10 * RESIDUAL_TOL:
            return None
    events = tuple(Event(e.value, e.kind, e.p[perm], e.stabilities, e.side) for e in branch.events)
    return Branch(branch.values, points, branch.stability, events)


def crossings(branch: Branch, value: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the branch crosses ``value``: (index j of each segment j → j + 1 that does, the linear
    interpolation of p there)."""
    a, b = branch.values[:-1], branch.values[1:]
    js = np.flatnonzero((np.minimum(a, b) <= value) & (value <= np.maximum(a, b)) & (a != b))
    theta = ((value - a[js]) / (b[js] - a[js]))[:, None]
    return js, branch.points[js] + theta * (branch.points[js + 1] - branch.points[js])


def sample(family: Family, branch: Branch, values: np.ndarray, lo: float, hi: float) -> list[list[np.ndarray]]:
    """The branch's fixed points at each of ``values``: every crossing of the value along the branch,
    interpolated and corrected by Newton's method at that value (points that do not converge are dropped)."""
    system = _System(family, branch.points.shape[1], lo, hi)
    out: list[list[np.ndarray]] = []
    for value in np.asarray(values, dtype=float):
        mu = (value - lo) / (hi - lo)
        corrected = [system.solve_at(system.coordinates(p, value)[:-1], mu) for p in crossings(branch, value)[1]]
        out.append([system.point(x) for x in corrected if x is not None])
    return out
