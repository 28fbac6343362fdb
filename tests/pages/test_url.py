"""The address bar is a share link: it mirrors the scenario, reopens it, and survives bad input."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import SCENARIO_KEYS, Scenario
from core.model.worlds import LinearWorld, RampWorld
from tests.pages.helpers import (
    assert_metrics_show,
    figure,
    metrics,
    open_app,
    params_of,
    rerun,
    scenario_of,
    table,
    warnings,
)
from ui.state import DEFAULT_PRESET

#: Page -> the view settings it adds to the link beside the scenario.
VIEW_KEYS = {"home": set(), "binary": {"start", "steps"}, "triangle": set(), "scoring-rules": set(), "theory": set()}


def split(params: dict[str, str]) -> tuple[dict[str, str], set[str]]:
    return {k: v for k, v in params.items() if k in SCENARIO_KEYS}, set(params) - SCENARIO_KEYS


@pytest.mark.parametrize("page, preset", [("home", "notebook-quadratic"), ("binary", "ramp"),
                                          ("triangle", "linear-three"), ("scoring-rules", "five-candidates"),
                                          ("theory", "coordination")])
def test_url_mirrors_the_scenario(page: str, preset: str) -> None:
    at = open_app(page, {"preset": preset})
    scenario_params, view = split(params_of(at))
    assert scenario_params == PRESETS[preset].scenario.to_query_params()
    assert view == VIEW_KEYS[page]


def test_url_follows_an_edit() -> None:
    at = open_app("binary", {"preset": "half-slope"})
    p_star = next(s for s in at.sidebar.slider if s.label == "fixed point p*")
    p_star.set_value(0.4)
    rerun(at)
    before = PRESETS["half-slope"].scenario
    edited = replace(before, world=LinearWorld(0.4, before.world.alpha))
    assert split(params_of(at))[0] == edited.to_query_params()
    assert params_of(at)["start"] == repr(at.slider(key="cobweb_start").value)


def _edit_binary(at) -> None:
    next(s for s in at.sidebar.slider if s.label == "fixed point p*").set_value(0.4)
    at.slider(key="cobweb_start").set_value(0.35)
    at.slider(key="cobweb_steps").set_value(20)


def _edit_rule(at) -> None:
    next(s for s in at.sidebar.selectbox if s.label == "Scoring rule").set_value("spherical")


@pytest.mark.parametrize("page, preset, edit", [("binary", "half-slope", _edit_binary),
                                                ("binary", "self-defeating-softmax", None),
                                                ("triangle", "linear-three", _edit_rule),
                                                ("scoring-rules", "five-candidates", _edit_rule)])
def test_share_link_round_trip(page, preset, edit) -> None:
    first = open_app(page, {"preset": preset})
    if edit is not None:
        edit(first)
        rerun(first)
        assert scenario_of(first) != PRESETS[preset].scenario
    link = params_of(first)
    second = open_app(page, link)
    assert not warnings(second)
    assert scenario_of(second) == scenario_of(first)
    assert params_of(second) == link
    assert metrics(second) == metrics(first)
    if page == "binary":
        assert second.slider(key="cobweb_start").value == first.slider(key="cobweb_start").value
        assert second.slider(key="cobweb_steps").value == first.slider(key="cobweb_steps").value
        for key in ("map", "cobweb"):
            assert figure(second, key)["data"] == figure(first, key)["data"]
    if page == "scoring-rules":
        assert table(second).equals(table(first))


def test_link_opens_its_scenario() -> None:
    scenario = Scenario(("rain", "dry"), LinearWorld(0.6, -0.2), ScoringRule("power", 2.5))
    at = open_app("binary", scenario.to_query_params())
    assert not warnings(at)
    assert scenario_of(at) == scenario
    assert_metrics_show(at, analyze(scenario))


@pytest.mark.parametrize("link", [
    {"world": "nonsense"},
    {"world": "linear", "alpha": "abc"},
    {"world": "linear", "alpha": "5"},
    {"alpha": "5"},  # scenario settings without a world: a stale or truncated link
    {"world": "ramp", "a": "0.5", "b": "0.2"},
    {"world": "policy", "Q": "0.9,0.1;0.5"},
    {"world": "linear", "outcomes": "a,a"},
    {"world": "linear", "rule": "bogus"},
    {"world": "linear", "rule": "exponential", "rule_param": "-1"},
    {"world": "linear", "p_star": "inf"},
])
def test_garbage_link_warns_and_falls_back(link: dict[str, str]) -> None:
    at = open_app("binary", link)  # no exception
    found = warnings(at)
    assert len(found) == 1 and "could not be read" in found[0]
    default = PRESETS[DEFAULT_PRESET].scenario
    assert scenario_of(at) == default
    assert_metrics_show(at, analyze(default))
    assert split(params_of(at))[0] == default.to_query_params()
    assert not warnings(rerun(at))


def test_unknown_preset_warns() -> None:
    at = open_app("binary", {"preset": "unknown"})
    found = warnings(at)
    assert len(found) == 1 and "'unknown'" in found[0]
    assert scenario_of(at) == PRESETS[DEFAULT_PRESET].scenario
    assert "preset" not in params_of(at)
    assert not warnings(rerun(at))


def test_unknown_preset_keeps_the_links_scenario() -> None:
    scenario = Scenario(("accident", "none"), RampWorld(0.2, 0.6, 0.9, 0.2), ScoringRule("log"))
    at = open_app("binary", {**scenario.to_query_params(), "preset": "nope"})
    assert len(warnings(at)) == 1
    assert scenario_of(at) == scenario
    np.testing.assert_equal(split(params_of(at))[0], scenario.to_query_params())


@pytest.mark.parametrize("page, preset", [("decisions", "bank-run"), ("binary", "coordination"),
                                          ("triangle", "bank-run"), ("decisions", "decision-three"),
                                          ("home", "route-choice"), ("theory", "ramp")])
def test_every_page_leaves_a_link_that_reopens_it(page: str, preset: str) -> None:
    """Also a page that refuses the scenario (it ends early): the link still carries the scenario."""
    at = open_app(page, {"preset": preset})
    assert "preset" not in params_of(at)
    assert Scenario.from_query_params(params_of(at)) == PRESETS[preset].scenario
    again = open_app(page, params_of(at))
    assert scenario_of(again) == PRESETS[preset].scenario
    assert warnings(again) == warnings(at)
