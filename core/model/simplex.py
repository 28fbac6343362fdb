"""Points of the probability simplex: validation, grids, projection and the tangent basis.

Every function takes batches of shape ``(..., n)``: the last axis holds the probabilities of the
``n`` outcomes, all leading axes are batch axes.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np

#: How far a probability vector may stray from the simplex (sum and sign) before it is rejected.
SIMPLEX_TOL = 1e-9


def as_simplex(p: np.typing.ArrayLike, name: str = "p", tol: float = SIMPLEX_TOL) -> np.ndarray:
    """Return ``p`` as a float array on the simplex, or raise ``ValueError`` saying what is wrong.

    Entries may be off by ``tol`` (below zero, or in the sum); they are clipped and renormalised.
    """
    arr = np.asarray(p, dtype=float)
    if arr.ndim == 0 or arr.shape[-1] < 2:
        raise ValueError(f"{name} must have at least two outcomes on its last axis, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} has entries that are not finite numbers")
    if np.any(arr < -tol):
        raise ValueError(f"{name} has a negative probability (smallest entry {arr.min():.3g})")
    sums = arr.sum(axis=-1)
    if np.any(np.abs(sums - 1.0) > tol * arr.shape[-1] + tol):
        worst = sums.flat[np.argmax(np.abs(sums - 1.0))]
        raise ValueError(f"{name} must sum to 1 over the outcomes, but a row sums to {worst:.6g}")
    arr = np.clip(arr, 0.0, None)
    return arr / arr.sum(axis=-1, keepdims=True)


def binary(p: np.typing.ArrayLike) -> np.ndarray:
    """Turn probabilities of the first outcome, shape ``(...)``, into binary distributions ``(..., 2)``."""
    x = np.asarray(p, dtype=float)
    return np.stack([x, 1.0 - x], axis=-1)


@lru_cache(maxsize=32)
def _grid_cached(n: int, k: int) -> np.ndarray:
    # Compositions of k into n non-negative parts, via "stars and bars": the bar positions are a
    # combination of n-1 positions among k+n-1.
    bars = np.array(list(combinations(range(k + n - 1), n - 1)), dtype=int).reshape(-1, n - 1)
    padded = np.concatenate(
        [np.full((len(bars), 1), -1), bars, np.full((len(bars), 1), k + n - 1)], axis=1
    )
    counts = np.diff(padded, axis=1) - 1
    grid = counts / k
    grid.setflags(write=False)
    return grid


def simplex_grid(n: int, k: int) -> np.ndarray:
    """All points of the simplex whose coordinates are multiples of ``1/k``.

    Returns an array of shape ``(C(k+n-1, n-1), n)``; vertices and edges are included.
    """
    if n < 2 or k < 1:
        raise ValueError(f"simplex_grid needs n >= 2 and k >= 1, got n={n}, k={k}")
    return _grid_cached(int(n), int(k))


@lru_cache(maxsize=16)
def grid_neighbours(n: int, k: int) -> np.ndarray:
    """For each point of ``simplex_grid(n, k)``, the indices of its neighbours (``-1`` pads), read-only.

    Two grid points are neighbours when one is reached from the other by moving ``1/k`` of mass
    from one outcome to another. Made once per (n, k): building it costs more than a whole analysis besides.
    """
    grid = simplex_grid(n, k)
    counts = np.rint(grid * k).astype(int)
    index = {tuple(c): i for i, c in enumerate(counts)}
    moves = [(i, j) for i in range(n) for j in range(n) if i != j]
    out = np.full((len(counts), len(moves)), -1, dtype=int)
    for col, (i, j) in enumerate(moves):
        shifted = counts.copy()
        shifted[:, i] -= 1
        shifted[:, j] += 1
        ok = shifted[:, i] >= 0
        out[ok, col] = [index[tuple(c)] for c in shifted[ok]]
    out.setflags(write=False)
    return out


def project(v: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row of ``v`` onto the simplex (Duchi et al. 2008, sort-based)."""
    v = np.asarray(v, dtype=float)
    n = v.shape[-1]
    u = -np.sort(-v, axis=-1)
    css = np.cumsum(u, axis=-1) - 1.0
    ks = np.arange(1, n + 1)
    cond = u - css / ks > 0
    rho = n - 1 - np.argmax(cond[..., ::-1], axis=-1)
    theta = np.take_along_axis(css, rho[..., None], axis=-1) / (rho[..., None] + 1.0)
    return np.maximum(v - theta, 0.0)


@lru_cache(maxsize=8)
def tangent_basis(n: int) -> np.ndarray:
    """An orthonormal basis of the simplex's tangent space {v : sum(v) = 0}, shape ``(n, n-1)``."""
    # Columns of I - 11^T/n span the tangent space; QR of the first n-1 gives an orthonormal basis.
    centred = np.eye(n) - 1.0 / n
    q, _ = np.linalg.qr(centred[:, : n - 1])
    q.setflags(write=False)
    return q


#: Up to this many outcomes, the row reductions below combine the columns one by one: numpy's reduction over a
#: short last axis runs its inner loop once per row and costs about twenty times more, and for fewer than eight
#: terms it adds them in the same order, so the sums are the same to the last bit.
SHORT_ROW = 7
#: Entries of a batch above which :func:`rows_times` adds column by column (below, einsum's single call is
#: cheaper than the loop's Python).
LONG_BATCH = 3000


def _fold(ufunc: np.ufunc, x: np.ndarray, keepdims: bool) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.shape[-1] > SHORT_ROW:
        return ufunc.reduce(x, axis=-1, keepdims=keepdims)
    out = x[..., 0].copy()
    for j in range(1, x.shape[-1]):
        ufunc(out, x[..., j], out=out)
    return out[..., None] if keepdims else out


def row_sum(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``x.sum(axis=-1)`` of a float batch ``(..., n)``, the same numbers, fast for few outcomes."""
    return _fold(np.add, x, keepdims)


def row_max(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``x.max(axis=-1)`` of a float batch ``(..., n)``, fast for few outcomes."""
    return _fold(np.maximum, x, keepdims)


def row_min(x: np.ndarray, keepdims: bool = False) -> np.ndarray:
    """``x.min(axis=-1)`` of a float batch ``(..., n)``, fast for few outcomes."""
    return _fold(np.minimum, x, keepdims)


def rows_times(x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``x @ m`` for rows ``x`` ``(..., k)`` and a matrix ``m`` ``(k, j)`` (or a vector ``(k,)``), with the sums over
    k in one order for every row, whatever the batch: BLAS's rounding changes with the number of rows (its kernels
    block them), and a world's answer must not depend on how many others share its batch (a flat maximum moves
    with the last bit). Short batches call einsum; long ones times a small matrix add column by column in
    einsum's order, two to three times as fast as its loop over short rows."""
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    if m.ndim == 1:
        return np.einsum("...k,k->...", x, m)
    # einsum adds in k's order only for a C-ordered matrix (a transposed one gets a dot kernel per row, in another
    # order), and so does the loop below: the same bits for any batch.
    m = np.ascontiguousarray(m)
    if max(m.shape) > SHORT_ROW or x.size < LONG_BATCH:
        return np.einsum("...k,kj->...j", x, m)
    # Each output column added up term by term over x's columns, made contiguous first.
    columns = np.ascontiguousarray(x.reshape(-1, x.shape[-1]).T)
    out, term = np.empty((m.shape[1], columns.shape[1])), np.empty(columns.shape[1])
    for j in range(m.shape[1]):
        np.multiply(columns[0], m[0, j], out=out[j])
        for k in range(1, len(m)):
            out[j] += np.multiply(columns[k], m[k, j], out=term)
    return out.T.reshape(x.shape[:-1] + (m.shape[1],))


def tangent_jacobian(jac: np.ndarray) -> np.ndarray:
    """Restrict ambient Jacobians ``(..., n, n)`` of a map of the simplex to its tangent space: Bᵀ J B."""
    n = jac.shape[-1]
    # One product of the flattened J with the table B[i, r] B[j, s] indexed by ((i, j), (r, s)): a batch of
    # small matrix products costs far more.
    flat = jac.reshape(jac.shape[:-2] + (n * n,))
    return rows_times(flat, _tangent_table(n)).reshape(jac.shape[:-2] + (n - 1, n - 1))


@lru_cache(maxsize=8)
def _tangent_table(n: int) -> np.ndarray:
    b = tangent_basis(n)
    table = np.einsum("ir,js->ijrs", b, b).reshape(n * n, (n - 1) * (n - 1))
    table.setflags(write=False)
    return table


def distance(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """The distance the app reports between predictions.

    For two outcomes it is |p₁ − q₁|, the gap in the probability of the first outcome (the papers'
    convention, and the quantity their bounds control); for more it is the Euclidean norm ‖p − q‖₂,
    the norm of the Brier bound.
    """
    d = np.asarray(p, dtype=float) - np.asarray(q, dtype=float)
    if d.shape[-1] == 2:
        return np.abs(d[..., 0])
    return np.linalg.norm(d, axis=-1)


def grid_resolution(n: int) -> int:
    """Subdivisions per edge of the search grid for n outcomes (about a thousand to two thousand points)."""
    return {2: 2000, 3: 48, 4: 16, 5: 10, 6: 8}[n]
