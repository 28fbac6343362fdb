"""The three-outcome page marks the fixed points and the optimum where the core puts them."""

from __future__ import annotations

import numpy as np

from core.analysis import analyze
from core.curves import to_plane
from core.model.presets import PRESETS
from tests.pages.helpers import (
    FIXED_POINT_TRACES,
    OPTIMUM_TRACE,
    assert_metrics_show,
    figure,
    open_app,
    trace_points,
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
