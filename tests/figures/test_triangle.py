"""The three-outcome figure (figures/triangle.py): the core's grid and field, the analysis' points, in the plane."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.curves import arrow_field, to_plane, triangle_grid
from core.model.presets import get_preset
from figures import STYLE
from figures.style import style_of
from figures.triangle import ARROW_SPAN, triangle_figure
from tests.figures.helpers import FIXED_POINT_NAMES, checked, legend, points, sorted_points, traces

FIELD_NAME = "f(p) − p (where repeated prediction goes)"


def view(preset: str, k: int = 8):
    result = analyze(get_preset(preset).scenario)
    world, rule = result.scenario.world, result.scenario.rule
    grid, arrows = triangle_grid(world, rule, resolution=30), arrow_field(world, k)
    return result, grid, arrows, checked(triangle_figure(result, grid, arrows))


@pytest.mark.parametrize("preset", ["coordination", "route-choice", "linear-three"])
def test_points_sit_where_the_analysis_puts_them(preset: str) -> None:
    result, _, _, fig = view(preset)
    want = np.column_stack(to_plane(np.array([fp.p for fp in result.fixed_points])))
    np.testing.assert_allclose(points(fig, *FIXED_POINT_NAMES), sorted_points(want), atol=1e-12)
    for fp in result.fixed_points:  # each in the trace of its own style
        assert np.any(np.all(np.isclose(points(fig, style_of(fp).name), to_plane(fp.p)), axis=1))
    opt = result.optimum
    np.testing.assert_allclose(points(fig, STYLE["optimum"].name), [to_plane(opt.p)], atol=1e-12)
    (gap,) = traces(fig, "p̂ → f(p̂)")
    np.testing.assert_allclose(np.column_stack([gap.x, gap.y]), [to_plane(opt.p), to_plane(opt.f)], atol=1e-12)
    drawn = {STYLE[k].name for k in ("attracting", "repelling", "saddle", "neutral", "mixed")
             if any(style_of(fp) is STYLE[k] for fp in result.fixed_points)}
    assert set(legend(fig)) == {"expected score", FIELD_NAME, *drawn, "p̂ → f(p̂)", STYLE["optimum"].name,
                                *([STYLE["by_score"].name, STYLE["for_human"].name]
                                  if len(result.fixed_points) > 1 else [])}


def test_heat_map_is_the_grid_of_scores() -> None:
    _, grid, _, fig = view("coordination")
    (heat,) = traces(fig, "expected score")
    np.testing.assert_array_equal(heat.x, grid.x)
    np.testing.assert_array_equal(heat.y, grid.y)
    np.testing.assert_array_equal(heat.z, grid.score.astype(np.float32))
    custom = np.asarray(heat.customdata)
    np.testing.assert_allclose(custom[..., :3], grid.p, atol=1e-6)  # float32 for the hover
    np.testing.assert_allclose(custom[..., 3:], grid.f, atol=1e-6)
    finite = grid.score[np.isfinite(grid.score)]
    assert heat.zmax == pytest.approx(finite.max())


def test_arrows_start_at_the_field_points_and_point_to_f() -> None:
    k = 8
    _, _, arrows, fig = view("coordination", k)
    (trace,) = traces(fig, FIELD_NAME)
    xy = np.column_stack([trace.x, trace.y]).reshape(-1, 3, 2)  # start, end, NaN break
    assert np.isnan(xy[:, 2]).all()
    start = np.column_stack(to_plane(arrows.points))
    target = np.column_stack(to_plane(arrows.images))
    np.testing.assert_allclose(xy[:, 0], start, atol=1e-12)
    step, full = xy[:, 1] - start, target - start
    # Each arrow points along f(p) − p, all shortened by one factor, the longest to ARROW_SPAN of a cell.
    scale = np.linalg.norm(step, axis=1).max() / np.linalg.norm(full, axis=1).max()
    np.testing.assert_allclose(step, scale * full, atol=1e-12)
    assert np.linalg.norm(step, axis=1).max() == pytest.approx(ARROW_SPAN / k)
