"""The study kernel against hand-derived values and an independent optimiser (scipy, one world at a time)."""

from __future__ import annotations

import numpy as np
import pytest

from core.model.rules import ScoringRule
from core.model.worlds import MatrixWorld
from core.studies import StudySpec, evaluate, run_chunk, sample, world_of
from tests.core.reference import dense_optimum, scipy_optimum


@pytest.mark.parametrize("rule, n", [("quadratic", 3), ("quadratic", 5), ("log", 3), ("log", 5)])
def test_optimum_matches_scipy_per_world(rule: str, n: int) -> None:
    spec = StudySpec(outcomes=n, rule=rule)
    params = sample(spec, 11, 0, 12)
    out = evaluate(spec, params)
    rng = np.random.default_rng(0)
    for i in range(12):
        world = world_of(spec, params, i)
        p_ref, v_ref = scipy_optimum(world, spec.scoring_rule, rng)
        # The kernel's value is never beaten, and the maximiser is the same point.
        assert out["score"][i] >= v_ref - 1e-12
        np.testing.assert_allclose(out["p_hat"][i], p_ref, atol=1e-6)
        np.testing.assert_allclose(out["f_hat"][i], world(p_ref), atol=1e-6)
        assert out["inaccuracy"][i] == pytest.approx(np.linalg.norm(p_ref - world(p_ref)), abs=1e-6)
        p_star = out["p_star"][i]
        np.testing.assert_allclose(world(p_star), p_star, atol=1e-12)
        assert out["converged"][i]


def test_non_concave_brier_worlds_take_the_global_maximum() -> None:
    # With low concentration A is nearly a 0/1 matrix and H = αA + αAᵀ − I is often indefinite on the
    # tangent space: the maximum then sits on a face, which the KKT enumeration must find.
    spec = StudySpec(outcomes=4, concentration=0.1, alpha=1.0)
    params = sample(spec, 2, 0, 12)
    out = evaluate(spec, params)
    h = params["A"] + params["A"].swapaxes(1, 2) - np.eye(4)
    tangent = np.linalg.qr((np.eye(4) - 0.25)[:, :3])[0]
    assert (np.linalg.eigvalsh(tangent.T @ h @ tangent)[:, -1] > 0).sum() >= 3
    rng = np.random.default_rng(1)
    for i in range(12):
        p_ref, v_ref = scipy_optimum(world_of(spec, params, i), spec.scoring_rule, rng)
        assert out["score"][i] >= v_ref - 1e-12


def test_concave_brier_worlds_with_the_maximum_on_a_face() -> None:
    # Concave worlds stop at the first face with a KKT point: where that face is not the whole simplex, the
    # answer must still be scipy's (the worlds chosen from a sample by the kernel's own p̂ having a zero).
    spec = StudySpec(outcomes=5)
    params = sample(spec, 5, 0, 600)
    out = evaluate(spec, params)
    m = params["alpha"][:, None, None] * params["A"]
    h = m + m.swapaxes(1, 2) - np.eye(5)
    tangent = np.linalg.qr((np.eye(5) - 0.2)[:, :4])[0]
    concave = np.linalg.eigvalsh(tangent.T @ h @ tangent)[:, -1] < 0
    chosen = np.flatnonzero(concave & (out["p_hat"].min(axis=1) == 0))[:8]
    assert len(chosen) == 8
    rng = np.random.default_rng(2)
    for i in chosen:
        p_ref, v_ref = scipy_optimum(world_of(spec, params, i), spec.scoring_rule, rng)
        assert out["score"][i] >= v_ref - 1e-12
        np.testing.assert_allclose(out["p_hat"][i], p_ref, atol=1e-6)


def test_binary_brier_linear_world_from_theory() -> None:
    # docs/theory.md#performative-optimum: p* = 1/4, α = 1/4 gives p̂ = 0.125 and f(p̂) = 0.21875 (A = I, c = (p*, 1 − p*)).
    spec = StudySpec(outcomes=2)
    params = {"A": np.eye(2)[None], "c": np.array([[0.25, 0.75]]), "alpha": np.array([0.25])}
    out = evaluate(spec, params)
    np.testing.assert_allclose(out["p_hat"][0], [0.125, 0.875], atol=1e-12)
    np.testing.assert_allclose(out["f_hat"][0], [0.21875, 0.78125], atol=1e-12)
    np.testing.assert_allclose(out["p_star"][0], [0.25, 0.75], atol=1e-12)
    # The explorer's distance for two outcomes, the papers' |Δp₁|; the binary bound L sup|g/g′| = α/2 in it.
    assert out["inaccuracy"][0] == pytest.approx(0.09375, abs=1e-12)
    assert out["norm_T"][0] == pytest.approx(0.25, abs=1e-12)
    assert out["bound"][0] == pytest.approx(0.125, abs=1e-12)
    assert out["ratio"][0] == pytest.approx(0.75, abs=1e-12)


def test_the_bound_never_fails_on_ten_thousand_brier_worlds() -> None:
    spec = StudySpec(outcomes=5)
    out = run_chunk(spec, 2024, 0, 10_000)
    assert np.isfinite(out["bound"]).all()
    assert (out["inaccuracy"] <= out["bound"] + 1e-12).all()
    # The bound is not vacuous: some worlds come within a factor 2 of it.
    assert out["ratio"].max() > 0.5


def test_norm_t_is_the_largest_tangent_singular_value() -> None:
    spec = StudySpec(outcomes=4)
    params = sample(spec, 5, 0, 50)
    out = evaluate(spec, params)
    rng = np.random.default_rng(3)
    v = rng.normal(size=(20000, 4))
    v -= v.mean(axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    for i in range(5):
        m = params["alpha"][i] * params["A"][i]
        sampled = np.linalg.norm(v @ m.T, axis=1).max()
        assert sampled <= out["norm_T"][i] + 1e-12
        assert sampled >= out["norm_T"][i] * 0.99


@pytest.mark.parametrize("rule", ["spherical", "quadratic"])
def test_per_world_path_for_policy_worlds_agrees_with_the_dense_reference(rule: str) -> None:
    spec = StudySpec(sampler="policy", outcomes=3, rule=rule)
    params = sample(spec, 8, 0, 3)
    out = evaluate(spec, params)
    for i in range(3):
        world = world_of(spec, params, i)
        ref = dense_optimum(world, ScoringRule(rule))
        assert out["score"][i] == pytest.approx(ref.score, abs=1e-9)
        assert out["fixed_points"][i] >= 1
        np.testing.assert_allclose(world(out["p_star"][i]), out["p_star"][i], atol=1e-8)
    assert np.isnan(out["bound"]).all() and np.isnan(out["norm_T"]).all()


def test_matrix_world_of_a_row_is_the_sampled_map() -> None:
    spec = StudySpec(outcomes=3)
    params = sample(spec, 1, 0, 4)
    p = np.array([0.2, 0.3, 0.5])
    for i in range(4):
        expected = (1 - params["alpha"][i]) * params["c"][i] + params["alpha"][i] * params["A"][i] @ p
        assert isinstance(world_of(spec, params, i), MatrixWorld)
        np.testing.assert_allclose(world_of(spec, params, i)(p), expected, atol=1e-15)


def test_matrix_worlds_under_other_rules_take_the_per_world_path() -> None:
    spec = StudySpec(outcomes=3, rule="spherical")
    params = sample(spec, 6, 0, 4)
    out = evaluate(spec, params)
    rng = np.random.default_rng(2)
    for i in range(4):
        p_ref, v_ref = scipy_optimum(world_of(spec, params, i), spec.scoring_rule, rng)
        assert out["score"][i] >= v_ref - 1e-9
        np.testing.assert_allclose(out["p_hat"][i], p_ref, atol=1e-5)
    # No theorem bounds the spherical rule for three outcomes.
    assert np.isnan(out["bound"]).all() and np.isfinite(out["norm_T"]).all()
