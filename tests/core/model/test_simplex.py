"""Tests of core.model.simplex: validation, grids, projection, the tangent basis and distances."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.optimize import minimize

from core.model.simplex import (
    LONG_BATCH,
    SIMPLEX_TOL,
    as_simplex,
    binary,
    distance,
    grid_neighbours,
    project,
    row_max,
    row_min,
    row_sum,
    rows_times,
    simplex_grid,
    tangent_basis,
    tangent_jacobian,
)

# --- as_simplex ------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3,), (4, 2), (5, 3), (2, 3, 4)])
def test_as_simplex_accepts_batches_unchanged(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
    out = as_simplex(p)
    assert out.shape == p.shape
    assert out.dtype == float
    np.testing.assert_allclose(out, p, rtol=0, atol=1e-15)


def test_as_simplex_accepts_lists_and_vertices() -> None:
    np.testing.assert_array_equal(as_simplex([[1, 0], [0, 1]]), [[1.0, 0.0], [0.0, 1.0]])


def test_as_simplex_repairs_rounding_within_tolerance() -> None:
    # An entry a hair below zero (well inside SIMPLEX_TOL) is clipped; the row is renormalised.
    tiny = SIMPLEX_TOL / 100
    out = as_simplex([-tiny, 0.5 + tiny, 0.5])
    assert out[0] == 0.0
    assert np.all(out >= 0)
    assert out.sum() == pytest.approx(1.0, abs=1e-15)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ([0.5, -0.1, 0.6], "negative probability"),
        ([[0.5, 0.5], [1.2, -0.2]], "negative probability"),
        ([0.5, 0.6], "must sum to 1"),
        # Just beyond the tolerance (1e-9) in sign and in sum.
        ([0.5 + 1e-7, -1e-7, 0.5], "negative probability"),
        ([0.5, 0.5 + 1e-7], "must sum to 1"),
        ([[0.5, 0.5], [0.3, 0.3]], "sums to 0.6"),
        ([0.5, np.nan], "not finite"),
        ([np.inf, 0.0], "not finite"),
        (0.5, "at least two outcomes"),
        ([1.0], "at least two outcomes"),
        ([[1.0], [1.0]], "at least two outcomes"),
    ],
)
def test_as_simplex_rejects_with_a_message_naming_the_problem(value: object, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        as_simplex(value)


def test_as_simplex_message_names_the_argument() -> None:
    with pytest.raises(ValueError, match=r"^prediction has a negative probability"):
        as_simplex([1.5, -0.5], name="prediction")


def test_binary() -> None:
    np.testing.assert_allclose(binary([0.25, 1.0]), [[0.25, 0.75], [1.0, 0.0]])
    assert binary(0.3).shape == (2,)


# --- grids -----------------------------------------------------------------------------------

GRID_CASES = [(n, k) for n in range(2, 7) for k in (1, 2, 3, 5, 8)]


@pytest.mark.parametrize(("n", "k"), GRID_CASES)
def test_simplex_grid_is_every_multiple_of_one_over_k(n: int, k: int) -> None:
    grid = simplex_grid(n, k)
    # Stars and bars: compositions of k into n non-negative parts.
    assert grid.shape == (math.comb(k + n - 1, n - 1), n)
    np.testing.assert_allclose(grid.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(grid >= 0)
    counts = np.rint(grid * k).astype(int)
    np.testing.assert_allclose(grid * k, counts, atol=1e-9)
    assert len({tuple(c) for c in counts}) == len(counts), "duplicate grid points"
    # The same set, enumerated independently (slow, obviously correct).
    brute = {c for c in itertools.product(range(k + 1), repeat=n) if sum(c) == k}
    assert {tuple(c) for c in counts} == brute
    for vertex in np.eye(n):
        assert np.any(np.all(grid == vertex, axis=1)), f"vertex {vertex} missing"


@pytest.mark.parametrize(("n", "k"), [(1, 3), (0, 3), (3, 0), (2, -1)])
def test_simplex_grid_rejects_bad_sizes(n: int, k: int) -> None:
    with pytest.raises(ValueError, match="n >= 2 and k >= 1"):
        simplex_grid(n, k)


@pytest.mark.parametrize(("n", "k"), [(2, 6), (3, 5), (4, 3), (5, 2)])
def test_grid_neighbours_is_a_symmetric_one_move_relation(n: int, k: int) -> None:
    grid = simplex_grid(n, k)
    counts = np.rint(grid * k).astype(int)
    nb = grid_neighbours(n, k)
    assert nb.shape[0] == len(grid)
    pairs = {(i, int(j)) for i in range(len(grid)) for j in nb[i] if j >= 0}
    assert all((j, i) in pairs for i, j in pairs), "neighbour relation is not symmetric"
    # Brute force: neighbours are grid points whose counts differ by moving one unit of mass.
    brute = {
        (i, j)
        for i in range(len(grid))
        for j in range(len(grid))
        if np.abs(counts[i] - counts[j]).sum() == 2
    }
    assert pairs == brute
    for row in nb:  # no point lists a neighbour twice
        real = row[row >= 0]
        assert len(set(real.tolist())) == len(real)


# --- projection ------------------------------------------------------------------------------

vectors = st.integers(2, 6).flatmap(
    lambda n: arrays(float, (n,), elements=st.floats(min_value=-10.0, max_value=10.0))
)


def _on_simplex(x: np.ndarray, tol: float = 1e-12) -> bool:
    return bool(np.all(x >= 0) and abs(x.sum() - 1.0) <= tol * len(x))


@settings(max_examples=100, deadline=None)
@given(vectors)
def test_project_lands_on_the_simplex(v: np.ndarray) -> None:
    assert _on_simplex(project(v))


@settings(max_examples=100, deadline=None)
@given(st.integers(2, 6), st.integers(0, 2**32 - 1), st.floats(0.0, 0.9))
def test_project_is_idempotent_on_simplex_points(n: int, seed: int, zero_share: float) -> None:
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(n))
    p[rng.random(n) < zero_share] = 0.0  # include faces and vertices
    if p.sum() == 0:
        p[0] = 1.0
    p /= p.sum()
    np.testing.assert_allclose(project(p), p, atol=1e-15)
    np.testing.assert_allclose(project(project(p)), project(p), atol=1e-15)


@settings(max_examples=60, deadline=None)
@given(vectors, st.integers(0, 2**32 - 1))
def test_project_is_the_nearest_point(v: np.ndarray, seed: int) -> None:
    x = project(v)
    best = np.sum((x - v) ** 2)
    n = len(v)
    # No random point of the simplex (interior, faces, vertices) is nearer.
    rng = np.random.default_rng(seed)
    candidates = np.concatenate([rng.dirichlet(np.ones(n), size=2000), rng.dirichlet(np.full(n, 0.1), 2000),
                                 np.eye(n)])
    assert np.all(np.sum((candidates - v) ** 2, axis=1) >= best - 1e-12)
    # And a general-purpose constrained optimizer agrees.
    res = minimize(lambda y: np.sum((y - v) ** 2), np.full(n, 1.0 / n), jac=lambda y: 2 * (y - v),
                   bounds=[(0.0, 1.0)] * n, constraints=[{"type": "eq", "fun": lambda y: y.sum() - 1.0}],
                   method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
    np.testing.assert_allclose(x, res.x, atol=1e-6)


def test_project_hand_values() -> None:
    # (2, 0) -> (1, 0): shift by θ = 1/2 gives (1.5, -0.5), clipped support {1}: θ = 1.
    np.testing.assert_allclose(project(np.array([2.0, 0.0])), [1.0, 0.0])
    # (0.5, 0.5, 0.5): equal shift θ = 1/6.
    np.testing.assert_allclose(project(np.array([0.5, 0.5, 0.5])), [1 / 3, 1 / 3, 1 / 3])
    # (1, 0.6, -3): support {1, 2}, θ = (1 + 0.6 - 1)/2 = 0.3 -> (0.7, 0.3, 0).
    np.testing.assert_allclose(project(np.array([1.0, 0.6, -3.0])), [0.7, 0.3, 0.0], atol=1e-15)


def test_project_works_on_batches_row_by_row() -> None:
    rng = np.random.default_rng(7)
    v = rng.normal(size=(3, 4, 5))
    out = project(v)
    assert out.shape == v.shape
    for idx in np.ndindex(3, 4):
        np.testing.assert_allclose(out[idx], project(v[idx]), atol=1e-15)


# --- tangent space and distance ------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 9))
def test_tangent_basis_is_orthonormal_and_orthogonal_to_ones(n: int) -> None:
    b = tangent_basis(n)
    assert b.shape == (n, n - 1)
    np.testing.assert_allclose(b.T @ b, np.eye(n - 1), atol=1e-12)
    np.testing.assert_allclose(np.ones(n) @ b, 0.0, atol=1e-12)
    # It spans the whole tangent space: projecting I - 11ᵀ/n onto it changes nothing.
    centred = np.eye(n) - 1.0 / n
    np.testing.assert_allclose(b @ (b.T @ centred), centred, atol=1e-12)


def test_tangent_jacobian_of_identity_is_identity() -> None:
    for n in (2, 3, 5):
        np.testing.assert_allclose(tangent_jacobian(np.eye(n)), np.eye(n - 1), atol=1e-12)
        # A Jacobian that moves mass along ones only (off the simplex) does nothing on it.
        np.testing.assert_allclose(tangent_jacobian(np.ones((n, n))), 0.0, atol=1e-12)


def test_distance_conventions() -> None:
    # Binary: the gap in the first outcome's probability, |0.2 - 0.5| = 0.3 (not 0.3·√2).
    assert distance(np.array([0.2, 0.8]), np.array([0.5, 0.5])) == pytest.approx(0.3, abs=1e-15)
    # Three outcomes: Euclidean, ‖(0.5, 0, -0.5)‖ = √0.5.
    assert distance(np.array([0.5, 0.5, 0.0]), np.array([0.0, 0.5, 0.5])) == pytest.approx(math.sqrt(0.5))
    # Batches, and symmetry.
    p = np.array([[0.1, 0.9], [0.7, 0.3]])
    q = np.array([[0.4, 0.6], [0.7, 0.3]])
    np.testing.assert_allclose(distance(p, q), [0.3, 0.0], atol=1e-15)
    np.testing.assert_allclose(distance(q, p), distance(p, q))


# --- row reductions --------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(1, 11))
def test_row_reductions_equal_numpys_to_the_last_bit(n: int) -> None:
    rng = np.random.default_rng(n)
    x = rng.standard_normal((257, 3, n)) * np.exp(5.0 * rng.standard_normal((257, 3, n)))  # wide magnitudes
    # The slow reference: each row added left to right in Python floats.
    by_hand = np.array([[float(sum(row.tolist(), start=-0.0)) for row in block] for block in x])
    if n <= 7:
        assert np.array_equal(row_sum(x), by_hand)
        assert np.array_equal(row_sum(x), x.sum(axis=-1))
    else:  # numpy's pairwise order: the same sums up to rounding
        np.testing.assert_allclose(row_sum(x), by_hand, rtol=1e-12, atol=1e-12 * np.abs(x).sum(axis=-1).max())
    assert np.array_equal(row_max(x), x.max(axis=-1)) and np.array_equal(row_min(x), x.min(axis=-1))
    assert row_sum(x, keepdims=True).shape == (257, 3, 1) and row_max(x[0, 0]).shape == ()
    # One row alone gives what it gives in its batch.
    assert row_sum(x[5:6])[0, 1] == row_sum(x)[5, 1] and row_max(x[5, 1]) == row_max(x)[5, 1]


def test_row_reductions_propagate_nan_and_infinities() -> None:
    x = np.array([[1.0, np.nan, 2.0], [-np.inf, 0.0, 1.0], [np.inf, -np.inf, 0.0]])
    for ours, theirs in ((row_sum, np.sum), (row_max, np.max), (row_min, np.min)):
        with np.errstate(invalid="ignore"):
            np.testing.assert_array_equal(ours(x), theirs(x, axis=-1))



@pytest.mark.parametrize(("k", "j"), [(2, 2), (3, 3), (5, 7), (3, 9), (9, 2)])
def test_rows_times_is_the_same_for_a_row_alone_and_in_a_long_batch(k: int, j: int) -> None:
    # Long batches add column by column, short ones call einsum: a world's answer must not depend on how many
    # others share its batch, so both must give the same bits, and the sums of products a plain loop gives.
    rng = np.random.default_rng(k * 10 + j)
    x, m = rng.standard_normal((2 * LONG_BATCH, k)), rng.standard_normal((k, j))
    x[::7] *= 1e8  # mixed magnitudes, where the order of the additions shows
    batch = rows_times(x, m)
    alone = np.vstack([rows_times(x[i:i + 1], m) for i in range(0, len(x), 97)])
    assert np.array_equal(batch[::97], alone)
    transposed = np.asfortranarray(m)  # a matrix given as a transpose (V.T) must not change the order either
    assert np.array_equal(rows_times(x, transposed), batch) and np.array_equal(rows_times(x[:1], transposed), alone[:1])
    by_hand = np.array([[sum((x[i, r] * m[r, c] for r in range(1, k)), start=x[i, 0] * m[0, c]) for c in range(j)]
                        for i in range(0, len(x), 97)])
    np.testing.assert_allclose(batch[::97], by_hand, rtol=1e-12, atol=1e-12 * np.abs(x).max())
    assert rows_times(x.reshape(2, LONG_BATCH, k), m).shape == (2, LONG_BATCH, j)
    assert np.array_equal(rows_times(x.reshape(2, LONG_BATCH, k), m).reshape(-1, j), batch)
