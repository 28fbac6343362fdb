"""Continuation: branches through folds, and bifurcations located against derivations and an independent solve."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.model.presets import get_preset
from core.model.simplex import tangent_jacobian
from core.solve.continuation import crossings, follow, image, sample
from core.solve.fixed_points import find_fixed_points
from tests.core.reference import five_candidates_fold, five_candidates_point

FIVE = get_preset("five-candidates").scenario.world


def five(beta: float):
    return replace(FIVE, beta=beta)


def test_the_uniform_forecast_of_five_candidates_stops_attracting_at_beta_10() -> None:
    # Df_T at the uniform point is 0.5 · β/5 · I = 0.1 β I (Q acts as 0.5 on the tangent space, the softmax
    # Jacobian as β/5): every eigenvalue crosses 1 at β = 10 exactly.
    branch = follow(five, np.full(5, 0.2), 4.0, 0.0, 20.0)
    assert branch.values[0] == pytest.approx(0.0, abs=1e-12) and branch.values[-1] == pytest.approx(20.0)
    assert np.allclose(branch.points, 0.2, atol=1e-12)
    (event,) = branch.events
    assert event.kind == "stability" and event.stabilities == ("attracting", "repelling")
    assert event.value == pytest.approx(10.0, abs=1e-6)


@pytest.mark.parametrize("leaders, guess", [(1, (0.43, 7.1)), (2, (0.24, 9.7))])
def test_folds_of_five_candidates_match_an_independent_solve(leaders: int, guess) -> None:
    a, beta = five_candidates_fold(leaders, guess)
    b = (1 - leaders * a) / (5 - leaders)
    fold_point = np.array([a] * leaders + [b] * (5 - leaders))
    # Start on the branch just above the fold, on the side of more decided leaders.
    start = five_candidates_point(leaders, beta + 0.05, a + 0.03)
    assert start[0] > a
    branch = follow(five, start, beta + 0.05, 0.0, 20.0)
    folds = [e for e in branch.events if e.kind == "fold"]
    assert len(folds) == 1
    assert folds[0].value == pytest.approx(beta, abs=1e-6)
    assert np.abs(folds[0].p - fold_point).max() < 1e-4
    assert folds[0].side == 1  # the pair exists above the fold
    # det(I − Df_T) vanishes there (docs/theory.md#performative-optimum: a degenerate fixed point).
    jac = tangent_jacobian(five(folds[0].value).jacobian(folds[0].p))
    assert abs(np.linalg.det(np.eye(4) - jac)) < 1e-6


def test_bank_run_pitchfork_where_the_slope_reaches_one() -> None:
    # f(x) = low + (high − low) σ(k(x − ½)): f′(½) = (high − low) k / 4 = 1 at k = 4 / 0.96.
    world = get_preset("bank-run").scenario.world
    branch = follow(lambda k: replace(world, steepness=k), np.array([0.5, 0.5]), 1.0, 1.0, 20.0)
    (event,) = branch.events
    assert event.kind == "stability" and event.value == pytest.approx(4 / 0.96, abs=1e-6)


def test_sampled_points_are_fixed_points() -> None:
    branch = follow(five, np.full(5, 0.2), 4.0, 0.0, 20.0)
    values = np.array([0.5, 10.0, 17.3])
    for value, points in zip(values, sample(five, branch, values, 0.0, 20.0)):
        assert points and all(np.linalg.norm(five(value)(p) - p) < 1e-10 for p in points)
        assert len(crossings(branch, value)[0]) >= 1


def test_a_start_off_the_branch_is_refused() -> None:
    with pytest.raises(ValueError, match="not a fixed point"):
        follow(five, np.array([0.9, 0.025, 0.025, 0.025, 0.025]), 1.0, 0.0, 20.0)


def test_the_image_of_a_branch_under_a_symmetry_is_the_branch_traced_from_the_image() -> None:
    # Five equal candidates commute with every permutation of the outcomes: the branch of one leader (a, b, b, b, b)
    # moved to the third candidate is the branch traced from (b, b, a, b, b), point for point (corrected at the same
    # values), with the same stabilities and the fold moved with it.
    a, beta = five_candidates_fold(1, (0.43, 7.1))
    start = five_candidates_point(1, beta + 0.05, a + 0.03)
    branch = follow(five, start, beta + 0.05, 0.0, 20.0)
    perm = np.array([2, 1, 0, 3, 4])
    moved = image(five, branch, perm)
    traced = follow(five, start[perm], beta + 0.05, 0.0, 20.0)
    values = np.array([7.5, 12.0, 19.0])
    for ours, theirs in zip(sample(five, moved, values, 0.0, 20.0), sample(five, traced, values, 0.0, 20.0)):
        assert len(ours) == len(theirs) >= 1
        assert all(min(np.max(np.abs(p - q)) for q in theirs) < 1e-9 for p in ours)
    (fold,) = [e for e in moved.events if e.kind == "fold"]
    (traced_fold,) = [e for e in traced.events if e.kind == "fold"]
    assert fold.value == pytest.approx(traced_fold.value, abs=1e-8)
    assert np.max(np.abs(fold.p - traced_fold.p)) < 1e-6 and fold.p[2] == pytest.approx(a, abs=1e-4)


def test_the_image_under_a_permutation_that_is_no_symmetry_is_refused() -> None:
    # Coordination with unequal payoffs: swapping two outcomes does not commute with f, so the swapped points are not
    # fixed points and no image is made.
    world = get_preset("coordination").scenario.world
    family = lambda beta: replace(world, beta=beta)  # noqa: E731
    start = find_fixed_points(family(8.0))[0].p
    branch = follow(family, start, 8.0, 0.0, 20.0)
    assert image(family, branch, np.array([1, 0, 2])) is None
