"""Tests of core.model.rules: hand values, propriety, gradients, the binary g = G′ quantities and validation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.model.rules import RULE_KINDS, ScoringRule
from core.model.simplex import binary, tangent_basis

from tests.core.scenario_strategies import distributions, interior_points, rules

# One or more instances of every family, with parameters inside and at the edges of the usual range.
ALL_RULES = [
    ScoringRule("log"),
    ScoringRule("quadratic"),
    ScoringRule("spherical"),
    ScoringRule("power", 1.5),
    ScoringRule("power", 2.0),
    ScoringRule("power", 3.0),
    ScoringRule("power", 5.5),
    ScoringRule("pseudospherical", 1.5),
    ScoringRule("pseudospherical", 3.0),
    ScoringRule("pseudospherical", 7.0),
    ScoringRule("exponential", 0.5),
    ScoringRule("exponential", 10.0),
    ScoringRule("linear"),
]
PROPER_RULES = [r for r in ALL_RULES if r.spec.proper]


def _ids(rules: list[ScoringRule]) -> list[str]:
    return [r.label for r in rules]


def _outcome_counts(rule: ScoringRule) -> list[int]:
    return [2] if rule.spec.binary_only else [2, 3, 5]


def _fd_jacobian(fun, p: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Central differences of ``fun`` (R^n -> R^m or R) in every ambient coordinate: shape (m, n) or (n,)."""
    cols = []
    for j in range(len(p)):
        e = np.zeros_like(p)
        e[j] = h
        cols.append((np.asarray(fun(p + e)) - np.asarray(fun(p - e))) / (2 * h))
    return np.stack(cols, axis=-1)


# --- hand-derived values --------------------------------------------------------------------

E = math.e
HAND_VALUES = [
    # log: S = ln p_ω.
    (ScoringRule("log"), [0.2, 0.8], [math.log(0.2), math.log(0.8)]),
    (ScoringRule("log"), [0.5, 0.25, 0.25], [math.log(0.5), math.log(0.25), math.log(0.25)]),
    # quadratic: ‖(0.2, 0.8)‖² = 0.04 + 0.64 = 0.68; S = 2p_ω − 0.68.
    (ScoringRule("quadratic"), [0.2, 0.8], [0.4 - 0.68, 1.6 - 0.68]),
    # ‖(0.5, 0.3, 0.2)‖² = 0.25 + 0.09 + 0.04 = 0.38.
    (ScoringRule("quadratic"), [0.5, 0.3, 0.2], [0.62, 0.22, 0.02]),
    # spherical: ‖(1/4, 3/4)‖ = √(10/16), so S = (1, 3)/√10.
    (ScoringRule("spherical"), [0.25, 0.75], [1 / math.sqrt(10), 3 / math.sqrt(10)]),
    # ‖(1/3, 1/3, 1/3)‖ = 1/√3, so S = √3/3 = 1/√3 for every outcome.
    (ScoringRule("spherical"), [1 / 3, 1 / 3, 1 / 3], [1 / math.sqrt(3)] * 3),
    # power α = 3: S = 3p_ω² − 2Σp³; Σp³ = 0.008 + 0.512 = 0.52 -> (0.12 − 1.04, 1.92 − 1.04).
    (ScoringRule("power", 3.0), [0.2, 0.8], [-0.92, 0.88]),
    # power α = 3 at (1/2, 1/2): Σp³ = 1/4, S = 3/4 − 1/2 = 1/4.
    (ScoringRule("power", 3.0), [0.5, 0.5], [0.25, 0.25]),
    # power α = 2 is the quadratic rule.
    (ScoringRule("power", 2.0), [0.5, 0.3, 0.2], [0.62, 0.22, 0.02]),
    # pseudospherical α = 3: ‖(0.2, 0.8)‖₃ = 0.52^{1/3}, S = (p_ω / 0.52^{1/3})² = p_ω² / 0.52^{2/3}.
    (ScoringRule("pseudospherical", 3.0), [0.2, 0.8], [0.04 / 0.52 ** (2 / 3), 0.64 / 0.52 ** (2 / 3)]),
    # pseudospherical α = 2 is the spherical rule.
    (ScoringRule("pseudospherical", 2.0), [0.25, 0.75], [1 / math.sqrt(10), 3 / math.sqrt(10)]),
    # exponential K = 2 at x = 1/2: e/2 + e(1 − 1/2) = e for the first outcome, e/2 − e/2 = 0 for the second.
    (ScoringRule("exponential", 2.0), [0.5, 0.5], [E, 0.0]),
    # exponential K = 1 at x = 0: 1 + 1 = 2 and 1 + 0 = 1.
    (ScoringRule("exponential", 1.0), [0.0, 1.0], [2.0, 1.0]),
    # linear: S = p_ω.
    (ScoringRule("linear"), [0.3, 0.3, 0.4], [0.3, 0.3, 0.4]),
]


@pytest.mark.parametrize(("rule", "p", "expected"), HAND_VALUES, ids=[f"{r.label}-{p}" for r, p, _ in HAND_VALUES])
def test_hand_values(rule: ScoringRule, p: list[float], expected: list[float]) -> None:
    np.testing.assert_allclose(rule.scores(np.array(p)), expected, rtol=1e-12, atol=1e-14)


def test_scores_are_vectorised() -> None:
    rng = np.random.default_rng(3)
    p = interior_points(rng, 3, 12).reshape(3, 4, 3)
    for rule in ALL_RULES:
        if rule.spec.binary_only:
            continue
        batch = rule.scores(p)
        assert batch.shape == p.shape
        for idx in np.ndindex(3, 4):
            np.testing.assert_allclose(batch[idx], rule.scores(p[idx]), rtol=1e-14)


def test_expected_score_hand_value() -> None:
    # Brier at p = (0.2, 0.8) under q = (0.5, 0.5): 0.5·(−0.28) + 0.5·0.92 = 0.32.
    assert ScoringRule("quadratic").expected(np.array([0.2, 0.8]), np.array([0.5, 0.5])) == pytest.approx(0.32)
    # G(p) = S(p, p) = ‖p‖² for Brier.
    assert ScoringRule("quadratic").G(np.array([0.2, 0.8])) == pytest.approx(0.68)


# --- propriety --------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_proper_rules_are_maximised_by_the_truth(data: st.DataObject) -> None:
    n = data.draw(st.integers(2, 5))
    rule = data.draw(rules(n).filter(lambda r: r.spec.proper))
    p = np.array(data.draw(distributions(n)))
    q = np.array(data.draw(distributions(n)))
    truth, other = rule.expected(q, q), rule.expected(p, q)
    assert not np.isnan(truth) and not np.isnan(other)
    assert truth >= other - 1e-12 * (1.0 + abs(truth))


# Moderate parameters, so that the strict gap is far above rounding everywhere on the simplex.
STRICT_RULES = [ScoringRule("log"), ScoringRule("quadratic"), ScoringRule("spherical"), ScoringRule("power", 1.5),
                ScoringRule("power", 3.0), ScoringRule("pseudospherical", 1.5), ScoringRule("pseudospherical", 3.0),
                ScoringRule("exponential", 0.5), ScoringRule("exponential", 5.0)]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_proper_rules_are_strictly_proper(data: st.DataObject) -> None:
    rule = data.draw(st.sampled_from(STRICT_RULES))
    n = 2 if rule.spec.binary_only else data.draw(st.integers(2, 5))
    p = np.array(data.draw(distributions(n)))
    q = np.array(data.draw(distributions(n)))
    if np.abs(p - q).max() < 1e-2:
        return
    assert rule.expected(q, q) > rule.expected(p, q)


def test_linear_rule_is_not_proper() -> None:
    # q = (0.6, 0.4): the truth scores 0.6² + 0.4² = 0.52, the vertex (1, 0) scores 0.6 > 0.52.
    rule = ScoringRule("linear")
    q = np.array([0.6, 0.4])
    assert rule.expected(q, q) == pytest.approx(0.52)
    assert rule.expected(np.array([1.0, 0.0]), q) == pytest.approx(0.6)
    assert rule.expected(np.array([1.0, 0.0]), q) > rule.expected(q, q)
    assert not rule.spec.proper
    assert all(ScoringRule(k).spec.proper for k in RULE_KINDS if k != "linear")


def test_expected_counts_impossible_outcomes_as_nothing_under_log() -> None:
    rule = ScoringRule("log")
    # q_ω = 0 and p_ω = 0: 0·ln 0 must count as 0, not nan.
    assert rule.expected(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0
    assert rule.expected(np.array([0.0, 0.5, 0.5]), np.array([0.0, 0.5, 0.5])) == pytest.approx(math.log(0.5))
    np.testing.assert_allclose(rule.G(np.array([[1.0, 0.0], [0.5, 0.5]])), [0.0, math.log(0.5)])
    # An outcome that happens but was given probability 0 costs everything (−∞, still not nan).
    assert rule.expected(np.array([0.0, 1.0]), np.array([0.5, 0.5])) == -np.inf
    # The stop-gradient direction at such a point is finite: ∂/∂p_j Σ q_ω ln p_ω = q_j / p_j, 0 where q_j = 0.
    grad = rule.expected_gradient(np.array([0.0, 0.5, 0.5]), np.array([0.0, 0.25, 0.75]))
    np.testing.assert_allclose(grad, [0.0, 0.5, 1.5])



def test_log_gradient_shortcut_is_the_jacobian_formula_to_the_bit() -> None:
    # The log rule skips the Jacobian (diagonal, 1/p): the answer must be Σ_ω q_ω ∂S(p, ω)/∂p_j with 0 · ∞ = 0,
    # bit for bit, also where p_j = 0 (∞ if q_j > 0, 0 if not).
    rule = ScoringRule("log")
    rng = np.random.default_rng(3)
    p, q = rng.dirichlet(np.ones(4), 2000), rng.dirichlet(np.ones(4), 2000)
    p[:40, 0], q[20:60, 0], q[100:140, 2] = 0.0, 0.0, 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.zeros(p.shape + (4,))
        jac[:, np.arange(4), np.arange(4)] = 1.0 / p
        by_formula = np.where(q[:, :, None] > 0, q[:, :, None] * jac, 0.0).sum(axis=1)
    got = rule.expected_gradient(p, q)
    assert np.array_equal(got, by_formula) and np.isinf(got[:20, 0]).all() and (got[20:40, 0] == 0).all()

# --- gradients against finite differences -----------------------------------------------------


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(ALL_RULES))
def test_score_jacobian_matches_finite_differences(rule: ScoringRule) -> None:
    rng = np.random.default_rng(11)
    for n in _outcome_counts(rule):
        for p in interior_points(rng, n, 10, margin=0.05):
            analytic = rule.score_jacobian(p)
            numeric = _fd_jacobian(rule.scores, p)
            assert analytic.shape == (n, n)
            scale = 1.0 + np.abs(numeric).max()
            np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6 * scale)


@pytest.mark.parametrize("rule", ALL_RULES, ids=_ids(ALL_RULES))
def test_expected_gradient_matches_finite_differences(rule: ScoringRule) -> None:
    rng = np.random.default_rng(12)
    for n in _outcome_counts(rule):
        ps = interior_points(rng, n, 10, margin=0.05)
        qs = rng.dirichlet(np.full(n, 0.7), size=10)
        for p, q in zip(ps, qs):
            numeric = _fd_jacobian(lambda x: rule.expected(x, q), p)
            scale = 1.0 + np.abs(numeric).max()
            np.testing.assert_allclose(rule.expected_gradient(p, q), numeric, rtol=1e-6, atol=1e-6 * scale)
        # Batches give the same as one point at a time.
        batch = rule.expected_gradient(ps, qs)
        for i in range(len(ps)):
            np.testing.assert_allclose(batch[i], rule.expected_gradient(ps[i], qs[i]), rtol=1e-13)


# --- the binary quantities g = G′ and g′ --------------------------------------------------------


@pytest.mark.parametrize("rule", PROPER_RULES, ids=_ids(PROPER_RULES))
def test_binary_g_is_the_derivative_of_G(rule: ScoringRule) -> None:
    def big_g(x: float) -> float:
        return float(rule.G(binary(x)))

    h = 1e-4
    xs = np.linspace(0.05, 0.95, 19)
    g, dg = rule.binary_g(xs)
    for x, gi, dgi in zip(xs, g, dg):
        first = (big_g(x + h) - big_g(x - h)) / (2 * h)
        second = (big_g(x + h) - 2 * big_g(x) + big_g(x - h)) / h**2
        assert gi == pytest.approx(first, rel=1e-6, abs=1e-6)
        assert dgi == pytest.approx(second, rel=1e-5, abs=1e-5)


def test_binary_g_closed_forms() -> None:
    x = np.linspace(0.01, 0.99, 99)
    n = np.sqrt(x**2 + (1 - x) ** 2)
    cases = {
        # log: G = x ln x + (1−x) ln(1−x), g = ln(x/(1−x)), g′ = 1/(x(1−x)).
        ScoringRule("log"): (np.log(x / (1 - x)), 1 / (x * (1 - x))),
        # quadratic: G = x² + (1−x)², g = 4x − 2, g′ = 4.
        ScoringRule("quadratic"): (4 * x - 2, np.full_like(x, 4.0)),
        # spherical: G = N = √(x² + (1−x)²), g = (2x − 1)/N, g′ = (2N² − (2x−1)²)/N³ = 1/N³.
        ScoringRule("spherical"): ((2 * x - 1) / n, 1 / n**3),
        # exponential: G = e^{Kx}/K, g = e^{Kx}, g′ = K e^{Kx}.
        ScoringRule("exponential", 3.0): (np.exp(3 * x), 3 * np.exp(3 * x)),
    }
    for rule, (g_true, dg_true) in cases.items():
        g, dg = rule.binary_g(x)
        np.testing.assert_allclose(g, g_true, rtol=1e-12, atol=1e-12, err_msg=rule.label)
        np.testing.assert_allclose(dg, dg_true, rtol=1e-12, err_msg=rule.label)


# --- the Savage representation -----------------------------------------------------------------


@pytest.mark.parametrize("rule", PROPER_RULES, ids=_ids(PROPER_RULES))
def test_savage_representation(rule: ScoringRule) -> None:
    # S(p, ω) = G(p) + ⟨∇G(p), e_ω − p⟩ with G(p) = S(p, p); e_ω − p is tangent, so only the tangent
    # gradient matters, and it is found by central differences of G along an orthonormal tangent basis.
    rng = np.random.default_rng(21)
    h = 1e-6
    for n in _outcome_counts(rule):
        basis = tangent_basis(n)
        for p in interior_points(rng, n, 8, margin=0.05):
            dg = np.array([(rule.G(p + h * b) - rule.G(p - h * b)) / (2 * h) for b in basis.T])
            grad = basis @ dg
            savage = rule.G(p) + (np.eye(n) - p) @ grad
            scores = rule.scores(p)
            scale = 1.0 + np.abs(scores).max()
            np.testing.assert_allclose(scores, savage, rtol=1e-6, atol=1e-6 * scale)
            # Equivalently, differences S(p, ω) − S(p, ω′) are tangent derivatives of G.
            np.testing.assert_allclose(scores - scores[0], (np.eye(n) - np.eye(n)[0]) @ grad,
                                       rtol=1e-6, atol=1e-6 * scale)


def test_savage_representation_fails_for_the_linear_rule() -> None:
    # G(p) = Σp² for S = p_ω, so G + ⟨∇G, e_ω − p⟩ = 2p_ω − ‖p‖² (Brier), not p_ω: the test above can fail.
    p = np.array([0.2, 0.8])
    linear, brier = ScoringRule("linear"), ScoringRule("quadratic")
    assert linear.G(p) == pytest.approx(brier.G(p))
    assert not np.allclose(linear.scores(p), brier.scores(p))


# --- parameters and validation ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "param", "fragment"),
    [
        ("power", 1.0, "power rule needs 1 < alpha <= 100"),
        ("power", 0.5, "needs 1 < alpha"),
        ("power", 101.0, "needs 1 < alpha <= 100"),
        ("pseudospherical", 1.0, "pseudospherical rule needs 1 < alpha"),
        ("pseudospherical", float("nan"), "needs 1 < alpha"),
        ("exponential", 0.0, "exponential rule needs 1e-06 < K <= 500"),
        ("exponential", -2.0, "needs 1e-06 < K"),
        ("exponential", 1e4, "needs 1e-06 < K <= 500"),
        ("exponential", float("inf"), "needs 1e-06 < K"),
        ("exponential", 2.2e-311, "needs 1e-06 < K"),  # hypothesis found it: 1/K overflowed every score
        ("log", 2.0, "takes no parameter"),
        ("quadratic", 0.0, "takes no parameter"),
        ("brier", None, "unknown scoring rule 'brier'"),
        ("", None, "unknown scoring rule"),
    ],
)
def test_invalid_rules_are_rejected(kind: str, param: float | None, fragment: str) -> None:
    with pytest.raises(ValueError, match=f"^rule: .*{fragment}"):
        ScoringRule(kind, param)


def test_parameter_defaults_and_types() -> None:
    assert ScoringRule("power").param == RULE_KINDS["power"].param_default
    assert ScoringRule("exponential").param == RULE_KINDS["exponential"].param_default
    assert ScoringRule("log").param is None
    rule = ScoringRule("power", 2)
    assert isinstance(rule.param, float) and rule.param == 2.0
    assert rule == ScoringRule("power", 2.0)
    assert "alpha = 2" in rule.label


def test_exponential_rule_is_binary_only() -> None:
    rule = ScoringRule("exponential", 10.0)
    rule.check_outcomes(2)
    with pytest.raises(ValueError, match="two outcomes only, not 3"):
        rule.check_outcomes(3)
    for kind in RULE_KINDS:
        if kind != "exponential":
            ScoringRule(kind).check_outcomes(6)
