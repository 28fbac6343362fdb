"""Tests of core.solve.optimum and of the optimum of step worlds (core.solve.support_enumeration).

Notation (two outcomes, x = probability of the first): G(x) = S(x, x), g = G′, and
φ(x) = S(x, f(x)) = G(x) + g(x)(f(x) − x), so φ′(x) = g′(x)(f(x) − x) + f′(x)g(x) (docs/theory.md#performative-optimum).

Tolerances:
- p̂ from a closed form: 1e-7. Near a smooth maximum φ(x) ≈ φ* − c(x − x̂)², so a maximiser that
  compares values can place x̂ only to about √(ε|φ*|/c) ≈ 1e-8 for the curvatures here;
- p̂ against the slow reference: 1e-6 (max-norm) to the nearest of the reference's maximisers;
  several maximisers are ties of the score (symmetric worlds), and any of them is a right answer;
- scores against the reference: 1e-9 (1e-7 for step worlds, whose reference evaluates f 1e-9 inside
  the regions around a point, which may add up to |∇S|·1e-9 to a supremum at a jump).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from core.solve.fixed_points import find_fixed_points
from core.solve.optimum import performative_gradient, performative_optimum, performative_score
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.worlds import LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld

from tests.core.reference import binary_points, dense_optimum, f1, is_step

PROPER_BINARY_RULES = [
    ScoringRule("log"), ScoringRule("quadratic"), ScoringRule("spherical"), ScoringRule("power", 3.0),
    ScoringRule("power", 1.5), ScoringRule("pseudospherical", 3.0), ScoringRule("pseudospherical", 1.5),
    ScoringRule("exponential", 10.0), ScoringRule("exponential", 2.0),
]
ALL_RULES = PROPER_BINARY_RULES + [ScoringRule("linear")]


def valid_linear_world(p_star: float, alpha: float) -> LinearWorld:
    try:
        return LinearWorld(p_star, alpha)
    except ValueError:
        assume(False)


# --- quadratic rule on a linear world (docs/theory.md#worked-example) --------------------------------


def test_notebook_example_from_theory() -> None:
    # docs/theory.md#worked-example: p* = 1/4, α = 1/4 gives p̂ = 0.125, f(p̂) = 0.21875, inaccuracy 0.09375 ≤ L/2 = 0.125.
    # Score: G(1/8) + g(1/8)(f − x) = (1/64 + 49/64) + (4/8 − 2)(3/32) = 0.78125 − 0.140625 = 0.640625.
    opt = performative_optimum(LinearWorld(0.25, 0.25), ScoringRule("quadratic"))
    assert opt.p[0] == pytest.approx(0.125, abs=1e-7)
    assert opt.f[0] == pytest.approx(0.21875, abs=1e-7)
    assert abs(opt.p[0] - opt.f[0]) == pytest.approx(0.09375, abs=1e-7)
    assert opt.score == pytest.approx(0.640625, abs=1e-12)
    assert opt.attained


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(-0.95, 0.45))
def test_quadratic_linear_closed_form_below_one_half(p_star: float, alpha: float) -> None:
    # Quadratic rule: G(x) = x² + (1 − x)², g = 4x − 2, g′ = 4. With f(x) = p* + α(x − p*):
    # φ′(x) = 4(f − x) + α(4x − 2) = 4(1 − α)p* − 2α + (8α − 4)x and φ″ = 8α − 4 < 0 for α < 1/2: φ is
    # strictly concave, its only stationary point is x = (2(1 − α)p* − α)/(2 − 4α), and on [0, 1] the
    # maximum is that point clipped to [0, 1] (a concave function increases up to its peak, then falls).
    world = valid_linear_world(p_star, alpha)
    expected = min(max((2 * (1 - alpha) * p_star - alpha) / (2 - 4 * alpha), 0.0), 1.0)
    opt = performative_optimum(world, ScoringRule("quadratic"))
    assert opt.p[0] == pytest.approx(expected, abs=1e-7)
    assert opt.f[0] == pytest.approx(p_star + alpha * (opt.p[0] - p_star), abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(0.55, 0.99))
def test_quadratic_linear_above_one_half_picks_an_endpoint(p_star: float, alpha: float) -> None:
    # φ″ = 8α − 4 > 0: φ is convex, so its maximum on [0, 1] is at an endpoint. φ(0) = G(0) + g(0)f(0) =
    # 1 − 2f(0) and φ(1) = 1 + 2(f(1) − 1) = 2f(1) − 1, so φ(1) − φ(0) = 2(f(0) + f(1) − 1)
    # = 2(2p* + α(1 − 2p*) − 1) = 2(1 − α)(2p* − 1): p̂ = 1 if p* > 1/2 and p̂ = 0 if p* < 1/2.
    assume(abs(p_star - 0.5) > 1e-3)
    world = valid_linear_world(p_star, alpha)
    opt = performative_optimum(world, ScoringRule("quadratic"))
    assert opt.p[0] == (1.0 if p_star > 0.5 else 0.0)


def test_slope_near_one_preset_is_a_tie_of_the_endpoints() -> None:
    # p* = 1/2, α = 0.95: φ(0) = 1 − 2·0.025 = 0.95 and φ(1) = 2·0.975 − 1 = 0.95 (the formula above with
    # p* = 1/2): both endpoints are optimal; either is a right answer.
    opt = performative_optimum(LinearWorld(0.5, 0.95), ScoringRule("quadratic"))
    assert opt.p[0] in (0.0, 1.0)
    assert opt.score == pytest.approx(0.95, abs=1e-12)


def test_half_slope_preset_optimum_at_one() -> None:
    # α = 1/2: φ″ = 0 and φ′ = 4(1 − α)p* − 2α = 2·0.62 − 1 = 0.24 > 0, so p̂ = 1;
    # f(1) = 0.62 + 0.5·0.38 = 0.81
    # and φ(1) = 2f(1) − 1 = 0.62.
    opt = performative_optimum(PRESETS["half-slope"].scenario.world, ScoringRule("quadratic"))
    assert opt.p[0] == 1.0
    assert opt.f[0] == pytest.approx(0.81, abs=1e-12)
    assert opt.score == pytest.approx(0.62, abs=1e-12)


def test_ramp_preset_optimum_at_the_kink() -> None:
    # Quadratic rule, ramp from 0.8 (x ≤ 0.3) to 0.1 (x ≥ 0.4). For x ≥ 0.4, f = 0.1 and S(x, 0.1) falls
    # as x moves away from 0.1, so the best there is x = 0.4: 2(0.1·0.4 + 0.9·0.6) − (0.16 + 0.36) = 0.64.
    # For x ≤ 0.3, f = 0.8: best x = 0.3, 2(0.8·0.3 + 0.2·0.7) − (0.09 + 0.49) = 0.18. Inside the ramp φ is
    # a quartic with φ(x) ≤ 0.64 (checked by the reference test below). So p̂ = 0.4, f(p̂) = 0.1.
    opt = performative_optimum(PRESETS["ramp"].scenario.world, ScoringRule("quadratic"))
    assert opt.p[0] == pytest.approx(0.4, abs=1e-7)
    assert opt.f[0] == pytest.approx(0.1, abs=1e-6)
    assert opt.score == pytest.approx(0.64, abs=1e-9)


# --- the exponential and log rules ----------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(-0.9, 0.9), st.floats(1.0, 20.0))
def test_exponential_rule_on_linear_world(p_star: float, alpha: float, k: float) -> None:
    # G = e^{Kx}/K, g = e^{Kx}, g′ = Ke^{Kx}, f − x = (1 − α)(p* − x), f′ = α:
    # φ′(x) = e^{Kx}[K(1 − α)(p* − x) + α]. The bracket falls linearly in x, so φ has one maximum, at
    # x̂ = p* + α/(K(1 − α)) clipped to [0, 1]. At an interior x̂, f − x = −f′g/g′ = −α/K exactly:
    # the inaccuracy is |α|/K.
    world = valid_linear_world(p_star, alpha)
    x_hat = p_star + alpha / (k * (1 - alpha))
    opt = performative_optimum(world, ScoringRule("exponential", k))
    assert opt.p[0] == pytest.approx(min(max(x_hat, 0.0), 1.0), abs=1e-7)
    if 1e-6 < x_hat < 1 - 1e-6:
        assert abs(opt.p[0] - opt.f[0]) == pytest.approx(abs(alpha) / k, abs=1e-7)


def test_exponential_preset_inaccuracy_is_alpha_over_k() -> None:
    # p* = 1/4, α = 1/4, K = 10: x̂ = 1/4 + (1/4)/(10·3/4) = 0.25 + 1/30, inaccuracy α/K = 0.025.
    opt = performative_optimum(LinearWorld(0.25, 0.25), ScoringRule("exponential", 10.0))
    assert opt.p[0] == pytest.approx(0.25 + 1 / 30, abs=1e-7)
    assert opt.p[0] - opt.f[0] == pytest.approx(0.025, abs=1e-7)


def test_log_rule_notebook_world_from_first_order_condition() -> None:
    # Log rule: G(x) = x ln x + (1 − x) ln(1 − x), g = ln(x/(1 − x)), g′ = 1/(x(1 − x)). Multiplying φ′ by
    # x(1 − x) > 0: ψ(x) = (f(x) − x) + α x(1 − x) ln(x/(1 − x)) has the sign of φ′. With p* = 0.675, α = 1/4:
    # on (0, 1/2] f − x > 0 (f(x) ≥ f(0) = 0.50625 > 1/2 ≥ x) and near 0 it dominates the log term, on
    # [1/2, p*] both terms are ≥ 0, so ψ > 0 below p*; above it ψ falls to f(1) − 1 < 0 at 1 and has one
    # zero (checked by the sign pattern below). That zero, found by brentq, is the maximiser.
    p_star, alpha = 0.675, 0.25
    world = LinearWorld(p_star, alpha)

    def psi(x: float) -> float:
        f = p_star + alpha * (x - p_star)
        return (f - x) + alpha * x * (1 - x) * np.log(x / (1 - x))

    xs = np.linspace(1e-6, 1 - 1e-6, 100_001)
    signs = np.sign([psi(x) for x in xs[::100]])
    assert np.count_nonzero(np.diff(signs)) == 1  # one sign change: one stationary point, a maximum
    x_hat = brentq(psi, p_star, 1 - 1e-9, xtol=1e-15)
    f_hat = p_star + alpha * (x_hat - p_star)
    opt = performative_optimum(world, ScoringRule("log"))
    assert opt.p[0] == pytest.approx(x_hat, abs=1e-7)
    # S(x, f) = f ln x + (1 − f) ln(1 − x), written out.
    assert opt.score == pytest.approx(f_hat * np.log(x_hat) + (1 - f_hat) * np.log(1 - x_hat), abs=1e-12)
    # The report is pushed away from 1/2, above the fixed point (docs/theory.md#worked-example: towards the predictable extreme).
    assert opt.p[0] > p_star


def _slope(world, x: float) -> float:
    """f′ written out for the linear and logistic worlds (not the world's own Jacobian)."""
    if isinstance(world, LinearWorld):
        return world.alpha
    s = 1.0 / (1.0 + np.exp(-world.steepness * (x - world.center)))
    return (world.high - world.low) * world.steepness * s * (1 - s)


def _phi_prime(world, rule: ScoringRule, x: float) -> float:
    g, dg = rule.binary_g(np.array(x))
    return float(dg * (f1(world, np.array(x)) - x) + _slope(world, x) * g)


FOC_WORLDS = [
    LinearWorld(0.25, 0.25), LinearWorld(0.675, 0.25), LinearWorld(0.6, -0.5), LinearWorld(0.3, 0.6),
    LinearWorld(0.5, -0.9), LogisticWorld(0.5, 12.0, 0.02, 0.98), LogisticWorld(0.3, 4.0, 0.1, 0.8),
    LogisticWorld(0.6, -6.0, 0.05, 0.9),
]


@pytest.mark.parametrize("rule", PROPER_BINARY_RULES, ids=lambda r: r.label)
@pytest.mark.parametrize("world", FOC_WORLDS, ids=repr)
def test_first_order_condition_at_the_optimum(world, rule: ScoringRule) -> None:
    # docs/theory.md#performative-optimum: d/dx S(x, f(x)) = g′(x)(f(x) − x) + f′(x)g(x) vanishes at an interior maximum; at an end
    # it must point out of [0, 1] (KKT).
    x = float(performative_optimum(world, rule).p[0])
    if 1e-4 < x < 1 - 1e-4:
        h = 1e-5
        curvature = (_phi_prime(world, rule, x + h) - _phi_prime(world, rule, x - h)) / (2 * h)
        assert curvature < 0, "a maximum"
        # One Newton step to the zero of φ′ is shorter than 1e-6: x is that zero to 1e-6.
        assert abs(_phi_prime(world, rule, x) / curvature) < 1e-6
    elif x <= 1e-4:
        assert x == 0.0 and _phi_prime(world, rule, 1e-9) <= 1e-9
    else:
        assert x == 1.0 and _phi_prime(world, rule, 1 - 1e-9) >= -1e-9


# --- the gradient -------------------------------------------------------------------------------------


def _three_outcome_ramp() -> PolicyWorld:
    return PolicyWorld(actions=("a", "b"), Q=((0.7, 0.2, 0.1), (0.1, 0.3, 0.6)), U=((0, 0, 0), (0, 0, 0)),
                       policy="threshold", threshold=0.4, threshold_outcome=2, ramp_width=0.3)


def _random_matrix_world(n: int, seed: int) -> MatrixWorld:
    rng = np.random.default_rng(seed)
    a = rng.dirichlet(np.ones(n), size=n).T
    return MatrixWorld(tuple(map(tuple, a)), tuple(rng.dirichlet(np.ones(n))), 0.7)


SMOOTH_WORLDS = {
    "linear": LinearWorld(0.3, 0.6),
    "logistic": LogisticWorld(0.5, 12.0, 0.02, 0.98),
    "ramp": RampWorld(0.3, 0.4, 0.8, 0.1),
    "softmax-2": PRESETS["self-defeating-softmax"].scenario.world,
    "threshold-ramp-2": PolicyWorld(Q=((0.95, 0.05), (0.3, 0.7)), policy="threshold", threshold=0.5,
                                    threshold_outcome=1, ramp_width=0.2, epsilon=0.1),
    "softmax-3": PRESETS["coordination"].scenario.world,
    "route-choice": PRESETS["route-choice"].scenario.world,
    "threshold-ramp-3": _three_outcome_ramp(),
    "matrix-3": PRESETS["linear-three"].scenario.world,
    "matrix-4": _random_matrix_world(4, 7),
    "softmax-5": PRESETS["five-candidates"].scenario.world,
}


def _away_from_kinks(name: str, p: np.ndarray) -> np.ndarray:
    # Central differences straddling a kink of f measure an average slope: keep 1e-3 away from kinks.
    world = SMOOTH_WORLDS[name]
    if world.n == 2:
        keep = np.all(np.abs(p[:, :1] - np.array(world.breakpoints() or (-1.0,))) > 1e-3, axis=1)
    elif name == "threshold-ramp-3":
        keep = np.all(np.abs(p[:, 2:3] - np.array([0.25, 0.55])) > 1e-3, axis=1)
    else:
        keep = np.ones(len(p), dtype=bool)
    return p[keep]


# Every smooth world with every rule that can score it (the exponential rule is for two outcomes only).
GRADIENT_CASES = [(name, rule) for name, world in SMOOTH_WORLDS.items() for rule in ALL_RULES
                  if world.n == 2 or not rule.spec.binary_only]


@pytest.mark.parametrize(("name", "rule"), GRADIENT_CASES, ids=[f"{n}-{r.label}" for n, r in GRADIENT_CASES])
def test_gradient_matches_finite_differences_along_the_simplex(name: str, rule: ScoringRule) -> None:
    world = SMOOTH_WORLDS[name]
    rng = np.random.default_rng(1234)
    p = _away_from_kinks(name, rng.dirichlet(2.0 * np.ones(world.n), size=40))
    p = p[np.all(p > 0.03, axis=1)]  # the log rule's derivatives grow like 1/p³ near the faces
    v = rng.normal(size=p.shape)
    v -= v.mean(axis=1, keepdims=True)  # tangent: Σv = 0
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    h = 1e-6
    fd = (performative_score(world, rule, p + h * v) - performative_score(world, rule, p - h * v)) / (2 * h)
    analytic = np.sum(performative_gradient(world, rule, p) * v, axis=1)
    np.testing.assert_allclose(analytic, fd, rtol=1e-6, atol=1e-6)


# --- global optimality ----------------------------------------------------------------------------------


U_THIN = ((0.0, 0.0), (1 - 0.9801, -0.9801), (0.038, -1.962))


def thin_binary_world() -> PolicyWorld:
    """Action m is best only for 0.9801 < x < 0.9819 (prefs 0, x − 0.9801, 2x − 1.962): no node of a
    grid of step 1/400 falls inside. Rows: a and c bring 0.5, m brings 0.99."""
    return PolicyWorld(actions=("a", "m", "c"), Q=((0.5, 0.5), (0.99, 0.01), (0.5, 0.5)), U=U_THIN)


def thin_three_outcome_world() -> PolicyWorld:
    """Preferences 0, p₁ − 0.605 and 2p₁ − 1.22: action m is best only for 0.605 < p₁ < 0.615, where no
    multiple of 1/48 lies. Row m = (0.61, 0.2, 0.19) lies in m's sliver; rows a, c = (0.2, 0.4, 0.4)."""
    return PolicyWorld(actions=("a", "m", "c"), Q=((0.2, 0.4, 0.4), (0.61, 0.2, 0.19), (0.2, 0.4, 0.4)),
                       U=((0.0, 0.0, 0.0), (0.395, -0.605, -0.605), (0.78, -1.22, -1.22)))


def jump_world() -> PolicyWorld:
    """Threshold at 0.7: action 1 (row 0.9) for x ≤ 0.7, action 2 (row 0.1) above, the even split at 0.7."""
    return PolicyWorld(Q=((0.9, 0.1), (0.1, 0.9)), policy="threshold", threshold=0.7)


def coordination3() -> PolicyWorld:
    q = tuple(tuple(0.8 if i == j else 0.1 for j in range(3)) for i in range(3))
    eye = tuple(tuple(1.0 if i == j else 0.0 for j in range(3)) for i in range(3))
    return PolicyWorld(actions=("a", "b", "c"), Q=q, U=eye)


def test_supremum_at_a_jump_is_not_attained() -> None:
    # Quadratic rule. For x < 0.7 f = 0.9 and S(x, 0.9) rises towards x = 0.9, so the best is approached as
    # x → 0.7: 2(0.9·0.7 + 0.1·0.3) − (0.49 + 0.09) = 0.74. For x > 0.7 f = 0.1 and the best is approached
    # as x → 0.7 too, 2(0.1·0.7 + 0.9·0.3) − 0.58 = 0.10. At x = 0.7 the human splits: f = 0.5,
    # S = 2(0.5·0.7 + 0.5·0.3) − 0.58 = 0.42 < 0.74. The supremum 0.74 is approached, never attained.
    opt = performative_optimum(jump_world(), ScoringRule("quadratic"))
    assert not opt.attained
    assert opt.p[0] == pytest.approx(0.7, abs=1e-9)
    assert opt.f[0] == pytest.approx(0.9, abs=1e-12)
    assert opt.score == pytest.approx(0.74, abs=1e-9)


def test_optimum_in_a_region_thinner_than_the_grid() -> None:
    # Regions a (x < 0.9801) and c (x > 0.9819) bring f = 0.5, where S(x, 0.5) = 1 − x² − (1 − x)² ≤ 0.5.
    # In m's sliver f = 0.99 and S(x, 0.99) rises up to x = 0.99, so the supremum is approached at x = 0.9819:
    # 2(0.99·0.9819 + 0.01·0.0181) − (0.9819² + 0.0181²) = 1.944524 − 0.96445522 = 0.98006878. At x = 0.9819
    # itself m and c tie, f = 0.745, which scores less: not attained.
    opt = performative_optimum(thin_binary_world(), ScoringRule("quadratic"))
    assert opt.score == pytest.approx(0.98006878, abs=1e-9)
    assert opt.p[0] == pytest.approx(0.9819, abs=1e-9)
    assert opt.f[0] == pytest.approx(0.99, abs=1e-12)
    assert not opt.attained


def test_optimum_in_a_three_outcome_region_thinner_than_the_grid() -> None:
    # Row m lies inside m's sliver, so it is a regular fixed point scoring G(q_m) = 0.61² + 0.2² + 0.19²
    # = 0.4482 under the quadratic rule, attained. Elsewhere f = (0.2, 0.4, 0.4) and S(p, f) ≤ G(f) = 0.36.
    world = thin_three_outcome_world()
    opt = performative_optimum(world, ScoringRule("quadratic"))
    np.testing.assert_allclose(opt.p, [0.61, 0.2, 0.19], atol=1e-6)
    assert opt.score == pytest.approx(0.4482, abs=1e-9)
    assert opt.attained


@pytest.mark.parametrize(
    ("world", "expected_p", "expected_score"),
    [
        # Self-defeating commuters, quadratic: S(x, f) at x = 1/2 is 2·(1/2) − 1/2 = 1/2 whatever f is, and
        # each region's best is approached at x → 1/2 (0.9 is right of [0, 1/2), 0.1 left of (1/2, 1]);
        # the tie value f(1/2) = 1/2 gives 1/2 as well: attained at 1/2.
        (PRESETS["self-defeating"].scenario.world, [0.5, 0.5], 0.5),
        # Three-outcome best response (U = I, 0.8 on the diagonal): in region a, S(p, q_a) is largest at
        # p = q_a, which lies in region a: score G(q_a) = 0.64 + 0.01 + 0.01 = 0.66, attained (any a).
        (coordination3(), None, 0.66),
    ],
    ids=["self-defeating", "three-outcome-best-response"],
)
def test_supremum_attained_in_step_worlds(world, expected_p, expected_score: float) -> None:
    opt = performative_optimum(world, ScoringRule("quadratic"))
    assert opt.attained
    assert opt.score == pytest.approx(expected_score, abs=1e-9)
    if expected_p is not None:
        np.testing.assert_allclose(opt.p, expected_p, atol=1e-7)
    else:
        assert min(np.max(np.abs(opt.p - row)) for row in np.array(world.Q)) < 1e-6
    np.testing.assert_allclose(opt.f, world(opt.p), atol=1e-12)


OPT_WORLDS = {name: (p.scenario.world, p.scenario.rule) for name, p in PRESETS.items()} | {
    "jump": (jump_world(), ScoringRule("quadratic")),
    "thin-binary": (thin_binary_world(), ScoringRule("quadratic")),
    "thin-3": (thin_three_outcome_world(), ScoringRule("quadratic")),
    "coordination3-log": (coordination3(), ScoringRule("log")),
    "matrix-4-spherical": (_random_matrix_world(4, 3), ScoringRule("spherical")),
    "ramp-up-log": (RampWorld(0.2, 0.7, 0.1, 0.9), ScoringRule("log")),
}


@pytest.mark.parametrize("name", list(OPT_WORLDS))
def test_optimum_beats_ten_thousand_random_predictions(name: str) -> None:
    world, rule = OPT_WORLDS[name]
    opt = performative_optimum(world, rule)
    rng = np.random.default_rng(2024)
    # Half spread over the simplex, half close to its faces (where the best report often is).
    p = np.concatenate([rng.dirichlet(np.ones(world.n), 5000), rng.dirichlet(0.2 * np.ones(world.n), 5000)])
    with np.errstate(all="ignore"):
        sampled = performative_score(world, rule, p)
    assert np.nanmax(sampled) <= opt.score + 1e-9 * (1 + abs(opt.score))
    # The reported score is the score of the report (or, if not attained, the limit beside a jump).
    if opt.attained:
        assert float(performative_score(world, rule, opt.p)) == pytest.approx(opt.score, abs=1e-12)
        np.testing.assert_allclose(opt.f, world(opt.p), atol=1e-12)
    else:
        assert float(performative_score(world, rule, opt.p)) < opt.score
        assert float(rule.expected(opt.p, opt.f)) == pytest.approx(opt.score, abs=1e-12)


def test_continuous_presets_attain_their_optimum() -> None:
    for name, preset in PRESETS.items():
        if not is_step(preset.scenario.world):
            assert performative_optimum(preset.scenario.world, preset.scenario.rule).attained, name


@pytest.mark.parametrize("name", list(PRESETS) + ["jump", "thin-binary"])
def test_optimum_agrees_with_dense_reference(name: str) -> None:
    world, rule = OPT_WORLDS[name]
    opt = performative_optimum(world, rule)
    ref = dense_optimum(world, rule)
    tol = 1e-7 if is_step(world) else 1e-9
    assert opt.score >= ref.score - tol * (1 + abs(ref.score)), "the reference found a better report"
    assert opt.score <= ref.score + tol * (1 + abs(ref.score)), "the reference missed the reported optimum"
    gaps = [np.max(np.abs(opt.p - m)) for m in ref.maximisers]
    assert min(gaps) <= 1e-6, f"p̂ = {opt.p} is {min(gaps):.3g} from the reference's {ref.maximisers}"


def test_optimum_is_not_a_fixed_point_in_general() -> None:
    # docs/theory.md#performative-optimum: with f′ ≠ 0 and g(p̂) ≠ 0, φ′ = 0 forces f(p̂) ≠ p̂. The notebook world: p̂ = 1/8 ≠ 1/4 = p*.
    world = LinearWorld(0.25, 0.25)
    (fp,) = find_fixed_points(world)
    opt = performative_optimum(world, ScoringRule("quadratic"))
    assert abs(opt.p[0] - fp.p[0]) == pytest.approx(0.125, abs=1e-7)
    # The honest report scores less than the bent one: G(1/4) = 1/16 + 9/16 = 0.625 < 0.640625.
    honest = float(performative_score(world, ScoringRule("quadratic"), binary_points(0.25)))
    assert honest == pytest.approx(0.625, abs=1e-12)
    assert opt.score > 0.625


@pytest.mark.parametrize("d", [1, 2, 3, 4, 5])
def test_the_ascent_step_is_saddle_free_newton(d: int) -> None:
    # Negative definite Hessians take the Cholesky path, indefinite and nearly singular ones the eigenvalues;
    # both must give the step of the definition, V diag(1 / max(|λ|, δ)) Vᵀ ∇, computed here by numpy's eigh.
    from core.solve.optimum import EIGEN_FLOOR, _ascent_step

    rng = np.random.default_rng(d)
    a = rng.standard_normal((300, d, d))
    hess = -(a @ a.swapaxes(1, 2)) - 0.1 * np.eye(d)
    hess[::3] = a[::3] + a[::3].swapaxes(1, 2)
    hess[1::7] = -1e-12 * np.eye(d)
    grad = rng.standard_normal((300, d))
    lam, vec = np.linalg.eigh(hess)
    expected = np.einsum("kij,kj->ki", vec, np.einsum("kji,kj->ki", vec, grad) / np.maximum(np.abs(lam), EIGEN_FLOOR))
    step = _ascent_step(hess, grad)
    assert np.allclose(step, expected, rtol=1e-10, atol=1e-10 * np.abs(expected).max())
    assert np.all(np.einsum("ki,ki->k", step, grad) > 0)  # every step ascends
