"""The completeness certificate of a set of fixed points: the fixed-point index theorem.

For a smooth f mapping the simplex Δ into itself whose fixed points are all nondegenerate,

    Σ over fixed points p* of  sign det(I − Df_T(p*)) = 1            (Lefschetz–Hopf),

with Df_T the Jacobian restricted to the tangent space {v : Σv = 0} (docs/theory.md#completeness).
So a set of fixed points whose index sum is not 1 is *incomplete*: some fixed point is missing.
A point where det(I − Df_T) ≈ 0 is *degenerate* (a fold or branch point sits there): its index is not
±1 and the count can change under a tiny perturbation, so no certificate is given.

The check cannot see a missing *pair* of fixed points of opposite index; the search
(:mod:`core.solve.fixed_points`) guards against those by its starts. For worlds whose f is a step
function (a best-responding human, a hard threshold) the theorem does not apply; their fixed points come
from exhaustive support enumeration (:mod:`core.solve.support_enumeration`), which is complete by
construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.model.batch import WorldBatch
from core.model.simplex import tangent_jacobian
from core.model.worlds import World

#: |det(I − Df_T)| below this marks a fixed point as degenerate.
DEGENERATE_TOL = 1e-7


@dataclass(frozen=True)
class Certificate:
    """What the index theorem says about a set of fixed points.

    Attributes
    ----------
    method : ``"index theorem"`` (smooth worlds) or ``"support enumeration"`` (step worlds).
    index_sum : Σ sign det(I − Df_T) over the regular fixed points (``None`` for step worlds).
    complete : True when the set is certified complete: index sum 1 and no degenerate point (smooth
        worlds), or exhaustive enumeration (step worlds).
    degenerate : the fixed points with |det(I − Df_T)| ≤ :data:`DEGENERATE_TOL`.
    """

    method: str
    index_sum: int | None
    complete: bool
    degenerate: tuple[np.ndarray, ...] = ()

    @property
    def applies(self) -> bool:
        """Whether the index theorem applies (f is smooth)."""
        return self.index_sum is not None


def fixed_point_indices(world, points: list[np.ndarray] | np.ndarray) -> np.ndarray:
    """sign det(I − Df_T(p)) for each point (0 where |det| ≤ :data:`DEGENERATE_TOL`), as ints."""
    pts = np.asarray(points, dtype=float).reshape(-1, world.n)
    if len(pts) == 0:
        return np.zeros(0, dtype=int)
    det = np.linalg.det(np.eye(world.n - 1) - tangent_jacobian(world.jacobian(pts)))
    return np.where(np.abs(det) <= DEGENERATE_TOL, 0, np.sign(det)).astype(int)


def certify(world, points: list[np.ndarray]) -> Certificate:
    """The certificate of ``points``, all the fixed points found for ``world``."""
    return certify_batch([world], [points])[0]


def certify_batch(worlds: Sequence[World], points: Sequence[list[np.ndarray]]) -> list[Certificate]:
    """:func:`certify` for each world and its points (worlds with one number of outcomes, such as a sweep's),
    the Jacobians at all the points computed together (:mod:`core.model.batch`)."""
    out: list[Certificate] = [Certificate(method="support enumeration", index_sum=None, complete=True)] * len(worlds)
    smooth = [k for k, world in enumerate(worlds) if not world.is_step]
    if not smooth:
        return out
    n = worlds[smooth[0]].n
    mine = [np.asarray(points[k], dtype=float).reshape(-1, n) for k in smooth]
    sizes = [len(p) for p in mine]
    which = np.repeat(np.arange(len(smooth)), sizes)
    indices = fixed_point_indices(WorldBatch([worlds[k] for k in smooth]).at(which), np.concatenate(mine))
    ends = np.cumsum(sizes)
    for k, p, end, size in zip(smooth, mine, ends, sizes):
        index = indices[end - size:end]
        degenerate = tuple(q for q, i in zip(p, index) if i == 0)
        total = int(index.sum())
        out[k] = Certificate(method="index theorem", index_sum=total, complete=total == 1 and not degenerate,
                             degenerate=degenerate)
    return out
