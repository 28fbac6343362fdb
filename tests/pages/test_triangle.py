"""The three-outcome page marks the fixed points and the optimum where the core puts them."""

from __future__ import annotations

import numpy as np

from core.analysis import analyze
from core.curves import to_plane
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import PolicyWorld
from tests.pages.helpers import (
    FIXED_POINT_TRACES,
    OPTIMUM_TRACE,
    assert_metrics_show,
    figure,
    open_app,
    scenario_of,
    trace_points,
    warnings,
)


def test_coordination_markers() -> None:
    at = open_app("triangle", {"preset": "coordination"})
    expected = analyze(PRESETS["coordination"].scenario)
    fig = figure(at, "triangle")
    points = trace_points(fig, FIXED_POINT_TRACES)
    # The preset's story: three attracting fixed points, three saddles and a repelling one.
    assert len(points) == 7 == len(expected.fixed_points)
    want = np.column_stack(to_plane(np.array([fp.p for fp in expected.fixed_points])))
    np.testing.assert_allclose(sorted(map(tuple, points)), sorted(map(tuple, want)), atol=1e-9)
    stabilities = sorted(fp.stability for fp in expected.fixed_points)
    assert stabilities == ["attracting"] * 3 + ["repelling"] + ["saddle"] * 3
    for stability in ("attracting", "repelling", "saddle"):
        assert len(trace_points(fig, f"fixed point, {stability}")) == stabilities.count(stability)
    ox, oy = to_plane(expected.optimum.p)
    np.testing.assert_allclose(trace_points(fig, OPTIMUM_TRACE), [[ox, oy]], atol=1e-9)
    assert_metrics_show(at, expected)


def test_the_certificate_is_shown() -> None:
    # Coordination: seven fixed points with index sum 1 (3 attractors and the repelling centre +1 each, three
    # saddles −1 each): a quiet confirmation, no warning.
    at = open_app("triangle", {"preset": "coordination"})
    assert analyze(PRESETS["coordination"].scenario).certificate.complete
    assert any("the set of fixed points is complete" in c.value for c in at.caption)
    assert not any("may be missing" in w for w in warnings(at))


def test_a_degenerate_world_is_marked_uncertain() -> None:
    # U = I, Q = 0.1 + 0.7·I, softmax at β = 3/0.7: the centre's double eigenvalue β·0.7/3 is 1, a branch
    # point (see tests/core/solve/test_certificate.py): the page must say the count is uncertain.
    q = tuple(tuple(0.8 if i == j else 0.1 for j in range(3)) for i in range(3))
    eye = tuple(tuple(1.0 if i == j else 0.0 for j in range(3)) for i in range(3))
    scenario = Scenario(("a", "b", "c"), PolicyWorld(actions=("x", "y", "z"), Q=q, U=eye, policy="softmax",
                                                     beta=3.0 / 0.7), ScoringRule("quadratic"))
    assert not analyze(scenario).certificate.complete
    at = open_app("triangle", scenario.to_query_params())
    assert scenario_of(at) == scenario
    assert any("may be missing" in w and "degenerate" in w for w in warnings(at))
