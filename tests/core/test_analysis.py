"""Tests of core.analysis: honest optima among fixed points, and the JSON report.

docs/theory.md#best-fixed-points: among fixed points, the honest predictor picks the one with the highest G(p) = S(p, p),
which is always an extreme fixed point (G is convex, so its maximum over a finite set is attained at
an extreme point of the set's convex hull, and with G strictly convex only there); the human prefers
the one with the highest expected utility (ties broken by the score, as the README documents).
"""

from __future__ import annotations

import json
from itertools import combinations

import numpy as np
import pytest
from scipy.optimize import linprog

from core.analysis import analyze
from core.solve.bounds import theorem_bounds
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import LinearWorld, PolicyWorld

STABILITIES = {"attracting", "repelling", "saddle", "neutral"}


def hand_entropy(rule: ScoringRule, p: np.ndarray) -> float:
    """G(p) = S(p, p) written out for the rules the presets use."""
    if rule.kind == "log":
        nz = p[p > 0]
        return float(np.sum(nz * np.log(nz)))
    if rule.kind == "quadratic":
        return float(np.sum(p * p))  # Σ p_ω(2p_ω − ‖p‖²) = ‖p‖²
    if rule.kind == "exponential":
        return float(np.exp(rule.param * p[0]) / rule.param)
    raise AssertionError(f"no hand formula for {rule.kind}")


def is_extreme(p: np.ndarray, others: list[np.ndarray]) -> bool:
    """Whether p is not a convex combination of the other points (an LP feasibility problem)."""
    others = [q for q in others if np.max(np.abs(q - p)) > 1e-9]
    if not others:
        return True
    pts = np.array(others).T  # (n, k)
    res = linprog(np.zeros(pts.shape[1]), A_eq=np.vstack([pts, np.ones(pts.shape[1])]),
                  b_eq=np.append(p, 1.0), bounds=[(0, None)] * pts.shape[1], method="highs")
    return res.status != 0  # infeasible: not in the hull


def coordination3(policy: str, q_diag=(0.8, 0.8, 0.8), beta: float = 8.0) -> PolicyWorld:
    q = tuple(tuple(q_diag[i] if i == j else (1 - q_diag[i]) / 2 for j in range(3)) for i in range(3))
    eye = tuple(tuple(1.0 if i == j else 0.0 for j in range(3)) for i in range(3))
    return PolicyWorld(actions=("a", "b", "c"), Q=q, U=eye, policy=policy, beta=beta)


# --- honest optima -----------------------------------------------------------------------------------


def test_bank_run_honest_optimum_is_an_extreme_fixed_point() -> None:
    # Fixed points x_high, 1/2, x_low = 1 − x_high (test_fixed_points). Log rule:
    # G(x) = x ln x + (1 − x) ln(1 − x) is symmetric about 1/2 and smallest there (G(1/2) = −ln 2), so the
    # two outer points tie for the best score and the middle one is worst.
    analysis = analyze(PRESETS["bank-run"].scenario)
    xs = [fp.p[0] for fp in analysis.fixed_points]
    expected = [x * np.log(x) + (1 - x) * np.log(1 - x) for x in xs]
    np.testing.assert_allclose(analysis.scores, expected, rtol=1e-12)
    assert analysis.scores[1] == pytest.approx(-np.log(2), rel=1e-12)
    assert analysis.scores[0] == pytest.approx(analysis.scores[2], rel=1e-12)
    assert analysis.best_by_score in (0, 2)
    assert analysis.human_utilities is None and analysis.best_for_human is None


@pytest.mark.parametrize("name", list(PRESETS))
def test_best_fixed_point_by_score_is_extreme(name: str) -> None:
    scenario = PRESETS[name].scenario
    analysis = analyze(scenario)
    points = [fp.p for fp in analysis.fixed_points]
    np.testing.assert_allclose(analysis.scores, [hand_entropy(scenario.rule, p) for p in points], rtol=1e-12,
                               atol=1e-12)
    best = analysis.best_by_score
    assert analysis.scores[best] == pytest.approx(analysis.scores.max(), abs=1e-12)
    # Every fixed point with the top score (not only the one picked) is an extreme point of the set.
    for i, p in enumerate(points):
        if analysis.scores[i] >= analysis.scores.max() - 1e-12:
            assert is_extreme(p, points), f"{p} scores best but lies inside the hull of the others"


def test_best_fixed_points_are_extreme_along_a_line() -> None:
    # docs/theory.md#best-fixed-points: "if p is a fixed point, all fixed points on one side of it have higher G" — on a line,
    # G is convex, so for three collinear fixed points the middle one never scores best. The
    # three-outcome threshold world's fixed points (0.7, 0.2, 0.1), (0.34, 0.26, 0.4) and (0.1, 0.3, 0.6)
    # are collinear (the middle is 0.4·first + 0.6·last).
    world = PolicyWorld(Q=((0.7, 0.2, 0.1), (0.1, 0.3, 0.6)), U=((0, 0, 0), (0, 0, 0)), policy="threshold",
                        threshold=0.4, threshold_outcome=2)
    for rule in (ScoringRule("log"), ScoringRule("quadratic"), ScoringRule("spherical")):
        analysis = analyze(Scenario(("x", "y", "z"), world, rule))
        assert len(analysis.fixed_points) == 3
        assert analysis.best_by_score in (0, 2)
        assert analysis.scores[1] < min(analysis.scores[0], analysis.scores[2])


def test_honest_optima_of_the_decision_examples() -> None:
    # decision-example: fixed points x = 1/2 (action 2 only), 5/12 (even split), 1/3 (action 1 only).
    # The human's utility is P(good): 1/2, 5/12, 1/3, so the human prefers x = 1/2. Log rule:
    # G(1/3) = (1/3)ln(1/3) + (2/3)ln(2/3) = −0.6365 > G(5/12) = −0.6792 > G(1/2) = −0.6931: the honest
    # predictor picks 1/3, the most extreme.
    analysis = analyze(PRESETS["decision-example"].scenario)
    np.testing.assert_allclose(analysis.human_utilities, [1 / 2, 5 / 12, 1 / 3], atol=1e-12)
    assert analysis.best_for_human == 0
    assert analysis.best_by_score == 2
    assert analysis.scores[2] == pytest.approx(np.log(1 / 3) / 3 + 2 * np.log(2 / 3) / 3, abs=1e-12)
    # decision-three: ends 0.6 (treatment C) and 0.2 (A), even split 1.3/3. Utilities 0.6, 1.3/3, 0.2: the
    # human wants C. G is largest at the end farthest from 1/2: 0.2 (A), as the preset's story says.
    analysis = analyze(PRESETS["decision-three"].scenario)
    np.testing.assert_allclose(analysis.human_utilities, [0.6, 1.3 / 3, 0.2], atol=1e-12)
    assert analysis.best_for_human == 0
    assert analysis.best_by_score == 2


def test_self_defeating_human_utility_by_hand() -> None:
    # One fixed point, mixing 1/2–1/2. Driving pays 1 only on a clear road: 0.9·0 + 0.1·1 = 0.1; the train
    # pays 1/2. Expected utility (0.1 + 0.5)/2 = 0.3. Quadratic G(1/2, 1/2) = 1/2.
    analysis = analyze(PRESETS["self-defeating"].scenario)
    assert analysis.human_utilities == pytest.approx([0.3], abs=1e-12)
    assert analysis.scores == pytest.approx([0.5], abs=1e-12)
    assert analysis.best_for_human == analysis.best_by_score == 0
    # p̂ sits on the tie P(jam) = 1/2 too (reporting 1/2 makes it come true): the same mixing and utility.
    assert analysis.optimum.p[0] == pytest.approx(0.5, abs=1e-9)
    np.testing.assert_allclose(analysis.optimum_mixing, [0.5, 0.5], atol=1e-12)
    assert analysis.optimum_human_utility == pytest.approx(0.3, abs=1e-12)


def test_for_human_differs_from_by_score_when_utilities_differ() -> None:
    # Best response, U = I, rows with diagonals 0.9, 0.8, 0.6: each row is a regular fixed point (its
    # largest entry is its own outcome) where the human takes that action for sure, with utility Q[a, a]:
    # 0.9, 0.8, 0.6. The mixed points mix rows, so their utility is a mixture of these, below 0.9: the
    # human's best is row 1. Under the quadratic rule G = ‖p‖² is convex, so no mixture beats the best row,
    # G(row 1) = 0.81 + 2·0.05² = 0.815: the honest predictor agrees here.
    world = coordination3("best_response", (0.9, 0.8, 0.6))
    analysis = analyze(Scenario(("x", "y", "z"), world, ScoringRule("quadratic")))
    best = analysis.fixed_points[analysis.best_for_human]
    np.testing.assert_allclose(best.p, [0.9, 0.05, 0.05], atol=1e-12)
    assert analysis.human_utilities.max() == pytest.approx(0.9, abs=1e-12)
    assert analysis.scores[analysis.best_by_score] == pytest.approx(0.815, abs=1e-12)
    # Now the human likes outcome z three times as much (U = diag(1, 1, 3)). Preferences at the rows:
    # (0.9, 0.05, 0.15), (0.1, 0.8, 0.3), (0.2, 0.2, 1.8): each row still picks its own action, so the rows
    # stay regular fixed points, with utilities 0.9, 0.8 and 3·0.6 = 1.8. The human now wants row 3, the
    # honest predictor still the sharpest row (0.9, 0.05, 0.05).
    u = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 3.0))
    world = PolicyWorld(actions=world.actions, Q=world.Q, U=u)
    analysis = analyze(Scenario(("x", "y", "z"), world, ScoringRule("quadratic")))
    for_human = analysis.fixed_points[analysis.best_for_human].p
    by_score = analysis.fixed_points[analysis.best_by_score].p
    np.testing.assert_allclose(for_human, [0.2, 0.2, 0.6], atol=1e-12)
    np.testing.assert_allclose(by_score, [0.9, 0.05, 0.05], atol=1e-12)
    assert analysis.human_utilities[analysis.best_for_human] == pytest.approx(1.8, abs=1e-12)


def test_human_ties_are_broken_by_score() -> None:
    # Symmetric softmax coordination: at any p the human's expected utility is Σ_a π_a Q[a, a]U[a, a]
    # = 0.8 Σ_a π_a = 0.8, so all seven fixed points tie for the human; the tie goes to the best score.
    analysis = analyze(Scenario(("x", "y", "z"), coordination3("softmax"), ScoringRule("quadratic")))
    np.testing.assert_allclose(analysis.human_utilities, 0.8, atol=1e-12)
    assert analysis.scores[analysis.best_for_human] == pytest.approx(analysis.scores.max(), abs=1e-12)


# --- the other figures of the analysis ----------------------------------------------------------------


def test_notebook_analysis_by_hand() -> None:
    # docs/theory.md#worked-example: p̂ = 1/8, f(p̂) = 7/32, inaccuracy 3/32 = 0.09375; the fixed point is 1/4, so p̂ is 1/8 from
    # it; bounds L/2 = 1/8 and L/(1 − L)/2 = 1/6.
    analysis = analyze(PRESETS["notebook-quadratic"].scenario)
    assert analysis.inaccuracy == pytest.approx(0.09375, abs=1e-7)
    assert analysis.distance_to_fixed_point == pytest.approx(0.125, abs=1e-7)
    assert analysis.bounds.inaccuracy == pytest.approx(0.125, rel=1e-9)
    assert analysis.bounds.distance_to_fixed_point == pytest.approx(1 / 6, rel=1e-9)


@pytest.mark.parametrize("name", list(PRESETS))
def test_inaccuracy_and_distance_follow_their_definitions(name: str) -> None:
    # Two outcomes: gaps in the first probability; more: Euclidean norms (docs/theory.md#conventions; the Brier bound's norm).
    analysis = analyze(PRESETS[name].scenario)
    opt = analysis.optimum

    def dist(a: np.ndarray, b: np.ndarray) -> float:
        return abs(a[0] - b[0]) if len(a) == 2 else float(np.sqrt(np.sum((a - b) ** 2)))

    assert analysis.inaccuracy == pytest.approx(dist(opt.p, opt.f), abs=1e-15)
    nearest = min(dist(opt.p, fp.p) for fp in analysis.fixed_points)
    assert analysis.distance_to_fixed_point == pytest.approx(nearest, abs=1e-15)


# --- the JSON report ---------------------------------------------------------------------------------------


def _walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)
    else:
        yield value


def _check_report(scenario: Scenario) -> dict:
    analysis = analyze(scenario)
    report = analysis.report()
    text = json.dumps(report, allow_nan=False)  # raises on nan/inf floats
    assert json.loads(text) == report
    assert "nan" not in list(_walk(report)), "a nan in the report means a quantity was not computed"
    names = list(scenario.outcomes)

    def as_array(dist: dict) -> np.ndarray:
        assert list(dist) == names
        return np.array([dist[k] for k in names])

    assert len(report["fixed_points"]) == len(analysis.fixed_points)
    for entry, fp, score in zip(report["fixed_points"], analysis.fixed_points, analysis.scores):
        assert {"p", "stability", "kind", "score", "human_utility"} <= set(entry)
        np.testing.assert_allclose(as_array(entry["p"]), fp.p, rtol=1e-11, atol=1e-15)
        assert entry["stability"] == fp.stability and entry["stability"] in STABILITIES
        assert entry["kind"] == fp.kind and entry["kind"] in {"regular", "mixed"}
        assert entry["score"] == pytest.approx(score, rel=1e-11)
        if analysis.human_utilities is None:
            assert entry["human_utility"] is None
        else:
            assert isinstance(entry["human_utility"], float)
    opt = report["performative_optimum"]
    assert {"p", "f", "score", "inaccuracy", "distance_to_fixed_point"} <= set(opt)
    np.testing.assert_allclose(as_array(opt["p"]), analysis.optimum.p, rtol=1e-11, atol=1e-15)
    np.testing.assert_allclose(as_array(opt["f"]), analysis.optimum.f, rtol=1e-11, atol=1e-15)
    assert opt["score"] == pytest.approx(analysis.optimum.score, rel=1e-11)
    assert opt["inaccuracy"] == pytest.approx(analysis.inaccuracy, rel=1e-11, abs=1e-15)
    assert opt["distance_to_fixed_point"] == pytest.approx(analysis.distance_to_fixed_point, rel=1e-11,
                                                           abs=1e-15)
    # The human at p̂: straight from the world (π(· | p̂) and Σ_a π_a Σ_ω Q[a, ω] U[a, ω]), null without a policy.
    world = scenario.world
    if isinstance(world, PolicyWorld):
        pi = world.action_probs(analysis.optimum.p)
        utility = float(np.sum(pi[:, None] * np.array(world.Q) * np.array(world.U)))
        assert opt["human_utility"] == pytest.approx(utility, rel=1e-11, abs=1e-15)
        assert list(opt["mixing"]) == list(world.actions)
        np.testing.assert_allclose(list(opt["mixing"].values()), pi, rtol=1e-11, atol=1e-15)
    else:
        assert opt["human_utility"] is None and opt["mixing"] is None
    # Bounds: null exactly where no theorem applies.
    if theorem_bounds(scenario.world, scenario.rule) is None:
        assert report["bounds"] is None
    else:
        assert report["bounds"]["inaccuracy"] == pytest.approx(analysis.bounds.inaccuracy, rel=1e-11)
    honest = report["honest_optimum"]
    assert set(honest) == {"by_score", "for_human"}
    by_score = honest["by_score"]
    assert by_score["index"] == analysis.best_by_score
    picked = analysis.fixed_points[by_score["index"]].p
    np.testing.assert_allclose(as_array(by_score["p"]), picked, rtol=1e-11)
    if analysis.best_for_human is None:
        assert honest["for_human"] is None
    else:
        assert honest["for_human"]["index"] == analysis.best_for_human
    # The certificate: the index sum over the reported regular points (null for step worlds), complete
    # exactly when it is 1 with no degenerate point.
    cert = report["certificate"]
    assert set(cert) == {"method", "index_sum", "complete", "degenerate"}
    if scenario.world.is_step:
        assert cert == {"method": "support enumeration", "index_sum": None, "complete": True, "degenerate": []}
    else:
        assert cert["method"] == "index theorem"
        assert cert["complete"] == (cert["index_sum"] == 1 and not cert["degenerate"])
    return report


@pytest.mark.parametrize("name", list(PRESETS))
def test_report_is_json_with_the_documented_fields(name: str) -> None:
    _check_report(PRESETS[name].scenario)


def test_report_of_the_notebook_by_hand() -> None:
    report = _check_report(PRESETS["notebook-quadratic"].scenario)
    assert report["performative_optimum"]["p"]["event"] == pytest.approx(0.125, abs=1e-7)
    assert report["performative_optimum"]["inaccuracy"] == pytest.approx(0.09375, abs=1e-7)
    assert report["bounds"]["inaccuracy"] == pytest.approx(0.125, rel=1e-9)
    assert report["fixed_points"][0]["human_utility"] is None
    assert report["honest_optimum"]["for_human"] is None


@pytest.mark.parametrize(
    "scenario",
    [
        # A constant world under a rule with sup|g/g′| = ∞: the bounds are 0, not nan (test_bounds).
        Scenario(("a", "b"), LinearWorld(0.3, 0.0), ScoringRule("pseudospherical", 3.0)),
        # Mixed fixed points have an infinite spectral radius and the step world has no bounds.
        PRESETS["self-defeating"].scenario,
        # A supremum that is not attained.
        Scenario(("a", "b"), PolicyWorld(Q=((0.9, 0.1), (0.1, 0.9)), policy="threshold", threshold=0.7),
                 ScoringRule("quadratic")),
    ],
    ids=["constant-unbounded", "mixed", "not-attained"],
)
def test_report_edge_cases_stay_valid_json(scenario: Scenario) -> None:
    report = _check_report(scenario)
    if scenario.world == PRESETS["self-defeating"].scenario.world:
        assert report["fixed_points"][0]["spectral_radius"] == "inf"
        assert report["bounds"] is None
    if isinstance(scenario.world, PolicyWorld) and scenario.world.policy == "threshold":
        assert report["performative_optimum"]["attained"] is False
        # The reported f is the limit beside the jump (0.9), not f at the report (0.5).
        assert report["performative_optimum"]["f"]["a"] == pytest.approx(0.9, abs=1e-12)


def test_extreme_point_check_is_not_vacuous() -> None:
    # The LP check used above must tell a point of the hull from an extreme one.
    square = [np.array(v, dtype=float) for v in ((1, 0, 0), (0, 1, 0), (0, 0, 1))]
    assert all(is_extreme(p, square) for p in square)
    assert not is_extreme(np.ones(3) / 3, square)
    for a, b in combinations(square, 2):
        assert not is_extreme((a + b) / 2, [a, b])


def test_report_certificate_of_a_degenerate_world() -> None:
    # U = I, Q = 0.7 I + 0.1 J, softmax at β = 3/0.7: the centre's double eigenvalue β·0.7/3 is exactly 1
    # (a branch point): the certificate is withheld and the centre listed as degenerate.
    world = coordination3("softmax", q_diag=(0.8, 0.8, 0.8), beta=3.0 / 0.7)
    report = _check_report(Scenario(("a", "b", "c"), world, ScoringRule("quadratic")))
    cert = report["certificate"]
    assert cert["complete"] is False
    assert [list(d.values()) for d in cert["degenerate"]] == [pytest.approx([1 / 3] * 3, abs=1e-9)]
