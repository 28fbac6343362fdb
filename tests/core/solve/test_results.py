"""Tests of core.solve.results: stability read from tangent Jacobians whose eigenvalues are known by hand."""

from __future__ import annotations

import numpy as np
import pytest

from core.solve.results import NEUTRAL_TOL, classify, classify_batch


def rotation(radius: float, angle: float) -> np.ndarray:
    """radius × a rotation: eigenvalues radius·e^{±i·angle}, both of modulus ``radius``."""
    c, s = np.cos(angle), np.sin(angle)
    return radius * np.array([[c, -s], [s, c]])


CASES = [
    (np.diag([0.5, -0.2]), "attracting", 0.5),
    (np.diag([2.0, -3.0]), "repelling", 3.0),
    (np.diag([0.5, 2.0]), "saddle", 2.0),
    (np.diag([1.0, 0.5]), "neutral", 1.0),
    (np.diag([-1.0 + NEUTRAL_TOL / 2, 0.3]), "neutral", 1.0 - NEUTRAL_TOL / 2),
    (rotation(0.9, 1.0), "attracting", 0.9),  # a complex pair inside the unit circle
    (rotation(1.2, 2.0), "repelling", 1.2),
    (np.array([[0.5, 7.0], [0.0, 0.25]]), "attracting", 0.5),  # triangular: eigenvalues on the diagonal
]


def test_stabilities_of_a_batch_by_hand() -> None:
    labels, rho = classify_batch(np.stack([jac for jac, _, _ in CASES]))
    assert list(labels) == [label for _, label, _ in CASES]
    np.testing.assert_allclose(rho, [r for _, _, r in CASES], rtol=1e-12)


@pytest.mark.parametrize(("jac", "label", "radius"), CASES)
def test_one_point_is_the_batch_of_one(jac: np.ndarray, label: str, radius: float) -> None:
    assert classify(jac) == (label, pytest.approx(radius, rel=1e-12))


def test_two_outcomes_and_an_empty_batch() -> None:
    # Two outcomes: Df_T is 1 × 1, f′ itself.
    assert classify(np.array([[-0.5]])) == ("attracting", 0.5)
    assert classify(np.array([[1.5]]))[0] == "repelling"
    labels, rho = classify_batch(np.zeros((0, 2, 2)))
    assert labels.shape == (0,) and rho.shape == (0,)
