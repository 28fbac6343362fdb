"""Bifurcation diagrams against closed forms, the full fixed-point search, and the index theorem."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from core.model.presets import get_preset
from core.model.simplex import tangent_jacobian
from core.solve.fixed_points import find_fixed_points
from core.solve.optimum import performative_optimum
from core.explain import describe_diagram
from core.sweeps import sweep
from core.sweeps.diagram import check_range
from tests.core.reference import five_candidates_fold


def test_the_quadratic_optimum_along_the_slope_follows_the_closed_form() -> None:
    # docs/theory.md#performative-optimum: p̂ = (2(1 − α)p* − α)/(2 − 4α), clipped to [0, 1], for α < 1/2; f(p̂) = p* + α(p̂ − p*).
    scenario = get_preset("notebook-quadratic").scenario
    d = sweep(scenario, "world.alpha", -0.3, 0.45, 61)
    alpha, p_star = d.values, 0.25
    expected = np.clip((2 * (1 - alpha) * p_star - alpha) / (2 - 4 * alpha), 0.0, 1.0)
    assert np.allclose(d.optimum[:, 0], expected, atol=1e-9)
    assert np.allclose(d.optimum_f[:, 0], p_star + alpha * (expected - p_star), atol=1e-9)
    assert all(len(fps) == 1 and abs(fps[0].p[0] - p_star) < 1e-12 for fps in d.fixed_points)
    assert d.bifurcations == []


@pytest.mark.parametrize(("preset", "folds"), [("coordination", 3), ("five-candidates", 15)])
def test_counts_along_beta_equal_the_full_search_at_every_value(preset: str, folds: int) -> None:
    """At every sampled β the diagram holds exactly the certified search's fixed points, with their stability
    (five candidates: 1, then 11 past the five folds at β ≈ 7.129, then 31 past the ten at β ≈ 9.698)."""
    scenario = get_preset(preset).scenario
    d = sweep(scenario, "world.beta", 0.0, 20.0, 41)
    for value, fps, s in zip(d.values, d.fixed_points, [d.field.set(scenario, v) for v in d.values]):
        full = find_fixed_points(s.world)
        assert len(fps) == len(full), value
        for fp in fps:  # the same points, with the same stability
            match = min(full, key=lambda q: np.abs(q.p - fp.p).max())
            assert np.abs(match.p - fp.p).max() < 1e-8 and match.stability == fp.stability
    assert [e.kind for e in d.bifurcations].count("fold") == folds


def test_each_branch_is_traced_once() -> None:
    # Coordination along β: one fixed point at β = 0 (an indifferent human: f is the mean outcome row), then three
    # folds, each the turning point of one branch that carries the pair born there: four branches, one fold on each
    # of three. With 400 values one falls about 0.001 past the third fold (β ≈ 6.866), where a branch's crossing of it,
    # interpolated between its points, is far from the pair: the seeds there must still be found on that branch.
    d = sweep(get_preset("coordination").scenario, "world.beta", 0.0, 20.0, 400)
    assert len(d.branches) == 4
    assert sorted(sum(e.kind == "fold" for e in b.events) for b in d.branches) == [0, 1, 1, 1]


def test_five_candidates_bifurcations_and_the_index_theorem() -> None:
    scenario = get_preset("five-candidates").scenario
    d = sweep(scenario, "world.beta", 0.0, 20.0, 41)
    one, two = five_candidates_fold(1, (0.43, 7.1))[1], five_candidates_fold(2, (0.24, 9.7))[1]
    folds = [e for e in d.bifurcations if e.kind == "fold"]
    # A pair for each leader (5) and for each pair of leaders (10), all born as β grows.
    assert len(folds) == 15 and all(e.side == 1 for e in folds)
    assert sum(abs(e.value - one) < 1e-6 for e in folds) == 5
    assert sum(abs(e.value - two) < 1e-6 for e in folds) == 10
    (change,) = [e for e in d.bifurcations if e.kind == "stability"]
    assert change.value == pytest.approx(10.0, abs=1e-6) and np.allclose(change.p, 0.2)
    for value, fps in zip(d.values, d.fixed_points):
        # docs/theory.md#performative-optimum, the index theorem: Σ sign det(I − Df_T) = 1 over a complete set of nondegenerate points.
        if value in (10.0,):
            continue
        world = d.field.set(scenario, value).world
        signs = [np.sign(np.linalg.det(np.eye(4) - tangent_jacobian(world.jacobian(fp.p)))) for fp in fps]
        assert sum(signs) == 1, value
        assert len(fps) == (1 if value < one else 11 if value < two else 31)
    text = describe_diagram(d)
    assert "5 pairs of fixed points appear as world.beta grows past 7.129" in text
    assert "at world.beta = 10 the fixed point (0.2, 0.2, 0.2, 0.2, 0.2) stops attracting" in text


def test_step_worlds_are_solved_exactly_at_every_value() -> None:
    scenario = get_preset("self-defeating").scenario
    d = sweep(scenario, "world.epsilon", 0.0, 0.9, 10)
    assert d.branches == []
    for value, fps in zip(d.values, d.fixed_points):
        full = find_fixed_points(d.field.set(scenario, value).world)
        assert [fp.kind for fp in fps] == [fp.kind for fp in full]


def test_three_outcome_optimum_matches_the_global_search() -> None:
    scenario = get_preset("coordination").scenario
    d = sweep(scenario, "world.beta", 0.0, 12.0, 13)
    for k in (0, 6, 12):
        s = d.field.set(scenario, d.values[k])
        best = performative_optimum(s.world, s.rule)
        assert float(s.rule.expected(d.optimum[k], s.world(d.optimum[k]))) == pytest.approx(best.score, abs=1e-9)


def test_report_and_csv() -> None:
    d = sweep(get_preset("bank-run").scenario, "world.steepness", 1.0, 8.0, 8)
    doc = json.loads(json.dumps(d.report()))
    assert [v["value"] for v in doc["values"]] == pytest.approx(list(range(1, 9)))
    first = doc["values"][0]
    assert set(first) == {"value", "fixed_points", "optimum"}
    assert set(first["fixed_points"][0]) >= {"p", "stability"} and set(first["optimum"]) == {"p", "f", "inaccuracy"}
    (event,) = doc["bifurcations"]
    assert event["kind"] == "stability" and event["value"] == pytest.approx(4 / 0.96, abs=1e-6)
    assert event["p"] == {"run": pytest.approx(0.5), "no run": pytest.approx(0.5)}
    lines = d.to_csv().splitlines()
    assert lines[0] == "world.steepness,what,stability,P(run),P(no run)"
    assert sum("bifurcation: stability" in line for line in lines) == 1


def test_a_range_where_the_scenario_is_invalid_names_the_field() -> None:
    with pytest.raises(ValueError, match=r"^world.alpha = 1\.2: "):
        check_range(get_preset("notebook-quadratic").scenario, "world.alpha", 0.0, 1.2, 3)


def test_the_bench_suite_lists_each_sweep_beside_its_from_scratch_twin() -> None:
    from core.bench import SUITES, sweeps

    assert sweeps in SUITES
    labels = [label for label, _, _ in sweeps.cases()]
    assert len(labels) == 2 * len(sweeps.SWEEPS) + 2  # and the two maps
    assert all("from scratch" in later for later in labels[1:2 * len(sweeps.SWEEPS):2])
    assert [label.split(",")[1].strip() for label in labels[-2:]] == ["2 outcomes (inaccuracy over p*",
                                                                      "3 outcomes (inaccuracy over beta"]


def test_branches_taken_as_images_under_symmetries_are_the_branches_traced(monkeypatch: pytest.MonkeyPatch) -> None:
    # Five equal candidates: 16 branches in three orbits under the permutations of the candidates (the uniform
    # forecast, five of one leader, ten of two). Three are traced and the rest are their images; with the
    # symmetries switched off all 16 are traced. Both give the same branches (corrected at the same values), events
    # and sampled fixed points.
    import core.sweeps.diagram as module
    from core.solve.continuation import follow as real_follow, sample

    scenario = get_preset("five-candidates").scenario
    traced = []
    monkeypatch.setattr(module, "follow", lambda *a, **k: traced.append(a[2]) or real_follow(*a, **k))
    ours = sweep(scenario, "world.beta", 0.0, 20.0, 41)
    assert len(traced) == 3 and len(ours.branches) == 16
    traced.clear()
    monkeypatch.setattr(module, "common_symmetries", lambda worlds: np.zeros((0, 5), dtype=int))
    theirs = sweep(scenario, "world.beta", 0.0, 20.0, 41)
    assert len(traced) == 16 and len(theirs.branches) == 16
    family = lambda beta: replace(scenario.world, beta=beta)  # noqa: E731
    values = np.array([7.5, 9.8, 13.0, 19.5])

    def points(d):
        return [np.array([p for b in d.branches for p in sample(family, b, values[i:i + 1], 0.0, 20.0)[0]])
                for i in range(len(values))]

    for a, b in zip(points(ours), points(theirs)):
        assert len(a) == len(b) > 0
        assert all(np.min(np.max(np.abs(b - p), axis=1)) < 1e-9 for p in a)
    assert [(e.kind, round(e.value, 7)) for e in ours.bifurcations] == \
        [(e.kind, round(e.value, 7)) for e in theirs.bifurcations]
    assert all(np.min([np.max(np.abs(e.p - f.p)) for f in theirs.bifurcations]) < 1e-6 for e in ours.bifurcations)
