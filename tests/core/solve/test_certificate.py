"""Tests of core.solve.certificate: the index theorem as a completeness check (docs/theory.md#completeness).

Indices are derived by hand from the eigenvalues of Df_T: a fixed point's index is sign det(I − Df_T) =
Π sign(1 − λ) over real eigenvalues (complex pairs contribute |1 − λ|² > 0).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.model.presets import PRESETS
from core.model.worlds import LinearWorld, MatrixWorld, PolicyWorld
from core.solve.certificate import certify, certify_batch, fixed_point_indices
from core.solve.fixed_points import find_fixed_points
from tests.core.solve.test_fixed_points import coordination3


def test_symmetric_coordination_indices_by_hand() -> None:
    # U = I, Q = 0.7 I + 0.1 J, β = 8 (see test_fixed_points): three attractors (index +1), three saddles
    # with one real eigenvalue above 1 (index −1) and the repelling centre with the double eigenvalue
    # 28/15: det(I − Df_T) = (1 − 28/15)² > 0, index +1. Sum 3 − 3 + 1 = 1.
    world = coordination3("softmax", 8.0)
    points = find_fixed_points(world)
    indices = fixed_point_indices(world, [fp.p for fp in points])
    by_stability = {"attracting": 1, "saddle": -1, "repelling": 1}
    assert list(indices) == [by_stability[fp.stability] for fp in points]
    certificate = certify(world, [fp.p for fp in points])
    assert (certificate.index_sum, certificate.complete, certificate.degenerate) == (1, True, ())
    assert certificate.method == "index theorem" and certificate.applies


def test_a_missing_fixed_point_breaks_the_certificate() -> None:
    # Dropping a saddle (index −1) leaves the sum 2; dropping a saddle and an attractor (a fold pair) leaves
    # 1: the check cannot see pairs, which is why the search does not rely on it alone.
    world = coordination3("softmax", 8.0)
    points = find_fixed_points(world)
    saddle = next(i for i, fp in enumerate(points) if fp.stability == "saddle")
    attractor = next(i for i, fp in enumerate(points) if fp.stability == "attracting")
    without_saddle = [fp.p for i, fp in enumerate(points) if i != saddle]
    assert certify(world, without_saddle).index_sum == 2
    assert not certify(world, without_saddle).complete
    pair = [fp.p for i, fp in enumerate(points) if i not in (saddle, attractor)]
    assert certify(world, pair).index_sum == 1


def test_the_pitchfork_is_degenerate() -> None:
    # At β = 3/0.7 the centre's double eigenvalue β·0.7/3 is exactly 1: det(I − Df_T) = 0, a branch point
    # (the symmetric pitchfork where the centre loses stability). No certificate there.
    world = coordination3("softmax", 3.0 / 0.7)
    centre = np.full(3, 1.0 / 3.0)
    certificate = certify(world, [centre])
    assert not certificate.complete
    assert len(certificate.degenerate) == 1
    np.testing.assert_allclose(certificate.degenerate[0], centre)


@pytest.mark.parametrize("name", ["bank-run", "notebook-log", "self-defeating-softmax"])
def test_binary_presets_are_certified(name: str) -> None:
    # Two outcomes: the index is sign(1 − f′(x)); bank-run: +1 at both attractors (f′ ≈ 0.04), −1 in the
    # middle (f′ = 2.88): sum 1.
    world = PRESETS[name].scenario.world
    certificate = certify(world, [fp.p for fp in find_fixed_points(world)])
    assert certificate.index_sum == 1 and certificate.complete


def test_linear_world_index_is_plus_one() -> None:
    # f′ = α < 1: 1 − α > 0.
    world = LinearWorld(0.5, -0.8)
    assert list(fixed_point_indices(world, [fp.p for fp in find_fixed_points(world)])) == [1]


def test_matrix_world_has_its_one_fixed_point_certified() -> None:
    # f affine with Df_T = α A_T, ‖α A‖ < 1 in the 1-norm: one fixed point, I − Df_T invertible with
    # positive determinant (all eigenvalues of αA_T have modulus < 1).
    world = MatrixWorld(((0.6, 0.3, 0.2), (0.3, 0.4, 0.1), (0.1, 0.3, 0.7)), (0.2, 0.3, 0.5), 0.9)
    points = find_fixed_points(world)
    assert len(points) == 1
    assert certify(world, [fp.p for fp in points]).complete


def test_step_worlds_are_certified_by_enumeration() -> None:
    # The index theorem needs a smooth f; step worlds are solved by exhaustive support enumeration instead.
    world = PolicyWorld(Q=((0.9, 0.1), (0.3, 0.7)), U=((0.0, 1.0), (0.5, 0.5)))
    certificate = certify(world, [fp.p for fp in find_fixed_points(world)])
    assert certificate.method == "support enumeration"
    assert certificate.index_sum is None and not certificate.applies and certificate.complete


def test_a_batch_of_worlds_gets_each_world_s_own_certificate() -> None:
    # The cases above, certified together: the coordination game whole (sum 1), without a saddle (sum 2), at its
    # pitchfork (degenerate centre), a step world (enumeration) and a world with no point given (sum 0).
    world = coordination3("softmax", 8.0)
    points = [fp.p for fp in find_fixed_points(world)]
    saddle = next(i for i, fp in enumerate(find_fixed_points(world)) if fp.stability == "saddle")
    step = PolicyWorld(actions=("a", "b", "c"), Q=((0.9, 0.1, 0.0), (0.3, 0.6, 0.1), (0.2, 0.2, 0.6)),
                       U=((0, 1, 0), (1, 0, 0), (0, 0, 1)))
    cases = [(world, points), (world, points[:saddle] + points[saddle + 1:]),
             (coordination3("softmax", 3.0 / 0.7), [np.full(3, 1.0 / 3.0)]), (step, []), (world, [])]
    batch = certify_batch([w for w, _ in cases], [p for _, p in cases])
    assert [(c.method, c.index_sum, c.complete, len(c.degenerate)) for c in batch] == [
        ("index theorem", 1, True, 0), ("index theorem", 2, False, 0), ("index theorem", 0, False, 1),
        ("support enumeration", None, True, 0), ("index theorem", 0, False, 0)]
    for (w, p), c in zip(cases, batch):  # each alone gives the same
        alone = certify(w, p)
        assert (alone.method, alone.index_sum, alone.complete) == (c.method, c.index_sum, c.complete)
        np.testing.assert_array_equal(np.reshape(alone.degenerate, (-1, 3)), np.reshape(c.degenerate, (-1, 3)))


@pytest.mark.parametrize(("beta", "index"), [(9.9, 1), (10.0, 0), (10.1, 1)])
def test_degenerate_means_singular_not_a_small_determinant(beta: float, index: int) -> None:
    # Five equal candidates (Q = 0.1·J + 0.5·I, U = I): at the centre Df_T = β·0.5/5·I = (β/10)·I, so
    # det(I − Df_T) = (1 − β/10)⁴: 1e-8 at β = 9.9 and 10.1, where I − Df_T is 0.01·I, 0.01 from singular in every
    # direction and its sign (+1, four equal factors) beyond doubt; at β = 10 it is 0, degenerate.
    from tests.core.solve.test_fixed_points import equal_candidates

    world = equal_candidates(5, 0.1, 0.5, beta)
    centre = np.full(5, 0.2)
    np.testing.assert_allclose(world(centre), centre, atol=1e-15)
    assert list(fixed_point_indices(world, [centre])) == [index]


@pytest.mark.parametrize("n", [2, 3, 5])
def test_indices_equal_a_full_svd_at_every_point(n: int) -> None:
    # The determinant bound lets most points skip the SVD; the answer must be what the SVD of every point
    # gives. Points all over the simplex and next to the centre, for β around the centre's branch point
    # β = 2n (Df_T = (β/2n)·I there), where the bound does not clear and the SVD decides.
    from core.model.simplex import tangent_jacobian
    from core.solve.certificate import DEGENERATE_TOL
    from tests.core.solve.test_fixed_points import equal_candidates

    rng = np.random.default_rng(n)
    centre = np.full(n, 1.0 / n)
    for beta in (2.0 * n - 1e-3, 2.0 * n, 2.0 * n + 1e-9, 2.0 * n + 1.0, 3.0):
        world = equal_candidates(n, 0.5 / n, 0.5, beta)
        points = np.vstack([rng.dirichlet(np.ones(n), 200), centre + 1e-6 * (np.eye(n) - 1.0 / n), centre])
        m = np.eye(n - 1) - tangent_jacobian(world.jacobian(points))
        sigma = np.linalg.svd(m, compute_uv=False)[:, -1]
        expected = np.where(sigma <= DEGENERATE_TOL, 0, np.sign(np.linalg.det(m))).astype(int)
        np.testing.assert_array_equal(fixed_point_indices(world, points), expected)
        gap = 1.0 - beta / (2.0 * n)  # at the centre I − Df_T = gap·I: σ_min = |gap|, det = gap^(n−1)
        assert expected[-1] == (0 if abs(gap) <= DEGENERATE_TOL else np.sign(gap ** (n - 1)))
