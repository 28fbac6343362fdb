"""The sidebar editor: valid edits become the scenario; invalid ones show an error and keep the last good one."""

from __future__ import annotations

from dataclasses import replace

import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import RampWorld, default_world
from tests.pages.helpers import assert_metrics_show, errors, open_app, params_of, rerun, scenario_of, warnings

NAMES = "Outcome names (comma-separated)"


def sidebar_widget(at, kind: str, label: str):
    found = [w for w in getattr(at.sidebar, kind) if w.label == label]
    assert len(found) == 1, [w.label for w in getattr(at.sidebar, kind)]
    return found[0]


def edit_table(at, edited_rows: dict[int, dict[str, float]], added_rows: list | None = None) -> None:
    """Seed the policy table's edit state, the way the browser reports cell edits."""
    (editor,) = at.data_editor
    at.session_state[editor.key] = {"edited_rows": edited_rows, "added_rows": added_rows or [], "deleted_rows": []}
    rerun(at)


def assert_unchanged(at, scenario: Scenario, link: dict[str, str]) -> None:
    assert scenario_of(at) == scenario
    assert_metrics_show(at, analyze(scenario))
    assert params_of(at) == link


def test_policy_table_row_not_summing_to_one() -> None:
    at = open_app("binary", {"preset": "notebook-quadratic"})
    sidebar_widget(at, "selectbox", "World").set_value("policy")
    rerun(at)
    policy = Scenario(("event", "no event"), default_world("policy", 2), ScoringRule("quadratic"))
    assert scenario_of(at) == policy
    assert_metrics_show(at, analyze(policy))
    link = params_of(at)
    assert link["world"] == "policy"

    edit_table(at, {0: {"P(event)": 0.5}})  # row 0 now sums to 0.8
    found = errors(at.sidebar)
    assert len(found) == 1 and "sum to 1" in found[0]
    assert not errors(at.main)
    assert_unchanged(at, policy, link)


def test_policy_table_edits() -> None:
    name = "self-defeating-softmax"
    at = open_app("binary", {"preset": name})
    preset = PRESETS[name].scenario
    link = params_of(at)
    (editor,) = at.data_editor
    columns = list(editor.value.columns)
    assert columns == ["action", "P(jam)", "P(clear)", "U(jam)", "U(clear)"]

    edit_table(at, {1: {"P(clear)": 0.7}})  # the train row sums to 0.8
    assert any("sum to 1" in e for e in errors(at.sidebar))
    assert_unchanged(at, preset, link)

    edit_table(at, {1: {"P(jam)": 0.3, "P(clear)": 0.7}})  # valid again: the scenario follows
    assert not errors(at)
    world = preset.world
    edited = replace(preset, world=replace(world, Q=(world.Q[0], (0.3, 0.7))))
    assert scenario_of(at) == edited
    assert_metrics_show(at, analyze(edited))
    assert params_of(at)["Q"] == edited.to_query_params()["Q"]

    edit_table(at, {}, added_rows=[{"action": "walk"}])  # a new row without P and U
    assert any("fill in every cell" in e for e in errors(at.sidebar))
    assert scenario_of(at) == edited


def test_ramp_with_a_not_below_b() -> None:
    at = open_app("binary", {"preset": "ramp"})
    preset = PRESETS["ramp"].scenario
    link = params_of(at)
    sidebar_widget(at, "slider", "ramp starts at a").set_value(0.5)  # b = 0.4
    rerun(at)
    found = errors(at.sidebar)
    assert len(found) == 1 and "a < b" in found[0]
    assert_unchanged(at, preset, link)

    sidebar_widget(at, "slider", "ramp starts at a").set_value(0.2)
    rerun(at)
    assert not errors(at)
    edited = replace(preset, world=RampWorld(0.2, 0.4, 0.8, 0.1))
    assert scenario_of(at) == edited
    assert_metrics_show(at, analyze(edited))


def test_slope_that_leaves_the_unit_interval() -> None:
    at = open_app("binary", {"preset": "notebook-quadratic"})
    preset = PRESETS["notebook-quadratic"].scenario
    link = params_of(at)
    # With p* = 1/4, f(1) = 1/4 + 3α/4 < 0 for α < −1/3: not a world, though the slider offers it.
    sidebar_widget(at, "slider", "slope α").set_value(-0.5)
    rerun(at)
    assert any("not a probability" in e for e in errors(at.sidebar))
    assert_unchanged(at, preset, link)


@pytest.mark.parametrize("text, message", [("rain, shine, snow", "give 2 names"), ("rain", "give 2 names"),
                                           ("rain, rain", "names must differ"), ("rain, ", "non-empty")])
def test_bad_outcome_names(text: str, message: str) -> None:
    at = open_app("binary", {"preset": "notebook-quadratic"})
    preset = PRESETS["notebook-quadratic"].scenario
    link = params_of(at)
    sidebar_widget(at, "text_input", NAMES).set_value(text)
    rerun(at)
    found = errors(at.sidebar)
    assert len(found) == 1 and message in found[0]
    assert_unchanged(at, preset, link)


def test_outcome_names() -> None:
    at = open_app("binary", {"preset": "notebook-quadratic"})
    sidebar_widget(at, "text_input", NAMES).set_value(" rain ,  dry")
    rerun(at)
    assert not errors(at)
    renamed = replace(PRESETS["notebook-quadratic"].scenario, outcomes=("rain", "dry"))
    assert scenario_of(at) == renamed
    assert params_of(at)["outcomes"] == "rain,dry"
    assert_metrics_show(at, analyze(renamed))


def test_preset_picker_loads_and_resets_the_editor() -> None:
    at = open_app("binary", {"preset": "notebook-quadratic"})
    sidebar_widget(at, "slider", "slope α").set_value(0.1)
    rerun(at)
    at.selectbox(key="preset_picker").set_value("half-slope")
    rerun(at)
    preset = PRESETS["half-slope"].scenario
    assert scenario_of(at) == preset
    assert_metrics_show(at, analyze(preset))
    # The editor redraws from the preset, not from the old slider position.
    assert sidebar_widget(at, "slider", "slope α").value == preset.world.alpha
    assert sidebar_widget(at, "slider", "fixed point p*").value == preset.world.p_star
    assert at.selectbox(key="preset_picker").value is None


def test_number_of_outcomes_survives_page_changes() -> None:
    at = open_app("home", {"preset": "notebook-quadratic"})
    sidebar_widget(at, "number_input", "Number of outcomes").set_value(3)
    rerun(at)
    three = Scenario(("outcome 1", "outcome 2", "outcome 3"), default_world("policy", 3), ScoringRule("quadratic"))
    assert scenario_of(at) == three
    at.switch_page("app_pages/triangle.py")
    rerun(at)
    assert scenario_of(at) == three
    assert not warnings(at)
    assert_metrics_show(at, analyze(three))
    at.switch_page("app_pages/home.py")
    rerun(at)
    assert scenario_of(at) == three
    assert sidebar_widget(at, "number_input", "Number of outcomes").value == 3
    at.switch_page("app_pages/binary.py")
    rerun(at)
    assert scenario_of(at) == three
    assert any(w.startswith("This page shows scenarios with 2 outcomes") for w in warnings(at))
