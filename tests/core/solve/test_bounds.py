"""Tests of core.solve.bounds: the theorems' bounds hold, their constants are right, and they are absent
where no theorem applies.

Binary theorem (Treutlein, Hudson & Oesterheld 2022; docs/theory.md#bounds): with |f′| ≤ L and a proper rule,
|p̂ − f(p̂)| ≤ L·sup|g/g′|, and |p̂ − p*| ≤ L/(1 − L)·sup|g/g′| when L < 1. Proof sketch (why the
tests can expect it of the computed optimum): at an interior maximum φ′ = 0 gives f − p̂ = −f′g/g′.

Tolerances: the bounds are checked with a slack of 1e-7, the accuracy of p̂ (see test_optimum); the
constants L and sup|g/g′| are compared to independent values to 1e-6 relative.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from core.solve.bounds import sup_g_ratio, tangent_norm, theorem_bounds
from core.solve.optimum import performative_optimum
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.worlds import LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld

from tests.core.reference import dense_lipschitz, dense_sup_g_ratio, f1, helmert_basis

# Proper rules whose sup|g/g′| is finite (pseudo-spherical with α > 2 has g′ = 0 at the ends: no bound).
BOUNDED_RULES = [
    ScoringRule("log"), ScoringRule("quadratic"), ScoringRule("spherical"), ScoringRule("power", 3.0),
    ScoringRule("power", 1.5), ScoringRule("pseudospherical", 1.5), ScoringRule("pseudospherical", 2.0),
    ScoringRule("exponential", 10.0), ScoringRule("exponential", 2.0),
]
SLACK = 1e-7


@lru_cache(maxsize=None)
def reference_ratio(rule: ScoringRule) -> float:
    return dense_sup_g_ratio(rule)


def unique_fixed_point(world) -> float:
    """The fixed point of a contraction (L < 1), by scipy's brentq: h(0) ≥ 0 ≥ h(1) brackets it."""
    def h(x: float) -> float:
        return float(f1(world, np.array(x)) - x)

    if h(0.0) == 0.0:
        return 0.0
    if h(1.0) == 0.0:
        return 1.0
    return brentq(h, 0.0, 1.0, xtol=1e-15)


def check_binary_theorem(world, rule: ScoringRule, lipschitz: float) -> None:
    bounds = theorem_bounds(world, rule)
    assert bounds is not None
    assert bounds.lipschitz == pytest.approx(lipschitz, rel=1e-6, abs=1e-12)
    assert bounds.sup_g_ratio == pytest.approx(reference_ratio(rule), rel=1e-6)
    assert bounds.inaccuracy == pytest.approx(bounds.lipschitz * bounds.sup_g_ratio, rel=1e-12)
    opt = performative_optimum(world, rule)
    assert abs(opt.p[0] - opt.f[0]) <= bounds.inaccuracy + SLACK
    l_ = bounds.lipschitz  # equal to the independent value (above); decides at L = 1 to the last bit
    if l_ < 1:
        assert bounds.distance_to_fixed_point == pytest.approx(l_ / (1 - l_) * bounds.sup_g_ratio, rel=1e-12)
        assert abs(opt.p[0] - unique_fixed_point(world)) <= bounds.distance_to_fixed_point + SLACK
    else:
        assert bounds.distance_to_fixed_point is None


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(-0.95, 0.95), st.sampled_from(BOUNDED_RULES))
def test_binary_theorem_on_linear_worlds(p_star: float, alpha: float, rule: ScoringRule) -> None:
    try:
        world = LinearWorld(p_star, alpha)
    except ValueError:
        assume(False)
    check_binary_theorem(world, rule, abs(alpha))  # f′ ≡ α


@settings(max_examples=60, deadline=None)
@given(st.floats(0.2, 0.8), st.floats(-14.0, 14.0), st.floats(0.0, 0.3), st.floats(0.7, 1.0),
       st.sampled_from(BOUNDED_RULES))
def test_binary_theorem_on_logistic_worlds(center, steepness, low, high, rule: ScoringRule) -> None:
    # f′ = (high − low)·k·σ(1 − σ) is largest where σ = 1/2, at x = centre ∈ [0, 1]: L = (high − low)|k|/4.
    world = LogisticWorld(center, steepness, low, high)
    check_binary_theorem(world, rule, (high - low) * abs(steepness) / 4)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.0, 0.9), st.floats(1.0, 20.0))
def test_exponential_rule_meets_both_bounds_with_equality(p_star: float, alpha: float, k: float) -> None:
    # g/g′ = 1/K everywhere, so sup|g/g′| = 1/K. At an interior optimum f − p̂ = −f′g/g′ = −α/K: the
    # inaccuracy equals L·sup|g/g′| = α/K. And p̂ − p* = (f − p̂)/(−(1 − α)) = α/(K(1 − α)) = L/(1 − L)·(1/K).
    try:
        world = LinearWorld(p_star, alpha)
    except ValueError:
        assume(False)
    x_hat = p_star + alpha / (k * (1 - alpha))
    assume(1e-6 < x_hat < 1 - 1e-6)
    rule = ScoringRule("exponential", k)
    bounds = theorem_bounds(world, rule)
    opt = performative_optimum(world, rule)
    assert bounds.sup_g_ratio == pytest.approx(1 / k, rel=1e-9)
    assert abs(opt.p[0] - opt.f[0]) == pytest.approx(bounds.inaccuracy, abs=SLACK)
    assert abs(opt.p[0] - p_star) == pytest.approx(bounds.distance_to_fixed_point, abs=SLACK)


def test_notebook_bounds_by_hand() -> None:
    # Quadratic rule: g/g′ = (4x − 2)/4, largest in size at the ends: 1/2. L = α = 1/4: inaccuracy bound 1/8
    # (docs/theory.md#worked-example: L/2 = 0.125) and distance bound (1/4)/(3/4)·1/2 = 1/6.
    bounds = theorem_bounds(LinearWorld(0.25, 0.25), ScoringRule("quadratic"))
    assert bounds.inaccuracy == pytest.approx(0.125, rel=1e-9)
    assert bounds.distance_to_fixed_point == pytest.approx(1 / 6, rel=1e-9)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (ScoringRule("quadratic"), 0.5),  # (4x − 2)/4 → 1/2 at the ends
        (ScoringRule("spherical"), 1.0),  # docs/theory.md#bounds: 1 for spherical
        (ScoringRule("exponential", 10.0), 0.1),  # 1/K
        (ScoringRule("exponential", 0.5), 2.0),
        (ScoringRule("log"), 0.224),  # docs/theory.md#bounds: "about 0.224" (sup of x(1 − x)ln(x/(1 − x)))
    ],
    ids=lambda v: getattr(v, "label", str(v)),
)
def test_sup_g_ratio_values_from_theory(rule: ScoringRule, expected: float) -> None:
    bounds = theorem_bounds(LinearWorld(0.5, 0.5), rule)
    assert bounds.sup_g_ratio == pytest.approx(expected, abs=5e-4 if rule.kind == "log" else 1e-9)


def test_slope_is_taken_along_the_simplex_for_policy_worlds() -> None:
    # Self-defeating commuters, softmax β = 10: f(x) = 0.1 + 0.8σ(β(1/2 − x)), |f′| is largest where
    # σ(1 − σ) = 1/4, at x = 1/2: L = 0.8·10/4 = 2. (The world's preferences read both p₁ and p₂, so the
    # derivative of f along the simplex is ∂f₁/∂p₁ − ∂f₁/∂p₂, not ∂f₁/∂p₁ alone.)
    world = PRESETS["self-defeating-softmax"].scenario.world
    bounds = theorem_bounds(world, ScoringRule("quadratic"))
    assert bounds.lipschitz == pytest.approx(2.0, rel=1e-9)
    assert bounds.distance_to_fixed_point is None  # L ≥ 1


def test_the_same_function_gets_the_same_bound() -> None:
    # A ramp from 0.95 down to 0.3 over x ∈ [0.4, 0.6], written two ways: "action 2 when P(first) > 1/2"
    # with rows (0.95, 0.3), and "action 2 when P(second) > 1/2" with the rows swapped. Slope 0.65/0.2 = 3.25.
    one = PolicyWorld(Q=((0.95, 0.05), (0.3, 0.7)), policy="threshold", threshold=0.5, threshold_outcome=0,
                      ramp_width=0.2)
    two = PolicyWorld(Q=((0.3, 0.7), (0.95, 0.05)), policy="threshold", threshold=0.5, threshold_outcome=1,
                      ramp_width=0.2)
    x = np.linspace(0, 1, 1001)
    np.testing.assert_allclose(f1(one, x), f1(two, x), atol=1e-12)
    rule = ScoringRule("quadratic")
    for world in (one, two):
        bounds = theorem_bounds(world, rule)
        assert bounds.lipschitz == pytest.approx(3.25, rel=1e-9)
        opt = performative_optimum(world, rule)
        # Here the optimum is off the fixed point (inaccuracy about 0.054 > 0): the bound must allow it.
        assert 0.01 < abs(opt.p[0] - opt.f[0]) <= bounds.inaccuracy


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 12.0), st.sampled_from(BOUNDED_RULES))
def test_binary_theorem_on_random_softmax_worlds(seed: int, beta: float, rule: ScoringRule) -> None:
    rng = np.random.default_rng(seed)
    q = rng.dirichlet(np.ones(2), size=3)
    u = rng.normal(size=(3, 2))
    world = PolicyWorld(actions=("a", "b", "c"), Q=tuple(map(tuple, q)), U=tuple(map(tuple, u)),
                        policy="softmax", beta=beta)
    bounds = theorem_bounds(world, rule)
    # Central differences with h = 1e-7 carry rounding noise of about ε/h ≈ 2e-9: absolute slack 1e-8.
    assert bounds.lipschitz == pytest.approx(dense_lipschitz(world), rel=1e-5, abs=1e-8)
    opt = performative_optimum(world, rule)
    assert abs(opt.p[0] - opt.f[0]) <= bounds.inaccuracy + SLACK


def test_constant_world_with_unbounded_ratio_has_zero_bound() -> None:
    # Pseudo-spherical α = 3 has sup|g/g′| = ∞ (g′ → 0 at the ends), but with L = 0 f is constant: the
    # proper rule's best report is f itself, so both bounds are 0 — not 0·∞ = nan.
    world = LinearWorld(0.3, 0.0)
    rule = ScoringRule("pseudospherical", 3.0)
    bounds = theorem_bounds(world, rule)
    assert bounds.sup_g_ratio == float("inf")
    assert bounds.inaccuracy == 0.0
    assert bounds.distance_to_fixed_point == 0.0
    opt = performative_optimum(world, rule)
    assert abs(opt.p[0] - 0.3) < 1e-6


def test_unbounded_ratio_gives_an_infinite_bound() -> None:
    bounds = theorem_bounds(LinearWorld(0.3, 0.2), ScoringRule("pseudospherical", 3.0))
    assert bounds.inaccuracy == float("inf")
    assert bounds.distance_to_fixed_point == float("inf")


@pytest.mark.parametrize(
    ("world", "rule"),
    [
        (LinearWorld(0.25, 0.25), ScoringRule("linear")),  # improper: no theorem
        (PRESETS["self-defeating"].scenario.world, ScoringRule("quadratic")),  # step world: f′ unbounded
        (PRESETS["decision-example"].scenario.world, ScoringRule("log")),  # step world
        (PRESETS["coordination"].scenario.world, ScoringRule("log")),  # three outcomes, policy world
        (PRESETS["route-choice"].scenario.world, ScoringRule("quadratic")),  # policy world, even with Brier
        (PRESETS["five-candidates"].scenario.world, ScoringRule("quadratic")),
        (PRESETS["linear-three"].scenario.world, ScoringRule("log")),  # matrix world, but not Brier
        (PRESETS["linear-three"].scenario.world, ScoringRule("spherical")),
    ],
    ids=["improper", "step", "step-identical", "coordination", "route-choice", "five", "matrix-log",
         "matrix-spherical"],
)
def test_no_bound_where_no_theorem_applies(world, rule: ScoringRule) -> None:
    assert theorem_bounds(world, rule) is None


# --- more outcomes: Brier and linear worlds ------------------------------------------------------------


def exact_tangent_norm(m: np.ndarray) -> float:
    """max ‖Mv‖ over unit tangent v: the square root of the top eigenvalue of BᵀMᵀMB, B a Helmert basis."""
    b = helmert_basis(m.shape[0])
    return float(np.sqrt(np.linalg.eigvalsh(b.T @ m.T @ m @ b).max()))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([3, 4]), st.floats(0.0, 1.0))
def test_brier_bound_on_random_matrix_worlds(seed: int, n: int, alpha: float) -> None:
    # Oesterheld et al. 2023 (docs/theory.md#many-outcomes): ‖p̂ − f(p̂)‖ ≤ ‖αA‖_T √((n − 1)/n) for f(p) = (1 − α)c + αAp.
    rng = np.random.default_rng(seed)
    a = rng.dirichlet(np.ones(n), size=n).T
    world = MatrixWorld(tuple(map(tuple, a)), tuple(rng.dirichlet(np.ones(n))), alpha)
    bounds = theorem_bounds(world, ScoringRule("quadratic"))
    assert bounds is not None and bounds.distance_to_fixed_point is None
    assert bounds.inaccuracy == pytest.approx(exact_tangent_norm(alpha * a) * np.sqrt((n - 1) / n), rel=1e-9)
    opt = performative_optimum(world, ScoringRule("quadratic"))
    assert np.linalg.norm(opt.p - opt.f) <= bounds.inaccuracy + SLACK


def test_linear_three_preset_within_its_bound() -> None:
    preset = PRESETS["linear-three"].scenario
    bounds = theorem_bounds(preset.world, preset.rule)
    opt = performative_optimum(preset.world, preset.rule)
    assert 0 < np.linalg.norm(opt.p - opt.f) <= bounds.inaccuracy


def _unit_tangent_sample(n: int, rng: np.random.Generator) -> np.ndarray:
    if n == 3:
        # A dense circle in the plane of a Helmert basis: 100,000 angles, spacing 6.3e-5 rad.
        t = np.linspace(0, 2 * np.pi, 100_000, endpoint=False)
        return np.stack([np.cos(t), np.sin(t)], axis=-1) @ helmert_basis(3).T
    v = rng.normal(size=(400_000, n))
    v -= v.mean(axis=1, keepdims=True)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("n", [3, 4])
@pytest.mark.parametrize("kind", ["general", "column-stochastic"])
def test_tangent_norm_is_the_max_over_unit_tangent_vectors(n: int, kind: str) -> None:
    rng = np.random.default_rng(n * 10 + len(kind))
    m = rng.normal(size=(n, n)) if kind == "general" else rng.dirichlet(np.ones(n), size=n).T
    v = _unit_tangent_sample(n, rng)
    sampled = np.linalg.norm(v @ m.T, axis=1).max()
    norm = tangent_norm(m)
    assert sampled <= norm * (1 + 1e-12)
    # The sample comes within (angular gap)²/2 of the maximum: 2e-9 on the circle, about 1e-4 on the sphere
    # for 400,000 random points (the gap's typical size is √(4π/400,000) ≈ 5.6e-3 rad), with margin.
    assert sampled >= norm * (1 - (1e-7 if n == 3 else 2e-3))


@pytest.mark.parametrize(
    ("m", "expected"),
    [
        (np.eye(3), 1.0),  # the identity keeps every tangent vector
        (np.ones((3, 3)), 0.0),  # J v = (Σv)·1 = 0 on the tangent space
        (np.roll(np.eye(4), 1, axis=0), 1.0),  # a permutation is orthogonal and keeps Σv = 0
        (0.3 * np.eye(4), 0.3),
        (np.eye(3) - np.ones((3, 3)) / 3, 1.0),  # the projector onto the tangent space
        (np.diag([1.0, 2.0, 3.0]), np.sqrt(7.0)),  # max over v ⊥ 1 of v₁² + 4v₂² + 9v₃²: see below
    ],
    ids=["identity", "ones", "permutation", "scaled", "projector", "diagonal"],
)
def test_tangent_norm_hand_values(m: np.ndarray, expected: float) -> None:
    # diag(1, 2, 3): maximise Σd_i²v_i² subject to Σv_i = 0 and Σv_i² = 1. Lagrange: d_i²v_i = λv_i + μ;
    # multiplying by v_i and summing shows the objective equals λ at a stationary point. μ ≠ 0 (no e_i is
    # tangent), so v_i = μ/(d_i² − λ) and Σv_i = 0 gives 1/(1 − λ) + 1/(4 − λ) + 1/(9 − λ) = 0, i.e.
    # 3λ² − 28λ + 49 = 0, λ = (28 ± 14)/6 ∈ {7, 7/3}. The maximum of ‖Mv‖² is 7: ‖M‖_T = √7.
    assert tangent_norm(m) == pytest.approx(expected, abs=1e-12)


# --- sup |g/g′|, the constant of the binary bounds -------------------------------------------------


def _log_sup_g_ratio() -> float:
    # |g/g′| = x(1−x) ln((1−x)/x) on (0, 1/2) (symmetric about 1/2). Its derivative is
    # (1 − 2x) ln((1−x)/x) − 1: +∞ near 0, −1 at 1/2, so one root, the maximiser.
    x_star = brentq(lambda x: (1 - 2 * x) * math.log((1 - x) / x) - 1, 1e-9, 0.5, xtol=1e-15)
    return x_star * (1 - x_star) * math.log((1 - x_star) / x_star)


def test_sup_g_ratio_log_value_from_its_first_order_condition() -> None:
    value = _log_sup_g_ratio()
    assert round(value, 3) == 0.224  # docs/theory.md#bounds: "about 0.224" (0.22387…)
    assert sup_g_ratio(ScoringRule("log")) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        (ScoringRule("quadratic"), 0.5),  # |x − 1/2|, largest at the ends
        (ScoringRule("spherical"), 1.0),  # |(2x−1) N²|, 1 at the ends
        (ScoringRule("pseudospherical", 2.0), 1.0),  # the spherical rule
        (ScoringRule("power", 2.0), 0.5),  # the quadratic rule
        # power α = 3: g = 3(x² − (1−x)²) = 3(2x − 1), g′ = 6(x + 1 − x) = 6, so |x − 1/2|.
        (ScoringRule("power", 3.0), 0.5),
        (ScoringRule("exponential", 0.5), 2.0),  # 1/K
        (ScoringRule("exponential", 2.0), 0.5),
        (ScoringRule("exponential", 10.0), 0.1),
        (ScoringRule("exponential", 25.0), 0.04),
    ],
    ids=lambda v: v.label if isinstance(v, ScoringRule) else str(v),
)
def test_sup_g_ratio_known_values(rule: ScoringRule, value: float) -> None:
    assert sup_g_ratio(rule) == pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("alpha", [1.5, 2.5, 4.0])
def test_sup_g_ratio_power_against_a_dense_grid_of_the_closed_form(alpha: float) -> None:
    # G = x^α + (1−x)^α: g = α(x^{α−1} − (1−x)^{α−1}), g′ = α(α−1)(x^{α−2} + (1−x)^{α−2}).
    # The ends count: for α > 2 the supremum 1/(α − 1) is reached there (for α < 2, g′ = ∞ and the ratio is 0).
    x = np.linspace(0.0, 1.0, 1_000_001)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.abs((x ** (alpha - 1) - (1 - x) ** (alpha - 1))
                       / ((alpha - 1) * (x ** (alpha - 2) + (1 - x) ** (alpha - 2))))
    ratio = np.nan_to_num(ratio, nan=0.0)
    assert sup_g_ratio(ScoringRule("power", alpha)) == pytest.approx(ratio.max(), rel=1e-6)


def test_sup_g_ratio_of_an_improper_rule_is_none() -> None:
    assert sup_g_ratio(ScoringRule("linear")) is None
