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
    stabilities, rho = classify_batch(np.atleast_2d(jac_t)[None])
    return str(stabilities[0]), float(rho[0])


def classify_batch(jac_t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`classify` for tangent Jacobians ``(count, k, k)``: the stabilities (an array of the names) and the
    spectral radii."""
    if not len(jac_t):
        return np.zeros(0, dtype=object), np.zeros(0)
    moduli = np.abs(np.linalg.eigvals(jac_t))
    rho = moduli.max(axis=-1)
    kind = np.where(rho < 1.0, 0, np.where(moduli.min(axis=-1) > 1.0, 1, 2))
    kind[np.any(np.abs(moduli - 1.0) <= NEUTRAL_TOL, axis=-1)] = 3
    return STABILITIES[kind], rho


#: The stabilities, in the order classify_batch codes them.
STABILITIES = np.array(["attracting", "repelling", "saddle", "neutral"], dtype=object)




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
    converged : False when a local solver stopped on its step budget (the log rule's Newton steps on a matrix
        world), so ``p`` may be a little off the maximiser.
    """

    p: np.ndarray
    f: np.ndarray
    score: float
    attained: bool = True
    converged: bool = True


@dataclass(frozen=True)
class FixedPoints:
    """The fixed points of K worlds, flat: point i belongs to world ``owner[i]`` (sorted; within a world the points
    are sorted by the first outcome's probability, descending). ``points[k]`` is world k's as
    :class:`FixedPoint` objects, built only when asked for (a study of many thousands of worlds reads the arrays).
    """

    worlds: int
    owner: np.ndarray
    p: np.ndarray
    kind: np.ndarray
    stability: np.ndarray
    spectral_radius: np.ndarray
    mixing: np.ndarray | None

    def __getitem__(self, k: int) -> list[FixedPoint]:
        lo, hi = np.searchsorted(self.owner, [k, k + 1])
        return [FixedPoint(p=self.p[i], kind=str(self.kind[i]), stability=str(self.stability[i]),
                           spectral_radius=float(self.spectral_radius[i]),
                           mixing=None if self.mixing is None else self.mixing[i]) for i in range(lo, hi)]

    def __len__(self) -> int:
        return self.worlds

    def lists(self) -> list[list[FixedPoint]]:
        return [self[k] for k in range(self.worlds)]

    @property
    def counts(self) -> np.ndarray:
        """How many fixed points each world has."""
        return np.bincount(self.owner, minlength=self.worlds)

    @classmethod
    def join(cls, parts: list[FixedPoints], rows: list[np.ndarray], worlds: int, n: int) -> FixedPoints:
        """The points of ``parts[j]`` (whose world i is world ``rows[j][i]`` of the whole), sorted."""
        owner = np.concatenate([r[part.owner] for part, r in zip(parts, rows)] + [np.zeros(0, dtype=int)])
        p = np.concatenate([part.p for part in parts] + [np.zeros((0, n))])
        kind = np.concatenate([part.kind for part in parts] + [np.zeros(0, dtype=object)])
        stability = np.concatenate([part.stability for part in parts] + [np.zeros(0, dtype=object)])
        radius = np.concatenate([part.spectral_radius for part in parts] + [np.zeros(0)])
        with_mixing = [part.mixing for part in parts if part.mixing is not None and len(part.p)]
        mixing = None
        if with_mixing:
            width = with_mixing[0].shape[1]
            mixing = np.concatenate([part.mixing if part.mixing is not None else np.full((len(part.p), width), np.nan)
                                     for part in parts] + [np.zeros((0, width))])
        # By world, then by the first outcome's probability descending, then the second's, ...
        order = np.lexsort(tuple(-p[:, j] for j in range(n - 1, -1, -1)) + (owner,))
        return cls(worlds, owner[order], p[order], kind[order], stability[order], radius[order],
                   None if mixing is None else mixing[order])

    @classmethod
    def of_lists(cls, lists: list[list[FixedPoint]], n: int) -> FixedPoints:
        """The columns of per-world lists of fixed points (kept in their order)."""
        flat = [fp for fps in lists for fp in fps]
        owner = np.repeat(np.arange(len(lists)), [len(fps) for fps in lists])
        has_mixing = any(fp.mixing is not None for fp in flat)
        return cls(len(lists), owner, np.array([fp.p for fp in flat], dtype=float).reshape(-1, n),
                   np.array([fp.kind for fp in flat], dtype=object), np.array([fp.stability for fp in flat], dtype=object),
                   np.array([fp.spectral_radius for fp in flat], dtype=float),
                   np.array([fp.mixing for fp in flat], dtype=float) if has_mixing else None)


@dataclass(frozen=True)
class Optima:
    """The performative optima of K worlds as columns; ``optima[k]`` is world k's :class:`Optimum`."""

    p: np.ndarray
    f: np.ndarray
    score: np.ndarray
    attained: np.ndarray
    converged: np.ndarray

    def __getitem__(self, k: int) -> Optimum:
        return Optimum(p=self.p[k], f=self.f[k], score=float(self.score[k]), attained=bool(self.attained[k]),
                       converged=bool(self.converged[k]))

    def __len__(self) -> int:
        return len(self.score)
