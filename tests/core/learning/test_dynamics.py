"""The learning dynamics against hand-derived orbits, rest points and thresholds (docs/theory.md#performative-optimum, #learning-dynamics)."""

from __future__ import annotations

import numpy as np
import pytest

from core.learning.dynamics import FACE_FLOOR, METHODS, end_labels, repeated_prediction, simulate
from core.model.rules import ScoringRule
from core.model.simplex import binary
from core.model.worlds import LinearWorld, MatrixWorld

BRIER = ScoringRule("quadratic")
NOTEBOOK = LinearWorld(0.25, 0.25)  # docs/theory.md#performative-optimum: p* = 1/4, α = 1/4; under Brier p̂ = 0.125
P_STAR, P_HAT = 0.25, 0.125
# By hand, two outcomes, Brier: dS/dx = 4(f(x) − x), so stop-gradient ascent is x ← x + 4η(α − 1)(x − p*):
# it converges iff |1 − 4η(1 − α)| < 1, i.e. η < 1/(2(1 − α)) = 2/3 (docs/theory.md#learning-dynamics with g′ = 4).
# Full gradient ascent: Φ(x) = S(x, f(x)) has Φ″ = 8α − 4 = −2, so x ← x + ηΦ′(x) converges iff η < 2/2 = 1.
STOP_MAX, FULL_MAX = 2 / 3, 1.0
STARTS = binary(np.linspace(0.05, 0.95, 19))


def test_repeated_prediction_follows_the_linear_orbit() -> None:
    # p_t = p* + α^t (p₀ − p*) for f(p) = p* + α(p − p*).
    orbit = repeated_prediction(NOTEBOOK, binary(0.9), 8)[:, 0]
    np.testing.assert_allclose(orbit, P_STAR + 0.25 ** np.arange(9) * (0.9 - P_STAR), atol=1e-14)


def test_repeated_prediction_converges_for_a_contraction() -> None:
    run = simulate(NOTEBOOK, None, "repeated", STARTS, 0.0, 500, attractors=binary(np.array([P_STAR])))
    assert set(run.status) == {"converged"} and set(run.attractor) == {0}
    np.testing.assert_allclose(run.end[:, 0], P_STAR, atol=1e-9)
    # |p_t − p*| = α^t |p₀ − p*| falls below the step tolerance 1e-10 after about log(1e-10)/log(1/4) ≈ 17 rounds.
    assert run.steps_taken.max() <= 20



@pytest.mark.parametrize("steps", [64, 200])
def test_repeated_prediction_finds_each_orbits_smallest_period(steps: int) -> None:
    # f(p) = A p with A the cyclic shift of four outcomes rotates the coordinates: a generic start comes back after
    # 4 rounds, a start (a, b, a, b) after 2 (its smallest period, though it repeats with period 4 too), the centre
    # stays put. Three outcomes: period 3. Checked at the end of the run (64 rounds) and while it runs (every 65).
    shift4 = MatrixWorld(A=tuple(tuple(float(i == (j + 1) % 4) for j in range(4)) for i in range(4)),
                         c=(0.25,) * 4, alpha=1.0)
    starts = np.array([[0.1, 0.2, 0.3, 0.4], [0.1, 0.4, 0.1, 0.4], [0.25] * 4, [0.4, 0.3, 0.2, 0.1]])
    run = simulate(shift4, None, "repeated", starts, 0.0, steps)
    assert list(run.period) == [4, 2, 0, 4]
    assert list(run.status) == ["cycle", "cycle", "converged", "cycle"]
    shift3 = MatrixWorld(A=((0.0, 0.0, 1.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0)), c=(1 / 3,) * 3, alpha=1.0)
    run = simulate(shift3, None, "repeated", np.array([[0.5, 0.3, 0.2], [0.2, 0.2, 0.6]]), 0.0, steps)
    assert list(run.period) == [3, 3]

def test_repeated_prediction_cycles_with_period_two_on_one_minus_p() -> None:
    flip = LinearWorld(0.5, -1.0)  # f(p) = 1 − p
    starts = binary(np.array([0.1, 0.3, 0.5, 0.8]))
    run = simulate(flip, None, "repeated", starts, 0.0, 101, attractors=binary(np.array([0.5])))
    assert list(run.status) == ["cycle", "cycle", "converged", "cycle"]
    assert list(run.period) == [2, 2, 0, 2]
    # The orbit alternates p₀, 1 − p₀: ends at one of them.
    for start, end in zip(starts[:, 0], run.end[:, 0]):
        assert min(abs(end - start), abs(end - (1 - start))) < 1e-12


def test_stop_gradient_rests_at_fixed_points() -> None:
    run = simulate(NOTEBOOK, BRIER, "stop-gradient", binary(np.array([P_STAR])), 0.3, 50)
    assert run.status[0] == "converged" and run.steps_taken[0] == 1
    assert run.end[0, 0] == pytest.approx(P_STAR, abs=1e-15)
    world, p_star, _ = linear_three()
    run = simulate(world, BRIER, "stop-gradient", p_star[None], 0.3, 50)
    assert run.status[0] == "converged" and run.steps_taken[0] == 1
    np.testing.assert_allclose(run.end[0], p_star, atol=1e-15)


def test_full_gradient_rests_at_the_optimum() -> None:
    run = simulate(NOTEBOOK, BRIER, "full-gradient", binary(np.array([P_HAT])), 0.3, 50)
    assert run.status[0] == "converged" and run.steps_taken[0] == 1
    assert run.end[0, 0] == pytest.approx(P_HAT, abs=1e-12)


@pytest.mark.parametrize(("method", "target", "threshold"), [("stop-gradient", P_STAR, STOP_MAX),
                                                             ("full-gradient", P_HAT, FULL_MAX)])
def test_both_sides_of_the_step_size_threshold_two_outcomes(method: str, target: float, threshold: float) -> None:
    starts = binary(target + np.array([-0.01, 0.01]))
    below = simulate(NOTEBOOK, BRIER, method, starts, 0.9 * threshold, 2000, attractors=binary(np.array([target])))
    assert set(below.status) == {"converged"} and set(below.attractor) == {0}
    above = simulate(NOTEBOOK, BRIER, method, starts, 1.1 * threshold, 2000, attractors=binary(np.array([target])))
    assert "converged" not in set(above.status) and set(above.attractor) == {-1}


def linear_three() -> tuple[MatrixWorld, np.ndarray, float]:
    """A cyclic linear world, its fixed point and stop-gradient's largest convergent step under Brier.

    By hand: p* = (1 − α)(I − αA)⁻¹c. Df = αA maps the tangent space to itself, where its eigenvalues are A's
    eigenvalues other than 1 (A is column-stochastic: 1ᵀA = 1ᵀ), times α. Under Brier the update's Jacobian is
    I + 4η(Df − I), with eigenvalues 1 + 4η(λ − 1); |·| < 1 iff η < (1 − Re λ)/(2|1 − λ|²).
    """
    a = np.array([[0.2, 0.1, 0.7], [0.7, 0.2, 0.1], [0.1, 0.7, 0.2]])
    c, alpha = np.array([0.5, 0.3, 0.2]), 0.9
    world = MatrixWorld(tuple(map(tuple, a)), tuple(c), alpha)
    p_star = (1 - alpha) * np.linalg.solve(np.eye(3) - alpha * a, c)
    eig = np.linalg.eigvals(a)
    lam = alpha * np.delete(eig, np.argmin(np.abs(eig - 1.0)))
    return world, p_star, float(np.min((1 - lam.real) / (2 * np.abs(1 - lam) ** 2)))


def test_both_sides_of_the_step_size_threshold_three_outcomes() -> None:
    world, p_star, threshold = linear_three()
    starts = p_star + 0.01 * np.array([[1, -1, 0], [0, 1, -1], [-1, 0, 1]])
    below = simulate(world, BRIER, "stop-gradient", starts, 0.95 * threshold, 5000, attractors=p_star[None])
    assert set(below.status) == {"converged"} and set(below.attractor) == {0}
    above = simulate(world, BRIER, "stop-gradient", starts, 1.05 * threshold, 5000, attractors=p_star[None])
    assert "converged" not in set(above.status) and set(above.attractor) == {-1}


def test_sgd_mean_path_follows_stop_gradient_ascent() -> None:
    # Brier, two outcomes: SGD's step is x ← x + 4η(1[ω = first] − x); with 4η ≤ 1 it never leaves [0, 1], so
    # no projection acts and, f being linear, E[x_{t+1}] = E[x_t] + 4η(f(E[x_t]) − E[x_t]): the mean follows
    # stop-gradient ascent exactly. Each round's mean over R runs is within a few standard errors of it.
    runs, eta, steps = 4000, 0.05, 40
    sgd = simulate(NOTEBOOK, BRIER, "sgd", np.tile(binary(0.8), (runs, 1)), eta, steps, seed=7, record=True)
    det = simulate(NOTEBOOK, BRIER, "stop-gradient", binary(np.array([0.8])), eta, steps, record=True)
    x = sgd.path[..., 0]
    standard_error = x.std(axis=1) / np.sqrt(runs)
    assert np.all(np.abs(x.mean(axis=1) - det.path[:, 0, 0]) <= 4.5 * standard_error + 1e-12)
    assert standard_error[-1] > 0  # the runs do spread


def test_random_search_climbs_to_the_optimum() -> None:
    run = simulate(NOTEBOOK, BRIER, "random-search", STARTS, 0.02, 3000, seed=3)
    # Proposals of size 0.02 around p̂ = 0.125: the runs end in its neighbourhood.
    assert np.max(np.abs(run.end[:, 0] - P_HAT)) < 0.01


@pytest.mark.parametrize("method", list(METHODS))
def test_runs_stay_on_the_simplex_and_off_the_log_rules_faces(method: str) -> None:
    world, _, _ = linear_three()
    starts = np.random.default_rng(0).dirichlet(np.ones(3) * 0.3, size=200)
    run = simulate(world, ScoringRule("log"), method, starts, 0.2, 100, seed=1, record=True)
    np.testing.assert_allclose(run.path.sum(axis=-1), 1.0, atol=1e-9)
    floor = 0.0 if method == "repeated" else FACE_FLOOR
    assert run.path.min() >= floor - 1e-12


def test_end_labels_name_every_outcome() -> None:
    flip = LinearWorld(0.5, -1.0)
    run = simulate(flip, None, "repeated", binary(np.array([0.2, 0.5])), 0.0, 50, attractors=binary(np.array([0.5])))
    assert list(end_labels(run, ["the middle"])) == ["a cycle of period 2", "the middle"]
    slow = simulate(NOTEBOOK, None, "repeated", binary(np.array([0.9])), 0.0, 3, attractors=binary(np.array([P_STAR])))
    assert list(end_labels(slow, ["p*"])) == ["still moving"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"method": "bogus"}, "method must be one of"),
    ({"steps": -1}, "steps must be"),
    ({"steps": 10**6 + 1}, "steps must be"),
    ({"step_size": 0.0}, "step size must be a positive number"),
    ({"step_size": float("nan")}, "step size must be a positive number"),
    ({"starts": np.array([[0.5, 0.6]])}, "must sum to 1"),
])
def test_bad_input_is_refused(kwargs: dict, message: str) -> None:
    args = {"method": "stop-gradient", "starts": binary(np.array([0.3])), "step_size": 0.1, "steps": 10} | kwargs
    with pytest.raises(ValueError, match=message):
        simulate(NOTEBOOK, BRIER, args["method"], args["starts"], args["step_size"], args["steps"])
