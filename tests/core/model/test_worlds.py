"""Tests of core.model.worlds: f maps the simplex into itself, Jacobians, policies, breakpoints, validation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model.simplex import tangent_basis
from core.model.worlds import WORLD_KINDS, LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld

from tests.core.scenario_strategies import (
    interior_points,
    linear_worlds,
    logistic_worlds,
    matrix_worlds,
    policy_worlds,
    ramp_worlds,
    worlds,
)

BINARY_Q = ((0.9, 0.1), (0.1, 0.9))


def _points(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """Random points of the simplex, a third of them on faces (some coordinates exactly 0)."""
    p = rng.dirichlet(np.ones(n), size=size)
    faces = p[: size // 3]
    faces[rng.random(faces.shape) < 0.4] = 0.0
    faces[faces.sum(axis=1) == 0, 0] = 1.0
    p[: size // 3] = faces / faces.sum(axis=1, keepdims=True)
    return np.concatenate([p, np.eye(n)])


# --- f maps the simplex into itself ---------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(worlds(), st.integers(0, 2**32 - 1))
def test_every_world_maps_the_simplex_into_itself(world, seed: int) -> None:
    p = _points(np.random.default_rng(seed), world.n, 60)
    q = world(p)
    assert q.shape == p.shape
    assert np.all(np.isfinite(q))
    assert q.min() >= -1e-12
    np.testing.assert_allclose(q.sum(axis=-1), 1.0, atol=1e-12)
    # One point at a time gives the same as the batch.
    np.testing.assert_allclose(world(p[0]), q[0], atol=1e-15)


def test_world_kinds_registry() -> None:
    assert set(WORLD_KINDS) == {"policy", "linear", "ramp", "logistic", "matrix"}
    for kind, cls in WORLD_KINDS.items():
        assert cls.KIND == kind


# --- Jacobians against finite differences along the tangent space ----------------------------------


def _check_tangent_jacobian(world, p: np.ndarray, h: float = 1e-6, tol: float = 1e-6) -> None:
    basis = tangent_basis(world.n)
    jac = world.jacobian(p)
    assert jac.shape == (world.n, world.n)
    for v in basis.T:
        numeric = (world(p + h * v) - world(p - h * v)) / (2 * h)
        np.testing.assert_allclose(jac @ v, numeric, rtol=tol, atol=tol)


@settings(max_examples=60, deadline=None)
@given(policy_worlds(u_max=2.0, beta_max=10.0, policies=("softmax",)), st.integers(0, 2**32 - 1))
def test_softmax_policy_jacobian(world: PolicyWorld, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for p in interior_points(rng, world.n, 5):
        _check_tangent_jacobian(world, p)


@settings(max_examples=60, deadline=None)
@given(policy_worlds(policies=("threshold",), min_ramp=1e-3), st.integers(0, 2**32 - 1))
def test_ramp_threshold_policy_jacobian_away_from_the_kinks(world: PolicyWorld, seed: int) -> None:
    rng = np.random.default_rng(seed)
    half = world.ramp_width / 2
    kinks = np.array([world.threshold - half, world.threshold + half])
    checked = 0
    for p in interior_points(rng, world.n, 10):
        if np.abs(p[world.threshold_outcome] - kinks).min() < 1e-4:
            continue
        _check_tangent_jacobian(world, p)
        checked += 1
    assert checked > 0


def test_ramp_threshold_policy_jacobian_inside_the_ramp() -> None:
    # The random test above mostly lands outside narrow ramps; here every point is inside.
    rng = np.random.default_rng(5)
    for k in (0, 1, 2):
        world = PolicyWorld(Q=((0.7, 0.2, 0.1), (0.1, 0.3, 0.6)), U=((0, 0, 0), (0, 0, 0)), policy="threshold",
                            threshold=0.4, threshold_outcome=k, ramp_width=0.3, epsilon=0.1)
        for p in interior_points(rng, 3, 40):
            if abs(p[k] - 0.4) < 0.14:
                assert np.abs(world.jacobian(p)).max() > 0
                _check_tangent_jacobian(world, p)


@pytest.mark.parametrize(
    "strategy",
    [linear_worlds(), ramp_worlds(), logistic_worlds(steepness_max=30.0), matrix_worlds()],
    ids=["linear", "ramp", "logistic", "matrix"],
)
def test_world_function_jacobians(strategy) -> None:
    @settings(max_examples=50, deadline=None)
    @given(strategy, st.integers(0, 2**32 - 1))
    def check(world, seed: int) -> None:
        rng = np.random.default_rng(seed)
        kinks = np.array(world.breakpoints() or [np.inf])
        for p in interior_points(rng, world.n, 5):
            if world.n == 2 and np.abs(p[0] - kinks).min() < 1e-4:
                continue
            _check_tangent_jacobian(world, p)

    check()


def test_step_worlds_have_zero_jacobian() -> None:
    world = PolicyWorld(Q=BINARY_Q)
    assert world.is_step
    np.testing.assert_array_equal(world.jacobian(np.array([[0.3, 0.7], [0.8, 0.2]])), 0.0)
    assert PolicyWorld(Q=BINARY_Q, policy="threshold").is_step
    assert not PolicyWorld(Q=BINARY_Q, policy="threshold", ramp_width=0.1).is_step
    assert not PolicyWorld(Q=BINARY_Q, policy="softmax").is_step


# --- policies, by hand ------------------------------------------------------------------------------


def test_best_response_picks_the_best_action() -> None:
    world = PolicyWorld(Q=BINARY_Q, U=((1.0, 0.0), (0.0, 1.0)))
    # p = (0.8, 0.2): preferences 0.8 and 0.2, so action 1 and f = Q[0].
    np.testing.assert_array_equal(world.action_probs(np.array([0.8, 0.2])), [1.0, 0.0])
    np.testing.assert_allclose(world(np.array([0.8, 0.2])), [0.9, 0.1])
    np.testing.assert_allclose(world(np.array([0.2, 0.8])), [0.1, 0.9])


def test_best_response_splits_exact_ties_evenly() -> None:
    # Two outcomes, p = (1/2, 1/2): both preferences are 1/2; f = (Q[0] + Q[1])/2 = (0.5, 0.5).
    world = PolicyWorld(Q=BINARY_Q, U=((1.0, 0.0), (0.0, 1.0)))
    np.testing.assert_array_equal(world.action_probs(np.array([0.5, 0.5])), [0.5, 0.5])
    np.testing.assert_allclose(world(np.array([0.5, 0.5])), [0.5, 0.5])
    # Three actions, p = (0.4, 0.4, 0.2): actions 1 and 2 tie at 0.4 above 0.2.
    q3 = ((0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8))
    world3 = PolicyWorld(actions=("a", "b", "c"), Q=q3, U=np.eye(3).tolist())
    np.testing.assert_array_equal(world3.action_probs(np.array([0.4, 0.4, 0.2])), [0.5, 0.5, 0.0])
    np.testing.assert_allclose(world3(np.array([0.4, 0.4, 0.2])), [0.45, 0.45, 0.1])
    # All three tie at the centre: a third each.
    np.testing.assert_allclose(world3.action_probs(np.full(3, 1 / 3)), [1 / 3] * 3)
    # Identical utility rows tie everywhere.
    same = PolicyWorld(Q=BINARY_Q, U=((0.3, 0.7), (0.3, 0.7)))
    np.testing.assert_array_equal(same.action_probs(np.array([[0.9, 0.1], [0.2, 0.8]])), [[0.5, 0.5]] * 2)


def test_epsilon_exploration() -> None:
    # Best response at p = (0.8, 0.2) is action 1; with ε = 0.2: π = (0.8 + 0.1, 0.1) = (0.9, 0.1),
    # f = 0.9·(0.9, 0.1) + 0.1·(0.1, 0.9) = (0.82, 0.18).
    world = PolicyWorld(Q=BINARY_Q, epsilon=0.2)
    p = np.array([0.8, 0.2])
    np.testing.assert_allclose(world.action_probs(p), [0.9, 0.1])
    np.testing.assert_allclose(world(p), [0.82, 0.18])
    # The effective outcome rows: (1 − ε)Q[a] + ε·mean(Q) = 0.8·(0.9, 0.1) + 0.2·(0.5, 0.5) = (0.82, 0.18).
    np.testing.assert_allclose(world.effective_outcomes(), [[0.82, 0.18], [0.18, 0.82]])
    # ε = 1: uniform whatever the prediction.
    uniform = PolicyWorld(Q=BINARY_Q, epsilon=1.0, policy="softmax", beta=50.0)
    np.testing.assert_allclose(uniform.action_probs(np.array([[1.0, 0.0], [0.0, 1.0]])), 0.5)


@settings(max_examples=50, deadline=None)
@given(policy_worlds(), st.integers(0, 2**32 - 1))
def test_epsilon_formula_for_any_policy(world: PolicyWorld, seed: int) -> None:
    p = _points(np.random.default_rng(seed), world.n, 10)
    expected = (1 - world.epsilon) * world.base_policy(p) + world.epsilon / world.m
    np.testing.assert_allclose(world.action_probs(p), expected, atol=1e-15)
    np.testing.assert_allclose(world.action_probs(p).sum(axis=-1), 1.0, atol=1e-12)
    np.testing.assert_allclose(world(p), world.action_probs(p) @ np.array(world.Q), atol=1e-15)


def test_softmax_hand_values() -> None:
    # β = ln 3, p = (1, 0): preferences (1, 0), π ∝ (3, 1) = (3/4, 1/4); f = 0.75·Q[0] + 0.25·Q[1] = (0.7, 0.3).
    world = PolicyWorld(Q=BINARY_Q, policy="softmax", beta=float(np.log(3.0)))
    np.testing.assert_allclose(world.action_probs(np.array([1.0, 0.0])), [0.75, 0.25])
    np.testing.assert_allclose(world(np.array([1.0, 0.0])), [0.7, 0.3])
    # β = 0: uniform.
    flat = PolicyWorld(Q=BINARY_Q, policy="softmax", beta=0.0)
    np.testing.assert_allclose(flat.action_probs(np.array([0.9, 0.1])), [0.5, 0.5])
    # Large β and large utilities: no overflow, and the best action gets everything.
    sharp = PolicyWorld(Q=BINARY_Q, U=((1000.0, 0.0), (0.0, 1000.0)), policy="softmax", beta=50.0)
    np.testing.assert_allclose(sharp.action_probs(np.array([0.6, 0.4])), [1.0, 0.0])


def test_threshold_policy() -> None:
    world = PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.5, threshold_outcome=0)
    # The second action when p[0] > 0.5.
    np.testing.assert_array_equal(world.action_probs(np.array([[0.6, 0.4], [0.4, 0.6]])), [[0, 1], [1, 0]])
    on_outcome_2 = PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.3, threshold_outcome=1)
    # p[1] = 0.6 > 0.3: second action; p[1] = 0.2 < 0.3: first.
    np.testing.assert_array_equal(on_outcome_2.action_probs(np.array([[0.4, 0.6], [0.8, 0.2]])), [[0, 1], [1, 0]])
    # The threshold ignores U entirely.
    other_u = PolicyWorld(Q=BINARY_Q, U=((5.0, 5.0), (-9.0, 2.0)), policy="threshold", threshold=0.5)
    np.testing.assert_array_equal(other_u.action_probs(np.array([0.6, 0.4])), [0, 1])


def test_threshold_ramp_width() -> None:
    # w = 0.2 around t = 0.5: probability of the second action (p_k − t)/w + 1/2, clipped to [0, 1].
    world = PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.5, ramp_width=0.2)
    xs = np.array([0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7])
    second = world.action_probs(np.stack([xs, 1 - xs], axis=-1))[:, 1]
    np.testing.assert_allclose(second, [0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0], atol=1e-12)
    # Slope 1/w inside the ramp: ∂f_0/∂p_0 = (Q[1, 0] − Q[0, 0])/w = −0.8/0.2 = −4.
    assert world.jacobian(np.array([0.45, 0.55]))[0, 0] == pytest.approx(-4.0)
    assert world.jacobian(np.array([0.65, 0.35]))[0, 0] == 0.0


def test_threshold_needs_two_actions() -> None:
    with pytest.raises(ValueError, match="threshold policy needs exactly two actions, got 3"):
        PolicyWorld(actions=("a", "b", "c"), Q=((1, 0), (0, 1), (0.5, 0.5)), U=((0, 0),) * 3, policy="threshold")
    with pytest.raises(ValueError, match="threshold_outcome must index an outcome"):
        PolicyWorld(Q=BINARY_Q, policy="threshold", threshold_outcome=2)


def test_expected_utility() -> None:
    # Per action Σ_ω Q[a, ω] U[a, ω]: 0.9·2 + 0.1·0 = 1.8 and 0.1·0 + 0.9·1 = 0.9.
    world = PolicyWorld(Q=BINARY_Q, U=((2.0, 0.0), (0.0, 1.0)))
    # At p = (1/2, 1/2) the preferences are 1 and 1/2: action 1, utility 1.8.
    assert world.expected_utility(np.array([0.5, 0.5])) == pytest.approx(1.8)
    # At p = (0.1, 0.9): 0.2 against 0.9, action 2, utility 0.9.
    assert world.expected_utility(np.array([0.1, 0.9])) == pytest.approx(0.9)
    # Given weights (a mixed fixed point): 0.25·1.8 + 0.75·0.9 = 1.125.
    assert world.expected_utility(np.array([0.5, 0.5]), np.array([0.25, 0.75])) == pytest.approx(1.125)
    # With ε = 0.5 at p = (1/2, 1/2): π = (0.75, 0.25), 0.75·1.8 + 0.25·0.9 = 1.575.
    explore = PolicyWorld(Q=BINARY_Q, U=((2.0, 0.0), (0.0, 1.0)), epsilon=0.5)
    assert explore.expected_utility(np.array([0.5, 0.5])) == pytest.approx(1.575)


# --- breakpoints -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("world", "points"),
    [
        # x against 1 − x: tie at 1/2.
        (PolicyWorld(Q=BINARY_Q, U=((1.0, 0.0), (0.0, 1.0))), [0.5]),
        # 2x against 1 − x: tie at 1/3.
        (PolicyWorld(Q=BINARY_Q, U=((2.0, 0.0), (0.0, 1.0))), [1 / 3]),
        # The jam commuters: drive 1 − x, train 1/2: tie at 1/2.
        (PolicyWorld(Q=BINARY_Q, U=((0.0, 1.0), (0.5, 0.5))), [0.5]),
        # One action always better: no tie inside (0, 1).
        (PolicyWorld(Q=BINARY_Q, U=((1.0, 1.0), (0.0, 0.0))), []),
        # Parallel lines never cross.
        (PolicyWorld(Q=BINARY_Q, U=((1.0, 0.0), (1.5, 0.5))), []),
        # Hard thresholds: at t on outcome 1, at 1 − t on outcome 2.
        (PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.3), [0.3]),
        (PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.3, threshold_outcome=1), [0.7]),
        # Ramps: the two ends t ± w/2 (mirrored for the second outcome), inside (0, 1) only.
        (PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.5, ramp_width=0.2), [0.4, 0.6]),
        (PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.2, ramp_width=0.2, threshold_outcome=1),
         [0.7, 0.9]),
        (PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=0.05, ramp_width=0.2), [0.15]),
        (PolicyWorld(Q=BINARY_Q, policy="softmax"), []),
        (RampWorld(0.3, 0.4, 0.8, 0.1), [0.3, 0.4]),
        (RampWorld(0.0, 0.4, 0.8, 0.1), [0.4]),
        (LinearWorld(0.25, 0.25), []),
        (LogisticWorld(), []),
        (MatrixWorld(), []),
        (PolicyWorld(actions=("a", "b", "c"), Q=((1, 0, 0), (0, 1, 0), (0, 0, 1)), U=np.eye(3).tolist()), []),
    ],
)
def test_breakpoints_hand_values(world, points: list[float]) -> None:
    assert world.breakpoints() == pytest.approx(points, abs=1e-12)


def test_breakpoints_include_every_jump_of_a_best_response_world() -> None:
    # Three actions whose lines x, 1 − x and (0.8x + 0.3) make two switches; find them by a dense scan.
    world = PolicyWorld(actions=("a", "b", "c"), Q=((0.9, 0.1), (0.1, 0.9), (0.5, 0.5)),
                        U=((1.0, 0.0), (0.0, 1.0), (1.1, 0.3)))
    x = np.linspace(0, 1, 200_001)
    f = world(np.stack([x, 1 - x], axis=-1))[:, 0]
    jumps = x[1:][np.abs(np.diff(f)) > 1e-9]
    # Hand: 1 − x = 0.8x + 0.3 at x = 7/18; 0.8x + 0.3 = x at x = 3/2 (outside), so c beats a up to 1.
    assert len(jumps) == 1 and jumps[0] == pytest.approx(7 / 18, abs=1e-5)
    bp = np.array(world.breakpoints())
    assert np.abs(bp - 7 / 18).min() < 1e-12


# --- validation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: PolicyWorld(Q=((0.5, 0.4), (0.1, 0.9))), r"world: Q row 1 \(act 1\) must sum to 1"),
        (lambda: PolicyWorld(Q=((0.5, 0.5), (1.1, -0.1))), r"world: Q row 2 \(act 2\) has a negative probability"),
        (lambda: PolicyWorld(Q=((0.5, float("nan")), (0.5, 0.5))), r"Q row 1 .* not finite"),
        (lambda: PolicyWorld(Q=((0.5, 0.5),)), r"Q must have one row per action \(2 rows\)"),
        (lambda: PolicyWorld(Q=BINARY_Q, U=((1.0, 0.0, 0.0), (0.0, 1.0, 0.0))), r"U must have the shape of Q"),
        (lambda: PolicyWorld(Q=BINARY_Q, U=((1.0, 0.0),)), r"U must have the shape of Q"),
        (lambda: PolicyWorld(Q=BINARY_Q, U=((1.0, float("inf")), (0.0, 1.0))), r"U must hold finite numbers"),
        (lambda: PolicyWorld(Q=BINARY_Q, policy="argmax"), r"unknown policy 'argmax'"),
        (lambda: PolicyWorld(Q=BINARY_Q, epsilon=1.5), r"epsilon must lie in \[0, 1\]"),
        (lambda: PolicyWorld(Q=BINARY_Q, beta=-1.0), r"beta \(rationality\) must lie in \[0, 1000\]"),
        (lambda: PolicyWorld(Q=BINARY_Q, beta=1001.0), r"beta \(rationality\) must lie in \[0, 1000\]"),
        (lambda: PolicyWorld(Q=BINARY_Q, threshold_outcome=2), r"threshold_outcome must index an outcome"),
        (lambda: LogisticWorld(steepness=1e7), r"steepness must be a finite number of size at most 1e\+06"),
        (lambda: PolicyWorld(Q=BINARY_Q, policy="threshold", threshold=1.2), r"threshold must lie in \[0, 1\]"),
        (lambda: PolicyWorld(Q=BINARY_Q, policy="threshold", ramp_width=-0.1), r"ramp_width must lie"),
        (lambda: LinearWorld(0.5, 1.0), r"alpha must be < 1"),
        (lambda: LinearWorld(0.5, 1.5), r"alpha must be < 1"),
        (lambda: LinearWorld(0.5, float("nan")), r"alpha must be a finite number"),
        (lambda: LinearWorld(1.2, 0.5), r"p_star must lie in \[0, 1\]"),
        # f(0) = 0.5·(1 + 2) = 1.5.
        (lambda: LinearWorld(0.5, -2.0), r"f\(0\) = 1.5 is not a probability"),
        # f(0) = 0.9·1.5 = 1.35 > 1 (f(1) = 0.9 − 0.05 is fine).
        (lambda: LinearWorld(0.9, -0.5), r"f\(0\) = 1.35 is not a probability"),
        # f(1) = 0.1 − 0.5·0.9 = −0.35 < 0.
        (lambda: LinearWorld(0.1, -0.5), r"f\(1\) = -0.35 is not a probability"),
        (lambda: RampWorld(0.4, 0.4, 0.8, 0.1), r"the ramp needs a < b"),
        (lambda: RampWorld(0.5, 0.4, 0.8, 0.1), r"the ramp needs a < b"),
        (lambda: RampWorld(0.3, 0.4, 1.8, 0.1), r"low must lie in \[0, 1\]"),
        (lambda: LogisticWorld(high=1.1), r"high must lie in \[0, 1\]"),
        (lambda: LogisticWorld(steepness=float("inf")), r"steepness must be a finite number"),
        # Rows sum to 1 but the columns (0.9, 0.9) and (0.1, 0.1) do not.
        (lambda: MatrixWorld(((0.9, 0.1), (0.9, 0.1)), (0.5, 0.5), 0.5), r"a column of A must sum to 1"),
        (lambda: MatrixWorld(((1.2, 0.0), (-0.2, 1.0)), (0.5, 0.5), 0.5), r"a column of A has a negative"),
        (lambda: MatrixWorld(((1.0, 0.0), (0.0, 1.0)), (0.5, 0.6), 0.5), r"c must sum to 1"),
        (lambda: MatrixWorld(((1.0, 0.0), (0.0, 1.0)), (0.3, 0.3, 0.4), 0.5), r"A must be 3 × 3"),
        (lambda: MatrixWorld(((1.0, 0.0), (0.0, 1.0)), (0.5, 0.5), 1.5), r"alpha must lie in \[0, 1\]"),
    ],
)
def test_invalid_worlds_are_rejected(build, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        build()


def test_worlds_are_frozen_and_hashable() -> None:
    world = PolicyWorld(Q=[[0.9, 0.1], [0.1, 0.9]], U=[[1, 0], [0, 1]])
    assert world.Q == ((0.9, 0.1), (0.1, 0.9))
    assert hash(world) == hash(PolicyWorld(Q=BINARY_Q, U=((1, 0), (0, 1))))
    with pytest.raises(AttributeError):
        world.beta = 2.0  # type: ignore[misc]
    assert hash(MatrixWorld(A=[[1, 0], [0, 1]], c=[0.5, 0.5]))


def test_a_ramp_too_narrow_to_compute_is_rejected():
    # Widths below MIN_RAMP overflow the ramp's slope 1/w; 0 (a hard step) stays allowed.
    with pytest.raises(ValueError, match="ramp_width"):
        PolicyWorld(policy="threshold", ramp_width=1e-300)
    assert PolicyWorld(policy="threshold", ramp_width=0.0).is_step
