"""The completeness certificate of a set of fixed points: the fixed-point index theorem.

For a smooth f mapping the simplex Δ into itself whose fixed points are all nondegenerate,

    Σ over fixed points p* of  sign det(I − Df_T(p*)) = 1            (Lefschetz–Hopf),

with Df_T the Jacobian restricted to the tangent space {v : Σv = 0} (docs/theory.md#completeness).
So a set of fixed points whose index sum is not 1 is *incomplete*: some fixed point is missing.
A point where I − Df_T is singular is *degenerate* (a fold or branch point sits there): its index is not
±1 and the count can change under a tiny perturbation, so no certificate is given. Numerically, the sign of the
determinant is trusted when I − Df_T is far from every singular matrix, that is when its smallest singular value
is (the determinant itself is no such measure: with four tangent directions each 0.01 from singular, it is 1e-8
while no perturbation below 0.01 can change its sign).

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

#: The smallest singular value of I − Df_T (its distance to the nearest singular matrix) below which a fixed
#: point is degenerate.
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
    degenerate : the fixed points where I − Df_T is within :data:`DEGENERATE_TOL` of singular.
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
    """sign det(I − Df_T(p)) for each point (0 where the smallest singular value of I − Df_T is at most
    :data:`DEGENERATE_TOL`), as ints."""
    pts = np.asarray(points, dtype=float).reshape(-1, world.n)
    if len(pts) == 0:
        return np.zeros(0, dtype=int)
    m = np.eye(world.n - 1) - tangent_jacobian(world.jacobian(pts))
    det = np.linalg.det(m)
    # |det| is the product of the singular values, so σ_min ≥ |det| / σ_max^(d−1) ≥ |det| / ‖M‖_F^(d−1): only
    # the points this bound does not clear pay for an SVD.
    unclear = ~(np.abs(det) > DEGENERATE_TOL * np.linalg.norm(m, axis=(-2, -1)) ** (world.n - 2))
    smallest = np.full(len(pts), np.inf)
    if unclear.any():
        smallest[unclear] = np.linalg.svd(m[unclear], compute_uv=False)[..., -1]
    return np.where(smallest <= DEGENERATE_TOL, 0, np.sign(det)).astype(int)


def certify(world, points: list[np.ndarray]) -> Certificate:
    """The certificate of ``points``, all the fixed points found for ``world``."""
    return certify_batch([world], [points])[0]


def certify_batch(worlds: Sequence[World] | WorldBatch, points: Sequence[list[np.ndarray]]) -> list[Certificate]:
    """:func:`certify` for each world and its points (worlds of one kind and number of outcomes, such as a
    sweep's)."""
    batch = worlds if isinstance(worlds, WorldBatch) else WorldBatch(worlds)
    mine = [np.asarray(p, dtype=float).reshape(-1, batch.n) for p in points]
    owner = np.repeat(np.arange(len(mine)), [len(p) for p in mine])
    columns = certify_columns(batch, owner, np.concatenate(mine + [np.zeros((0, batch.n))]))
    return [columns[k] for k in range(len(batch))]


@dataclass(frozen=True)
class Certificates:
    """The certificates of K worlds as columns; ``certificates[k]`` is world k's :class:`Certificate`."""

    step: np.ndarray
    index_sum: np.ndarray
    degenerate_owner: np.ndarray
    degenerate: np.ndarray

    @property
    def complete(self) -> np.ndarray:
        clean = np.bincount(self.degenerate_owner, minlength=len(self.step)) == 0
        return self.step | ((self.index_sum == 1) & clean)

    def __getitem__(self, k: int) -> Certificate:
        if self.step[k]:
            return Certificate(method="support enumeration", index_sum=None, complete=True)
        degenerate = tuple(self.degenerate[self.degenerate_owner == k])
        total = int(self.index_sum[k])
        return Certificate(method="index theorem", index_sum=total, complete=total == 1 and not degenerate,
                           degenerate=degenerate)

    def __len__(self) -> int:
        return len(self.step)


def certify_columns(batch: WorldBatch, owner: np.ndarray, points: np.ndarray) -> Certificates:
    """The certificates of the worlds of ``batch`` whose fixed points are ``points`` (point i of world
    ``owner[i]``), the Jacobians at all the points computed together (:mod:`core.model.batch`)."""
    step = batch.is_step()
    smooth = ~step[owner]
    indices = np.zeros(len(owner), dtype=int)
    if smooth.any():
        indices[smooth] = fixed_point_indices(batch.at(owner[smooth]), points[smooth])
    totals = np.bincount(owner[smooth], weights=indices[smooth], minlength=len(batch)).astype(int)
    zero = smooth & (indices == 0)
    return Certificates(step, totals, owner[zero], points[zero])
