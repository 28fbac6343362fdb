"""Tests of core.solve.fixed_points and of the fixed points of step worlds (core.solve.support_enumeration).

Every reference value is derived by hand in the comment beside it, taken from docs/theory.md, or computed
by the slow reference in tests/core/reference.py; none is pasted from the code under test.

Tolerances:
- a hand-derived fixed point is matched to 1e-10 (the finders refine to machine precision);
- reference fixed points are matched to 1e-8 in the max-norm (the reference bisects to machine
  precision for two outcomes and polishes to ‖f(p) − p‖ ≤ 1e-12 for more; with ‖(Df − I)⁻¹‖ ≤ 100
  on every preset that places them within 1e-10);
- spectral radii are matched to 1e-6 relative (central differences with h = 1e-6).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from core.solve.fixed_points import FIXED_TOL, find_fixed_points, find_fixed_points_batch
from core.model.presets import PRESETS
from core.model.batch import WorldBatch
from core.model.worlds import LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld

from core.solve.certificate import certify
from tests.core.reference import (RefFixedPoint, dense_fixed_points, f1, fd_index_sum, fd_stability, is_step,
                                  logit_fixed_points, step_fixed_point_cells, symmetric_fixed_points)

JAM_U = ((0.0, 1.0), (0.5, 0.5))  # drive: 1 if the road is clear; train: 1/2 whatever happens
STABILITIES = {"attracting", "repelling", "saddle", "neutral"}


def coordination3(policy: str = "best_response", beta: float = 8.0) -> PolicyWorld:
    """Three actions, each making "its" outcome likely (0.8) and liked only if it happens (U = I)."""
    q = tuple(tuple(0.8 if i == j else 0.1 for j in range(3)) for i in range(3))
    eye = tuple(tuple(1.0 if i == j else 0.0 for j in range(3)) for i in range(3))
    return PolicyWorld(actions=("a", "b", "c"), Q=q, U=eye, policy=policy, beta=beta)


def first(fp) -> float:
    return float(fp.p[0])


# --- two outcomes, hand-derived ------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.floats(0.0, 1.0), st.floats(-1.0, 1.0 - 1e-6, exclude_max=False))
def test_linear_world_has_exactly_its_p_star(p_star: float, alpha: float) -> None:
    # f(x) = p* + α(x − p*) gives f(x) − x = (1 − α)(p* − x): one zero, x = p*, for every α < 1.
    try:
        world = LinearWorld(p_star, alpha)
    except ValueError:
        assume(False)
    points = find_fixed_points(world)
    assert len(points) == 1
    (fp,) = points
    # The computed h has rounding error of a few 1e-16; divided by the slope 1 − α of h.
    assert abs(first(fp) - p_star) <= 1e-13 / (1.0 - alpha)
    assert fp.kind == "regular"
    # Df restricted to the simplex is the number α: attracting iff |α| < 1, neutral at α = −1.
    assert fp.spectral_radius == pytest.approx(abs(alpha), abs=1e-12)
    assert fp.stability == ("attracting" if abs(alpha) < 1 - 1e-9 else "neutral")


def test_linear_world_with_slope_minus_one_is_neutral() -> None:
    # α = −1 forces p* = 1/2 (f(0) = 2p* ≤ 1 and f(1) = 2p* − 1 ≥ 0): f(x) = 1 − x, |f′| = 1, and every
    # other start cycles x, 1 − x, x, … under repeated prediction.
    (fp,) = find_fixed_points(LinearWorld(0.5, -1.0))
    assert first(fp) == pytest.approx(0.5, abs=1e-12)
    assert fp.stability == "neutral"


@pytest.mark.parametrize("alpha", [1 - 1e-9, 1 - 1e-11])
@pytest.mark.parametrize("p_star", [0.3337, 0.123456, 0.5])
def test_nearly_identical_world_still_has_one_fixed_point(p_star: float, alpha: float) -> None:
    # |f(x) − x| = (1 − α)|p* − x| is below FIXED_TOL on the whole interval here, but the world still has
    # exactly one fixed point. Its position is only determined to about 1e-16/(1 − α) (rounding of h).
    points = find_fixed_points(LinearWorld(p_star, alpha))
    assert len(points) == 1
    assert abs(first(points[0]) - p_star) <= 1e-3


def test_ramp_preset_fixed_point_by_hand() -> None:
    # Ramp a = 0.3, b = 0.4 from 0.8 down to 0.1: inside, f(x) = 0.8 − 7(x − 0.3) (slope −0.7/0.1 = −7).
    # 0.8 − 7(x − 0.3) = x  ⇔  2.9 = 8x  ⇔  x = 0.3625. Left of the ramp f = 0.8 > x, right of it
    # f = 0.1 < x, and f − x decreases inside: no other zero. |f′| = 7 > 1: repelling.
    world = PRESETS["ramp"].scenario.world
    (fp,) = find_fixed_points(world)
    assert first(fp) == pytest.approx(0.3625, abs=1e-12)
    assert fp.kind == "regular"
    assert fp.stability == "repelling"
    assert fp.spectral_radius == pytest.approx(7.0, rel=1e-9)


def test_bank_run_has_two_attracting_extremes_and_a_repelling_middle() -> None:
    world = PRESETS["bank-run"].scenario.world  # logistic, centre 1/2, k = 12, low 0.02, high 0.98
    points = find_fixed_points(world)
    assert len(points) == 3
    high, middle, low = points  # sorted by the first probability, descending
    # low + high = 1 and centre 1/2 make f(1 − x) = 1 − f(x), so f(1/2) = 1/2. There
    # f′ = (high − low)·k·σ(1 − σ) = 0.96·12·1/4 = 2.88 > 1: repelling.
    assert first(middle) == pytest.approx(0.5, abs=1e-12)
    assert middle.stability == "repelling"
    assert middle.spectral_radius == pytest.approx(2.88, rel=1e-9)
    # The outer ones from scipy's brentq on brackets where f(x) − x changes sign:
    # h(0.9) = 0.02 + 0.96σ(4.8) − 0.9 > 0 > h(1) = f(1) − 1, and h(0) > 0 > h(0.1) by the symmetry.
    def h(x: float) -> float:
        return float(f1(world, np.array(x)) - x)

    x_high = brentq(h, 0.9, 1.0, xtol=1e-15)
    x_low = brentq(h, 0.0, 0.1, xtol=1e-15)
    assert x_low == pytest.approx(1.0 - x_high, abs=1e-13)
    for fp, x in ((high, x_high), (low, x_low)):
        assert first(fp) == pytest.approx(x, abs=1e-10)
        assert abs(h(first(fp))) < 1e-10
        # σ(1 − σ) ≈ 0.003 out there, so f′ ≈ 0.04 < 1: attracting.
        assert fp.stability == "attracting"
        assert fp.spectral_radius < 0.1


def test_self_defeating_preset_has_only_a_mixed_fixed_point() -> None:
    # x = P(jam). Drive (utility 1 − x) beats the train (1/2) iff x < 1/2: f = 0.9 for x < 1/2 and
    # f = 0.1 for x > 1/2. Neither region holds its own value (0.9 ∉ [0, 1/2), 0.1 ∉ (1/2, 1]), so no
    # regular fixed point. At x = 1/2 both tie; the mixture λ·0.9 + (1 − λ)·0.1 = 1/2 needs λ = 1/2.
    world = PRESETS["self-defeating"].scenario.world
    (fp,) = find_fixed_points(world)
    assert fp.kind == "mixed"
    np.testing.assert_allclose(fp.p, [0.5, 0.5], atol=1e-12)
    np.testing.assert_allclose(fp.mixing, [0.5, 0.5], atol=1e-12)
    # Repeated prediction from beside 1/2 jumps to 0.9 or 0.1 and then alternates: it never settles.
    assert fp.stability != "attracting"


def test_self_defeating_softmax_preset_repels() -> None:
    # π(drive) = σ(β((1 − x) − 1/2)) so f(x) = 0.1 + 0.8 σ(β(1/2 − x)), decreasing: one crossing, at
    # x = 1/2 (f(1/2) = 0.1 + 0.4). f′(1/2) = −0.8·β·σ(1 − σ) = −0.8·10·1/4 = −2: repelling, radius 2.
    world = PRESETS["self-defeating-softmax"].scenario.world
    (fp,) = find_fixed_points(world)
    assert fp.kind == "regular"
    assert first(fp) == pytest.approx(0.5, abs=1e-12)
    assert fp.stability == "repelling"
    assert fp.spectral_radius == pytest.approx(2.0, rel=1e-9)
    np.testing.assert_allclose(fp.mixing, [0.5, 0.5], atol=1e-12)


def test_epsilon_exploration_moves_the_fixed_points() -> None:
    # Binary coordination (Q = 0.9/0.1, U = I) with ε = 0.2: the explored outcome rows are
    # 0.8·0.9 + 0.2·0.5 = 0.82 and 0.8·0.1 + 0.2·0.5 = 0.18; action 1 is best iff x > 1/2, so 0.82 and
    # 0.18 are regular and attracting; the tie at 1/2 mixes λ·0.82 + (1 − λ)·0.18 = 1/2, λ = 1/2.
    world = PolicyWorld(Q=((0.9, 0.1), (0.1, 0.9)), U=((1.0, 0.0), (0.0, 1.0)), epsilon=0.2)
    high, middle, low = find_fixed_points(world)
    assert (first(high), first(middle), first(low)) == pytest.approx((0.82, 0.5, 0.18), abs=1e-12)
    assert (high.kind, middle.kind, low.kind) == ("regular", "mixed", "regular")
    assert high.stability == low.stability == "attracting"
    np.testing.assert_allclose(middle.mixing, [0.5, 0.5], atol=1e-12)


def test_epsilon_exploration_mixing_includes_the_exploration() -> None:
    # Self-defeating commuters, Q = ((0.9, 0.1), (0.3, 0.7)), ε = 0.2: mean row (0.6, 0.4), explored rows
    # 0.8·0.9 + 0.2·0.6 = 0.84 (drive) and 0.8·0.3 + 0.2·0.6 = 0.36 (train). Neither region holds its value,
    # so the only fixed point is the tie x = 1/2 with 0.84λ + 0.36(1 − λ) = 1/2, λ = 0.14/0.48 = 7/24.
    # The human's action probabilities there: (0.8·7/24 + 0.1, 0.8·17/24 + 0.1) = (1/3, 2/3), and indeed
    # (1/3)·0.9 + (2/3)·0.3 = 1/2.
    world = PolicyWorld(Q=((0.9, 0.1), (0.3, 0.7)), U=JAM_U, epsilon=0.2)
    (fp,) = find_fixed_points(world)
    assert fp.kind == "mixed"
    assert first(fp) == pytest.approx(0.5, abs=1e-12)
    np.testing.assert_allclose(fp.mixing, [1 / 3, 2 / 3], atol=1e-12)


@pytest.mark.parametrize(
    "world",
    [
        # ε = 1: the human picks uniformly whatever is predicted, f ≡ mean row = (1/2, 1/2).
        PolicyWorld(Q=((0.9, 0.1), (0.1, 0.9)), U=JAM_U, epsilon=1.0),
        # Both actions bring about the same distribution: f ≡ (1/2, 1/2) although the human switches at 1/2.
        PolicyWorld(Q=((0.5, 0.5), (0.5, 0.5)), U=JAM_U),
    ],
    ids=["epsilon-one", "equal-rows"],
)
def test_constant_step_world_has_a_regular_attracting_fixed_point(world: PolicyWorld) -> None:
    # f is constant = (1/2, 1/2), so 1/2 is a regular fixed point that attracts in one step, even though
    # the human's preferences tie exactly there.
    (fp,) = find_fixed_points(world)
    np.testing.assert_allclose(fp.p, [0.5, 0.5], atol=1e-12)
    assert fp.kind == "regular"
    assert fp.stability == "attracting"
    assert fp.spectral_radius == 0.0


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # decision-example: rows 1/3 and 1/2; the even split is f ≡ (1/3 + 1/2)/2 = 5/12.
        ("decision-example", (1 / 2, 5 / 12, 1 / 3)),
        # decision-three: rows 0.2, 0.5, 0.6; the segment is [0.2, 0.6] (0.5 is inside it, not an end) and
        # the even split is f ≡ (0.2 + 0.5 + 0.6)/3 = 1.3/3.
        ("decision-three", (0.6, 1.3 / 3, 0.2)),
    ],
)
def test_indistinguishable_actions_give_a_segment(name: str, expected: tuple[float, float, float]) -> None:
    # Every action has the same utility row, so the human always ties and splits evenly: f is constant,
    # the even split is the one regular fixed point. Mixing the actions in any proportion gives every x
    # between the smallest and largest row: the ends of that segment are reported as mixed points, each
    # reached by the one action whose row it is.
    world = PRESETS[name].scenario.world
    top, middle, bottom = find_fixed_points(world)
    assert (first(top), first(middle), first(bottom)) == pytest.approx(expected, abs=1e-12)
    assert (top.kind, middle.kind, bottom.kind) == ("mixed", "regular", "mixed")
    assert middle.stability == "attracting"
    q = np.array(world.Q)[:, 0]
    np.testing.assert_allclose(top.mixing, (q == q.max()).astype(float), atol=1e-12)
    np.testing.assert_allclose(bottom.mixing, (q == q.min()).astype(float), atol=1e-12)


def test_threshold_policy_on_three_outcomes_by_hand() -> None:
    # Action 2 when p_3 > 0.4. Row 1 (0.7, 0.2, 0.1) has p_3 = 0.1 ≤ 0.4 and row 2 (0.1, 0.3, 0.6) has
    # p_3 = 0.6 > 0.4: both are regular, attracting. On the tie plane p_3 = 0.4:
    # 0.1λ + 0.6(1 − λ) = 0.4 gives λ = 0.4 and p = 0.4·row 1 + 0.6·row 2 = (0.34, 0.26, 0.4), mixed.
    world = EXTRA_WORLDS["threshold-3"]
    points = find_fixed_points(world)
    assert [fp.kind for fp in points] == ["regular", "mixed", "regular"]
    np.testing.assert_allclose(points[0].p, [0.7, 0.2, 0.1], atol=1e-12)
    np.testing.assert_allclose(points[1].p, [0.34, 0.26, 0.4], atol=1e-12)
    np.testing.assert_allclose(points[1].mixing, [0.4, 0.6], atol=1e-12)
    np.testing.assert_allclose(points[2].p, [0.1, 0.3, 0.6], atol=1e-12)
    assert points[0].stability == points[2].stability == "attracting"


# --- three outcomes, hand-derived ----------------------------------------------------------------


def test_three_outcome_best_response_fixed_points_by_hand() -> None:
    # Action a is best where p_a is the largest coordinate. Pure: q_a = row a of Q has its largest entry
    # (0.8) at a, so each row is a regular fixed point, attracting (f is constant around it).
    # Two actions a, b: p = λq_a + (1 − λ)q_b with p_a = p_b: 0.8λ + 0.1(1 − λ) = 0.1λ + 0.8(1 − λ),
    # λ = 1/2, p = (0.45, 0.45, 0.1) up to order; the third coordinate 0.1 < 0.45 so a, b are best: mixed.
    # All three: p_a equal for all a ⇒ λ = (1/3, 1/3, 1/3), p = centre; mixed (f jumps around it).
    world = coordination3()
    points = find_fixed_points(world)
    regular = [fp for fp in points if fp.kind == "regular"]
    mixed = [fp for fp in points if fp.kind == "mixed"]
    assert len(points) == 7
    expected_regular = {tuple(row) for row in np.array(world.Q)}
    assert {tuple(np.round(fp.p, 12)) for fp in regular} == {tuple(np.round(r, 12)) for r in expected_regular}
    assert all(fp.stability == "attracting" and fp.spectral_radius == 0.0 for fp in regular)
    pairs = {tuple(np.round(perm, 12)) for perm in permutations((0.45, 0.45, 0.1))}
    centre = (round(1 / 3, 12),) * 3
    assert {tuple(np.round(fp.p, 12)) for fp in mixed} == pairs | {centre}
    for fp in mixed:
        if np.allclose(fp.p, 1 / 3):
            np.testing.assert_allclose(fp.mixing, [1 / 3] * 3, atol=1e-12)
        else:
            # The two tied actions are the two largest coordinates, mixed 1/2–1/2.
            np.testing.assert_allclose(np.sort(fp.mixing), [0.0, 0.5, 0.5], atol=1e-12)
            assert np.all((fp.mixing > 0) == (fp.p > 0.2))


def test_symmetric_softmax_coordination_centre_repels() -> None:
    # U = I, Q = 0.7·I + 0.1·J, softmax β = 8. Permuting outcomes and actions together leaves f unchanged,
    # so f(centre) = centre·Q = column means = centre. There π = 1/3 and ∂π_a/∂p_j = (β/3)(δ_aj − 1/3),
    # so ∂f_i/∂p_j = Σ_a Q[a, i] ∂π_a/∂p_j = (β/3)(Q[j, i] − 1/3); on tangent v this is
    # (β/3)Qᵀv = (β/3)·0.7·v.
    # Both eigenvalues are 8·0.7/3 = 28/15 > 1: repelling.
    world = coordination3("softmax", 8.0)
    points = find_fixed_points(world)
    assert len(points) == 7
    (centre,) = [fp for fp in points if np.allclose(fp.p, 1 / 3, atol=1e-9)]
    assert centre.stability == "repelling"
    assert centre.spectral_radius == pytest.approx(28 / 15, rel=1e-9)
    labels = sorted(fp.stability for fp in points)
    assert labels == ["attracting"] * 3 + ["repelling"] + ["saddle"] * 3
    # The set of fixed points is invariant under permuting the outcomes.
    found = [fp.p for fp in points]
    for fp in points:
        for perm in permutations(range(3)):
            assert min(np.max(np.abs(fp.p[list(perm)] - q)) for q in found) < 1e-9


def test_coordination_preset_has_three_attractors_three_saddles_one_repeller() -> None:
    points = find_fixed_points(PRESETS["coordination"].scenario.world)
    assert sorted(fp.stability for fp in points) == ["attracting"] * 3 + ["repelling"] + ["saddle"] * 3
    # Each attractor sits near "its" vertex: its largest coordinate is above 0.7.
    assert sorted(int(np.argmax(fp.p)) for fp in points if fp.stability == "attracting") == [0, 1, 2]
    assert all(fp.p.max() > 0.7 for fp in points if fp.stability == "attracting")


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 0.95))
def test_random_linear_matrix_world_has_one_attracting_fixed_point(seed: int, alpha: float) -> None:
    # f(p) = (1 − α)c + αAp with A column-stochastic: ‖Av‖₁ ≤ ‖v‖₁, so the spectral radius of αA is ≤ α < 1:
    # f is a contraction in the 1-norm, with exactly one fixed point, attracting, solving
    # (I − αA)p = (1 − α)c.
    rng = np.random.default_rng(seed)
    a = rng.dirichlet(np.ones(3), size=3).T  # columns on the simplex
    c = rng.dirichlet(np.ones(3))
    world = MatrixWorld(tuple(map(tuple, a)), tuple(c), alpha)
    points = find_fixed_points(world)
    assert len(points) == 1
    expected = np.linalg.solve(np.eye(3) - alpha * a, (1 - alpha) * c)
    np.testing.assert_allclose(points[0].p, expected, atol=1e-10)
    assert points[0].stability == "attracting"
    assert points[0].spectral_radius <= alpha + 1e-12


# --- every reported point is what it claims to be --------------------------------------------------


EXTRA_WORLDS = {
    "coordination3-best-response": coordination3(),
    "coordination3-softmax": coordination3("softmax", 8.0),
    "threshold-ramp": PolicyWorld(Q=((0.95, 0.05), (0.3, 0.7)), U=((1.0, 0.0), (0.0, 1.0)),
                                  policy="threshold",
                                  threshold=0.5, threshold_outcome=1, ramp_width=0.2),
    "threshold-3": PolicyWorld(Q=((0.7, 0.2, 0.1), (0.1, 0.3, 0.6)), U=((0, 0, 0), (0, 0, 0)),
                               policy="threshold", threshold=0.4, threshold_outcome=2),
    "logistic-decreasing": LogisticWorld(0.4, -9.0, 0.1, 0.85),
    "ramp-up": RampWorld(0.2, 0.7, 0.1, 0.9),
}
ALL_WORLDS = {name: preset.scenario.world for name, preset in PRESETS.items()} | EXTRA_WORLDS


@pytest.mark.parametrize("name", list(ALL_WORLDS))
def test_reported_fixed_points_are_fixed(name: str) -> None:
    world = ALL_WORLDS[name]
    points = find_fixed_points(world)
    assert points, "Brouwer/Kakutani: there is always a fixed point"
    for fp in points:
        assert fp.p.shape == (world.n,)
        assert fp.p.min() >= 0.0 and fp.p.sum() == pytest.approx(1.0, abs=1e-12)
        assert fp.stability in STABILITIES
        if fp.kind == "regular":
            assert np.linalg.norm(world(fp.p) - fp.p) < FIXED_TOL
        else:
            # A mixed point comes true when the human mixes with the reported weights (exploration included).
            assert fp.kind == "mixed"
            assert fp.mixing.min() >= -1e-12 and fp.mixing.sum() == pytest.approx(1.0, abs=1e-12)
            np.testing.assert_allclose(fp.mixing @ np.array(world.Q), fp.p, atol=1e-10)
    # Sorted by the first probability, descending (the documented order).
    firsts = [fp.p[0] for fp in points]
    assert firsts == sorted(firsts, reverse=True)


@pytest.mark.parametrize("name", list(ALL_WORLDS))
def test_stability_labels_match_finite_difference_eigenvalues(name: str) -> None:
    world = ALL_WORLDS[name]
    for fp in find_fixed_points(world):
        if fp.kind != "regular":
            continue
        label, moduli = fd_stability(world, fp.p)
        assert label != "unclear", f"no preset sits on the edge of stability ({moduli})"
        assert fp.stability == label
        assert fp.spectral_radius == pytest.approx(moduli.max(), rel=1e-6, abs=1e-9)


# --- agreement with the slow reference on every preset ------------------------------------------------


def _match(found, reference, tol: float) -> None:
    assert len(found) == len(reference), (
        f"{len(found)} fixed points found, the reference has {len(reference)}: "
        f"{[fp.p for fp in found]} vs {[r.p for r in reference]}"
    )
    for r in reference:
        gaps = [np.max(np.abs(fp.p - r.p)) for fp in found]
        i = int(np.argmin(gaps))
        assert gaps[i] <= tol, f"reference fixed point {r.p} is {gaps[i]:.3g} from the nearest one found"
        assert found[i].kind == r.kind


@pytest.mark.parametrize("name", list(PRESETS))
def test_fixed_points_agree_with_dense_reference(name: str) -> None:
    world = PRESETS[name].scenario.world
    _match(find_fixed_points(world), dense_fixed_points(world), 1e-8)


@pytest.mark.parametrize("name", ["threshold-ramp", "logistic-decreasing", "ramp-up",
                                  "coordination3-softmax"])
def test_fixed_points_of_other_worlds_agree_with_dense_reference(name: str) -> None:
    world = ALL_WORLDS[name]
    assert not is_step(world)
    _match(find_fixed_points(world), dense_fixed_points(world), 1e-8)


CONTINUOUS_PRESETS = [n for n, p in PRESETS.items() if not is_step(p.scenario.world)]


@pytest.mark.parametrize("name", CONTINUOUS_PRESETS)
def test_every_continuous_preset_is_certified_complete(name: str) -> None:
    # The index theorem (docs/theory.md#completeness) on the fixed points found: Σ sign det(I − Df_T) = 1,
    # with Df_T by finite differences here (reference), and no degenerate point on any preset.
    world = PRESETS[name].scenario.world
    points = [fp.p for fp in find_fixed_points(world)]
    assert fd_index_sum(world, points) == 1
    assert certify(world, points).complete


# --- the reproducers of issue 9: many close fixed points ----------------------------------------------


def equal_candidates(m: int, a: float, b: float, beta: float, epsilon: float = 0.0) -> PolicyWorld:
    """m candidates: Q = a·J + b·I (m·a + b = 1), U = I, softmax (the five-candidates preset is m = 5,
    a = 0.1, b = 0.5)."""
    q = tuple(tuple(a + b * (i == j) for j in range(m)) for i in range(m))
    u = tuple(tuple(float(i == j) for j in range(m)) for i in range(m))
    return PolicyWorld(actions=tuple(f"back {i}" for i in range(m)), Q=q, U=u, policy="softmax", beta=beta,
                       epsilon=epsilon)


def coordination4(beta: float) -> PolicyWorld:
    """The issue's four-outcome coordination game: Q = 0.1 + 0.6·I, U = diag(1, 1.05, 1.1, 1.15)."""
    q = tuple(tuple(0.1 + 0.6 * (i == j) for j in range(4)) for i in range(4))
    u = tuple(tuple((1.0 + 0.05 * i) * (i == j) for j in range(4)) for i in range(4))
    return PolicyWorld(actions=("a", "b", "c", "d"), Q=q, U=u, policy="softmax", beta=beta)


def _match_exactly(world, found, reference: list[np.ndarray], tol: float = 1e-9) -> None:
    """The same set (each reference point has exactly one found point within ``tol``), every point with the
    stability of its finite-difference eigenvalues, and the certificate holding."""
    assert len(found) == len(reference), f"{len(found)} found, the reference has {len(reference)}"
    for r in reference:
        close = [fp for fp in found if np.max(np.abs(fp.p - r)) <= tol]
        assert len(close) == 1, f"reference fixed point {r} matched {len(close)} times"
    for fp in found:
        label, moduli = fd_stability(world, fp.p)
        assert label != "unclear", moduli
        assert fp.stability == label
    assert certify(world, [fp.p for fp in found]).complete


def test_five_candidates_preset_is_the_equal_candidates_world() -> None:
    preset = PRESETS["five-candidates"].scenario.world
    assert replace(preset, actions=equal_candidates(5, 0.1, 0.5, 4.0).actions) == equal_candidates(5, 0.1, 0.5, 4.0)


@pytest.mark.parametrize(("beta", "count"), [(4.0, 1), (8.0, 11), (12.0, 31), (15.0, 31), (20.0, 31)])
def test_five_candidates_every_fixed_point(beta: float, count: int) -> None:
    # Counts from the issue (11 at β = 8, 31 at 12, 15, 20), and the whole sets from the exhaustive
    # enumeration on the symmetric subspaces (tests/core/reference.py).
    world = equal_candidates(5, 0.1, 0.5, beta)
    reference = symmetric_fixed_points(5, 0.1, 0.5, 1.0, beta)
    assert len(reference) == count
    _match_exactly(world, find_fixed_points(world), reference)


def test_five_candidates_saddles_at_beta_8() -> None:
    # The five saddles the old search missed: (0.287819, 0.178045, …) and its permutations.
    points = find_fixed_points(equal_candidates(5, 0.1, 0.5, 8.0))
    for i in range(5):
        target = np.full(5, 0.178045)
        target[i] = 0.287819
        (fp,) = [fp for fp in points if np.max(np.abs(fp.p - target)) < 1e-6]
        assert fp.stability == "saddle"
    # The centre attracts at β = 8: Df_T = β·b/m·I = 8·0.5/5·I = 0.8·I. With the five near-vertex attractors,
    # the rest are the five saddles.
    assert sorted(fp.stability for fp in points) == ["attracting"] * 6 + ["saddle"] * 5


@pytest.mark.parametrize("beta", [9.9, 10.1])
def test_five_candidates_next_to_the_branch_point_from_the_first_starts(monkeypatch: pytest.MonkeyPatch,
                                                                        beta: float) -> None:
    # At β = 10 the centre's Df_T = β·b/m·I = I: orbits of fixed points pass through the centre. Near it they sit
    # within 0.01 of the centre, where Newton from the grid runs to the centre; the scans of the segments towards
    # the tie points (lines of symmetric predictions) bracket them, so the first round finds all 31, certified,
    # without any escalation.
    import core.solve.fixed_points as module

    monkeypatch.setattr(module, "ESCALATION", ())
    world = equal_candidates(5, 0.1, 0.5, beta)
    reference = symmetric_fixed_points(5, 0.1, 0.5, 1.0, beta)
    assert len(reference) == 31
    assert sum(np.max(np.abs(r - 0.2)) < 0.01 for r in reference) >= 11
    _match_exactly(world, find_fixed_points(world), reference)


@pytest.mark.parametrize("beta", [8.0, 12.0])
def test_escalation_recovers_what_poor_starts_miss(monkeypatch: pytest.MonkeyPatch, beta: float) -> None:
    # Five equal candidates with Newton started only from the centre and one vertex: round 0 finds the
    # centre (index +1: at β = 8 all eigenvalues of Df_T are 0.8, at β = 12 all are 1.2, an even number
    # of them above 1) and the attractor near the vertex (+1); the index sum 2 ≠ 1 sends the search into
    # its escalation (deflated Newton around them and from random points), which must find the whole set.
    import core.solve.fixed_points as module

    monkeypatch.setattr(module, "_starts", lambda world, symmetries: np.vstack([np.full(5, 0.2), np.eye(5)[:1]]))
    world = equal_candidates(5, 0.1, 0.5, beta)
    alone = WorldBatch([world])
    (first_round,) = module._newton_roots(alone, [module._starts(world, np.zeros((0, 5), dtype=int))], [[]])
    assert len(first_round) == 2 and certify(world, first_round).index_sum == 2
    reference = symmetric_fixed_points(5, 0.1, 0.5, 1.0, beta)
    (found,) = module._simplex_roots(alone)
    assert len(found) == len(reference)
    assert all(min(np.max(np.abs(f - r)) for f in found) <= 1e-9 for r in reference)


@pytest.mark.parametrize(("m", "a", "b", "beta", "epsilon", "count"), [
    (6, 0.05, 0.7, 8.0, 0.0, 43),
    (6, 0.05, 0.7, 12.0, 0.0, 63),
    (5, 0.1, 0.5, 15.0, 0.1, None),
    (4, 0.2, 0.2, 30.0, 0.05, None),
    (3, 0.1, 0.7, 8.0, 0.0, 7),
])
def test_equal_candidates_every_fixed_point(m: int, a: float, b: float, beta: float, epsilon: float,
                                            count: int | None) -> None:
    # Six equal candidates at β = 12: every non-empty set of candidates that can lead ties at the top, 2⁶ − 1.
    world = equal_candidates(m, a, b, beta, epsilon)
    reference = symmetric_fixed_points(m, a, b, 1.0, beta, epsilon)
    if count is not None:
        assert len(reference) == count
    _match_exactly(world, find_fixed_points(world), reference)


def test_random_equal_candidate_worlds_every_fixed_point() -> None:
    # 60 worlds of 3–6 equal candidates with random weight b on one's own outcome, β on [0, 30] and some ε:
    # each against the exhaustive enumeration on the symmetric subspaces, with the certificate.
    rng = np.random.default_rng(5)
    for _ in range(60):
        m = int(rng.integers(3, 7))
        b = float(rng.uniform(0.2, 0.8))
        beta, epsilon = float(rng.uniform(0.0, 30.0)), float(rng.choice([0.0, 0.0, 0.1, 0.3]))
        world = equal_candidates(m, (1.0 - b) / m, b, beta, epsilon)
        found = [fp.p for fp in find_fixed_points(world)]
        reference = symmetric_fixed_points(m, (1.0 - b) / m, b, 1.0, beta, epsilon)
        assert len(found) == len(reference), (m, b, beta, epsilon)
        assert all(min(np.max(np.abs(f - r)) for f in found) <= 1e-9 for r in reference), (m, b, beta, epsilon)
        assert certify(world, found).complete


@pytest.mark.parametrize(("beta", "count"), [(8.0, 11), (12.0, 15), (20.0, 15)])
def test_four_outcome_coordination_every_fixed_point(beta: float, count: int) -> None:
    # Counts from the issue; the sets from Newton's method in the space of preferences (reference).
    world = coordination4(beta)
    reference = logit_fixed_points(world, np.random.default_rng(int(beta)))
    assert len(reference) == count
    _match_exactly(world, find_fixed_points(world), reference)
    if beta == 8.0:
        assert any(np.max(np.abs(fp.p - [0.341201, 0.160695, 0.271284, 0.226820])) < 1e-6
                   for fp in find_fixed_points(world))


# --- a seeded suite of random softmax worlds ---------------------------------------------------------


RANDOM_WORLDS = 240
CHUNK = 20


def random_softmax_world(seed: int) -> PolicyWorld:
    """3–6 outcomes; odd seeds: 2–6 actions with Dirichlet rows of Q and uniform U; even seeds: coordination
    games (each action favours its own outcome, with noise); β uniform on [0, 30]; a quarter with ε > 0."""
    rng = np.random.default_rng([9, seed])
    n = int(rng.integers(3, 7))
    if seed % 2:
        m = int(rng.integers(2, 7))
        q = rng.dirichlet(np.full(n, rng.choice([0.5, 1.0, 3.0])), size=m)
        u = rng.uniform(0.0, 1.0, size=(m, n))
    else:
        m = n
        q = 0.5 * rng.dirichlet(np.ones(n), size=m) + 0.5 * np.eye(n) * rng.uniform(0.3, 1.0, size=(n, 1))
        q = q / q.sum(axis=1, keepdims=True)
        u = np.eye(n) * rng.uniform(0.5, 1.5, size=n) + 0.3 * rng.uniform(0.0, 1.0, size=(m, n))
    epsilon = float(rng.uniform(0.0, 0.3)) if rng.random() < 0.25 else 0.0
    return PolicyWorld(actions=tuple(f"a{i}" for i in range(m)), Q=q, U=u, policy="softmax",
                       beta=float(rng.uniform(0.0, 30.0)), epsilon=epsilon)


@pytest.mark.parametrize("chunk", range(RANDOM_WORLDS // CHUNK))
def test_random_softmax_worlds_are_complete_and_match_the_reference(chunk: int) -> None:
    counts = []
    for seed in range(chunk * CHUNK, (chunk + 1) * CHUNK):
        world = random_softmax_world(seed)
        found = find_fixed_points(world)
        reference = logit_fixed_points(world, np.random.default_rng([10, seed]))
        assert fd_index_sum(world, [fp.p for fp in found]) == 1, f"seed {seed}"
        _match(found, [RefFixedPoint(r, "regular") for r in reference], 1e-8)
        for fp in found:
            label, moduli = fd_stability(world, fp.p)
            assert label in (fp.stability, "unclear"), f"seed {seed}: {fp.p} {moduli}"
        counts.append(len(found))
    # The suite is meant to include worlds with many fixed points, not only the easy unique ones.
    assert max(counts) >= 3


# --- step worlds with three and more outcomes: a dense independent check -----------------------------


def random_best_response_world(seed: int) -> PolicyWorld:
    rng = np.random.default_rng([11, seed])
    n = int(rng.integers(3, 5))
    m = int(rng.integers(2, 5))
    q = rng.dirichlet(np.ones(n), size=m)
    u = rng.uniform(0.0, 1.0, size=(m, n)) + np.eye(m, n) * (seed % 2)
    return PolicyWorld(actions=tuple(f"a{i}" for i in range(m)), Q=q, U=u,
                       epsilon=float(rng.choice([0.0, 0.1])))


STEP_WORLDS = {"coordination3-best-response": coordination3(), "threshold-3": EXTRA_WORLDS["threshold-3"]} | {
    f"random-{seed}": random_best_response_world(seed) for seed in range(8)}


@pytest.mark.parametrize("name", list(STEP_WORLDS))
def test_step_world_fixed_points_against_a_dense_grid(name: str) -> None:
    # Every fixed point of the convexified correspondence has a grid point within δ passing the reference's
    # test. So every fixed point found must have a passing grid point within δ, and every connected group of
    # passing grid points (neighbours differ by 1/k in two coordinates) must have a fixed point found
    # within δ of one of its points: a group without one would be a missed fixed point.
    world = STEP_WORLDS[name]
    k = 90 if world.n == 3 else 48
    cells, delta = step_fixed_point_cells(world, k)
    found = np.array([fp.p for fp in find_fixed_points(world)])
    assert len(found)
    l1 = np.abs(cells[:, None, :] - found[None, :, :]).sum(axis=-1)
    assert np.all(l1.min(axis=0) <= delta + 1e-12), "a fixed point found has no passing grid point near it"
    adjacent = np.abs(cells[:, None, :] - cells[None, :, :]).sum(axis=-1) <= 2.0 / k + 1e-9
    group = np.arange(len(cells))
    for _ in range(len(cells)):  # label propagation: each cell takes the smallest label among its neighbours
        new = np.where(adjacent, group[None, :], len(cells)).min(axis=1)
        if np.array_equal(new, group):
            break
        group = new
    for g in np.unique(group):
        assert l1[group == g].min() <= delta + 1e-12, f"passing grid points {cells[group == g][:3]} hold no fixed point"


# --- the batched search: many worlds at once, each with exactly its own search's points -------------------


def _same_points(batch, alone, tol: float = 1e-12) -> None:
    """The batch's points of one world are the world's own search's: the same count, each within ``tol``, with
    the same stability, spectral radius and mixing."""
    assert len(batch) == len(alone)
    for fp in alone:
        (twin,) = [b for b in batch if np.max(np.abs(b.p - fp.p)) <= tol]
        assert (twin.kind, twin.stability) == (fp.kind, fp.stability)
        assert twin.spectral_radius == pytest.approx(fp.spectral_radius, rel=1e-9)
        if fp.mixing is not None:
            np.testing.assert_allclose(twin.mixing, fp.mixing, atol=1e-12)


@pytest.mark.parametrize(("epsilon", "betas"), [
    (0.0, (9.8, 10.25, 10.5, 11.0, 11.5, 12.0)),  # 31 fixed points, the last ten pairs born at β ≈ 9.698
    (0.1, (8.0, 10.5, 12.0, 13.0, 15.0)),  # the centre changes stability at β = 5 / (0.5 · 0.9) ≈ 11.1
])
def test_batched_search_of_five_candidates_is_each_world_s_own(epsilon: float, betas: tuple[float, ...]) -> None:
    # The exhaustive enumeration on the symmetric subspaces (tests/core/reference.py) gives each world's set.
    worlds = [equal_candidates(5, 0.1, 0.5, beta, epsilon) for beta in betas]
    for world, found in zip(worlds, find_fixed_points_batch(worlds)):
        _match_exactly(world, found, symmetric_fixed_points(5, 0.1, 0.5, 1.0, world.beta, epsilon))
        _same_points(found, find_fixed_points(world))


def test_batched_search_along_beta_of_three_outcomes_with_exploration() -> None:
    # The coordination preset with ε = 0.05 from one fixed point (β = 2) to seven (β = 15); each world's set from
    # Newton's method in the space of preferences (reference).
    base = PRESETS["coordination"].scenario.world
    worlds = [replace(base, beta=beta, epsilon=0.05) for beta in (2.0, 4.5, 5.5, 8.0, 15.0)]
    counts = []
    for k, (world, found) in enumerate(zip(worlds, find_fixed_points_batch(worlds))):
        _match_exactly(world, found, logit_fixed_points(world, np.random.default_rng(k)))
        _same_points(found, find_fixed_points(world))
        counts.append(len(found))
    assert counts[0] == 1 and counts[-1] == 7


def test_batched_escalation_is_each_world_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # With Newton started only from the centre and one vertex (see the escalation test above), every world of the
    # batch escalates on its own, drawing the random starts its own search would draw.
    import core.solve.fixed_points as module

    monkeypatch.setattr(module, "_starts", lambda world, symmetries: np.vstack([np.full(5, 0.2), np.eye(5)[:1]]))
    worlds = [equal_candidates(5, 0.1, 0.5, beta) for beta in (4.0, 8.0, 12.0)]
    for world, found in zip(worlds, find_fixed_points_batch(worlds)):
        reference = symmetric_fixed_points(5, 0.1, 0.5, 1.0, world.beta)
        assert len(found) == len(reference)
        assert all(min(np.max(np.abs(f.p - r)) for f in found) <= 1e-9 for r in reference)
        _same_points(found, find_fixed_points(world))


@pytest.mark.parametrize("worlds", [
    # A threshold ramp narrowing to a hard step (support enumeration at width 0), three outcomes.
    [replace(EXTRA_WORLDS["threshold-3"], ramp_width=w) for w in (0.0, 0.05, 0.2)],
    [MatrixWorld(alpha=a) for a in (0.0, 0.5, 0.95)],
    [LogisticWorld(steepness=k) for k in (2.0, 8.0, 30.0)],
    # Worlds that differ in Q: evaluated one by one inside the batch.
    [replace(PRESETS["route-choice"].scenario.world, Q=((q, 0.1, 0.9 - q), (0.1, 0.6, 0.3), (0.05, 0.05, 0.9)))
     for q in (0.3, 0.6, 0.8)],
], ids=["threshold ramp", "matrix", "logistic", "entries of Q"])
def test_batched_search_of_other_families_is_each_world_s_own(worlds: list) -> None:
    for world, found in zip(worlds, find_fixed_points_batch(worlds)):
        _same_points(found, find_fixed_points(world))
        if not is_step(world):
            assert certify(world, [fp.p for fp in found]).complete
    with pytest.raises(ValueError, match="one kind"):
        find_fixed_points_batch([worlds[0], LinearWorld()])
