"""The two-outcome page shows the numbers of docs/theory.md#worked-example, and follows the slope slider."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import LinearWorld
from tests.pages.helpers import (
    BOUND,
    FIXED_POINT_TRACES,
    INACCURACY,
    OPTIMUM_TRACE,
    approx_display,
    assert_metrics_show,
    figure,
    metric,
    open_app,
    params_of,
    rerun,
    scenario_of,
    trace_points,
    warnings,
)

NOTEBOOK = "notebook-quadratic"


def quadratic_linear_optimum(p_star: float, alpha: float) -> float:
    """docs/theory.md#worked-example: p̂ = (2(1−α)p* − α)/(2 − 4α), clipped to [0, 1], for the quadratic rule and α < 1/2."""
    assert alpha < 0.5
    return float(np.clip((2 * (1 - alpha) * p_star - alpha) / (2 - 4 * alpha), 0.0, 1.0))


def linear(p_star: float, alpha: float, x: float) -> float:
    return p_star + alpha * (x - p_star)


def slider(at, label: str):
    found = [s for s in at.sidebar.slider if s.label == label]
    assert len(found) == 1, [s.label for s in at.sidebar.slider]
    return found[0]


def test_worked_example_numbers() -> None:
    at = open_app("binary", {"preset": NOTEBOOK})
    # docs/theory.md#worked-example: p* = α = 1/4 gives p̂ = 0.125, f(p̂) = 0.21875, inaccuracy 0.09375 <= L/2 = 0.125.
    p_hat = quadratic_linear_optimum(0.25, 0.25)
    f_hat = linear(0.25, 0.25, p_hat)
    assert (p_hat, f_hat) == (0.125, 0.21875)
    assert metric(at, INACCURACY) == approx_display(f_hat - p_hat) == approx_display(0.09375)
    assert metric(at, BOUND) == approx_display(0.25 / 2)
    fig = figure(at, "map")
    np.testing.assert_allclose(trace_points(fig, OPTIMUM_TRACE), [[p_hat, f_hat]], atol=1e-6)
    np.testing.assert_allclose(trace_points(fig, FIXED_POINT_TRACES), [[0.25, 0.25]], atol=1e-9)
    # The fixed point of a slope-1/4 world attracts: it is drawn in the attracting trace.
    np.testing.assert_allclose(trace_points(fig, "fixed point, attracting"), [[0.25, 0.25]], atol=1e-9)


@pytest.mark.parametrize("alpha", [0.1, -0.3, 0.4])  # 0.4: the unclipped formula gives -0.25, so p̂ = 0
def test_slope_slider_moves_the_numbers(alpha: float) -> None:
    at = open_app("binary", {"preset": NOTEBOOK})
    before = PRESETS[NOTEBOOK].scenario
    widget = slider(at, "slope α")
    assert re.fullmatch(r"editor\d+:linear:2:alpha", widget.key)
    widget.set_value(alpha)
    rerun(at)

    edited = replace(before, world=LinearWorld(before.world.p_star, alpha))
    assert scenario_of(at) == edited
    expected = analyze(edited)
    assert_metrics_show(at, expected)
    # The closed form agrees with the core, and with the page.
    p_hat = quadratic_linear_optimum(0.25, alpha)
    f_hat = linear(0.25, alpha, p_hat)
    assert expected.optimum.p[0] == pytest.approx(p_hat, abs=1e-6)
    assert metric(at, INACCURACY) == approx_display(abs(f_hat - p_hat))
    assert metric(at, BOUND) == approx_display(abs(alpha) / 2)  # L = |α|, sup|g/g′| = 1/2
    fig = figure(at, "map")
    np.testing.assert_allclose(trace_points(fig, OPTIMUM_TRACE), [[expected.optimum.p[0], expected.optimum.f[0]]],
                               atol=1e-12)
    np.testing.assert_allclose(trace_points(fig, OPTIMUM_TRACE), [[p_hat, f_hat]], atol=1e-6)
    np.testing.assert_allclose(trace_points(fig, FIXED_POINT_TRACES), [[0.25, 0.25]], atol=1e-9)
    assert params_of(at)["alpha"] == repr(alpha)


def test_cobweb_follows_the_link() -> None:
    at = open_app("binary", {"preset": NOTEBOOK, "start": "0.3", "steps": "5"})
    assert not warnings(at)
    assert at.slider(key="cobweb_start").value == 0.3
    assert at.slider(key="cobweb_steps").value == 5
    fig = figure(at, "cobweb")
    path = next(t for t in fig["data"] if t["name"].startswith("repeated prediction"))
    orbit = trace_points({"data": [path]}, path["name"])[::2, 0]
    # Repeated prediction in a linear world: p_t = p* + α^t (p_0 − p*).
    np.testing.assert_allclose(orbit, 0.25 + 0.25 ** np.arange(6) * (0.3 - 0.25), atol=1e-12)
    assert params_of(at)["start"] == "0.3" and params_of(at)["steps"] == "5"


@pytest.mark.parametrize("bad", [{"start": "abc"}, {"start": "5"}, {"start": "-0.1"}, {"start": "nan"},
                                 {"steps": "x"}, {"steps": "0"}, {"steps": "1000"}, {"steps": "2.5"}])
def test_bad_cobweb_link_warns_and_uses_the_default(bad: dict[str, str]) -> None:
    baseline = open_app("binary", {"preset": NOTEBOOK})
    at = open_app("binary", {"preset": NOTEBOOK, **bad})  # no exception
    (key, text), = bad.items()
    found = warnings(at)
    assert len(found) == 1 and f"'{key}'" in found[0] and repr(text) in found[0]
    widget = {"start": "cobweb_start", "steps": "cobweb_steps"}[key]
    assert at.slider(key=widget).value == baseline.slider(key=widget).value
    assert params_of(at) == params_of(baseline)
    # Warned once: the next run is quiet.
    assert not warnings(rerun(at))


def test_mismatched_page_offers_an_example() -> None:
    at = open_app("binary", {"preset": "coordination"})
    assert any(w.startswith("This page shows scenarios with 2 outcomes") for w in warnings(at))
    at.button(key="load_example").click()
    rerun(at)
    assert scenario_of(at).n == 2
    assert not warnings(at)
    assert_metrics_show(at, analyze(scenario_of(at)))


def test_rule_change_in_the_sidebar() -> None:
    at = open_app("binary", {"preset": NOTEBOOK})
    rule = next(s for s in at.sidebar.selectbox if s.label == "Scoring rule")
    rule.set_value("log")
    rerun(at)
    expected = Scenario(("event", "no event"), PRESETS[NOTEBOOK].scenario.world, ScoringRule("log"))
    assert scenario_of(at) == expected
    assert_metrics_show(at, analyze(expected))


def test_the_certificate_is_shown_for_a_smooth_world_and_for_a_step_world() -> None:
    # Bank run: index sum 1 (two attractors +1, the repelling middle −1). Self-defeating commuters: a step
    # world, listed by support enumeration.
    at = open_app("binary", {"preset": "bank-run"})
    assert any("the set of fixed points is complete" in c.value for c in at.caption)
    at = open_app("binary", {"preset": "self-defeating"})
    assert any("support enumeration" in c.value for c in at.caption)
