"""The Sweep page: it draws a diagram and a map, its view goes into the link and comes back, gallery links
open their sweep, and bad fields or ranges get a message."""

from __future__ import annotations

import numpy as np

from core.model.presets import PRESETS
from core.sweeps.gallery import GALLERY
from core.sweeps.grid import sweep_grid
from tests.pages.helpers import decoded, errors, figure, open_app, params_of, rerun, scenario_of, warnings

VIEW = {"mode": "diagram", "param": "world.steepness", "from": "1.0", "to": "10.0", "num": "10"}


def trace_names(at, key: str) -> set[str]:
    return {t.get("name") for t in figure(at, key)["data"]}


def test_a_diagram_renders_and_its_link_round_trips() -> None:
    params = PRESETS["bank-run"].scenario.to_query_params() | VIEW
    at = open_app("sweep", params)
    assert not errors(at) and not warnings(at)
    assert params_of(at) == params
    names = trace_names(at, "sweep_diagram")
    assert {"fixed points, attracting", "fixed points, repelling", "optimum p̂", "f(p̂)", "stability change"} <= names
    (change,) = [t for t in figure(at, "sweep_diagram")["data"] if t["name"] == "stability change"]
    assert np.isclose(change["x"][0], 4 / 0.96, atol=1e-6)  # f′(½) = 0.96 k / 4 = 1
    assert "stops attracting" in at.info[0].value
    # The link reopens the same view in a new session.
    again = open_app("sweep", params_of(at))
    assert params_of(again) == params and figure(again, "sweep_diagram") == figure(at, "sweep_diagram")


def test_a_map_renders_with_hover_values() -> None:
    params = PRESETS["notebook-quadratic"].scenario.to_query_params() | {
        "mode": "map", "param": "world.p_star", "from": "0.0", "to": "1.0", "num": "5",
        "param2": "world.alpha", "from2": "0.0", "to2": "0.4", "num2": "3", "quantity": "inaccuracy"}
    at = open_app("sweep", params)
    assert not errors(at) and params_of(at) == params
    heat, cells = figure(at, "sweep_map")["data"]
    assert heat["type"] == "heatmap" and len(cells["x"]["bdata"] if isinstance(cells["x"], dict) else cells["x"]) > 0
    assert "inaccuracy" in cells["hovertemplate"]


def test_a_large_map_is_solved_in_the_worker_processes_and_equals_the_core() -> None:
    # 30 × 20 = 600 cells, more than one block: the page hands it to ui.background's pool (real processes).
    scenario = PRESETS["coordination"].scenario
    view = {"mode": "map", "param": "world.beta", "from": "1.0", "to": "12.0", "num": "30",
            "param2": "world.Q.0.0", "from2": "0.5", "to2": "1.0", "num2": "20", "quantity": "fixed_points"}
    at = open_app("sweep", scenario.to_query_params() | view)
    assert not errors(at)
    heat = figure(at, "sweep_map")["data"][0]
    expected = sweep_grid(scenario, ("world.beta", 1.0, 12.0, 30), ("world.Q.0.0", 0.5, 1.0, 20), "fixed_points")
    assert np.array_equal(decoded(heat["z"]).reshape(20, 30), expected.values, equal_nan=True)


def test_gallery_links_open_their_sweep() -> None:
    at = open_app("sweep", {"gallery": "optimum-vs-slope"})
    entry = GALLERY["optimum-vs-slope"]
    assert scenario_of(at) == entry.scenario
    params = params_of(at)
    assert (params["param"], float(params["from"]), float(params["to"]), int(params["num"])) == entry.x
    assert "gallery" not in params


def test_bad_field_in_a_link_warns_and_falls_back() -> None:
    at = open_app("sweep", PRESETS["bank-run"].scenario.to_query_params() | VIEW | {"param": "world.gamma"})
    assert any("'param'" in w for w in warnings(at))
    assert params_of(at)["param"] == "world.steepness"  # the first of the preferred fields the world has


def test_a_bad_range_gets_a_message_naming_the_field() -> None:
    at = open_app("sweep", PRESETS["bank-run"].scenario.to_query_params() | VIEW | {"from": "5.0", "to": "1.0"})
    (message,) = errors(at)
    assert "world.steepness: the range needs" in message
    at.number_input(key="sw_from").set_value(0.5)
    rerun(at)
    assert not errors(at)
    at.selectbox(key="sw_param").select("world.low")
    rerun(at)
    assert not errors(at)  # a new field starts with its own valid range
    assert (params_of(at)["from"], params_of(at)["to"]) == ("0.0", "0.04")  # low = 0.02: [0, 2 · 0.02]
    at.number_input(key="sw_from").set_value(0.5)
    at.number_input(key="sw_to").set_value(2.0)
    rerun(at)
    # From 0.5 to 2 in 10 values: 1.1667 is the first where the low chance is no probability.
    assert "world.low = 1.16667: world: low must lie in [0, 1]" in errors(at)[0]


def test_five_candidates_sentence() -> None:
    params = PRESETS["five-candidates"].scenario.to_query_params() | {
        "mode": "diagram", "param": "world.beta", "from": "0.0", "to": "20.0", "num": "21", "plot": "uniform"}
    at = open_app("sweep", params)
    text = at.info[0].value
    assert "5 pairs of fixed points appear as world.beta grows past 7.129" in text
    assert "at world.beta = 10 the fixed point (0.2, 0.2, 0.2, 0.2, 0.2) stops attracting" in text
    assert figure(at, "sweep_diagram")["layout"]["yaxis"]["title"]["text"] == "distance to the uniform forecast"
