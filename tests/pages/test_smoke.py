"""Every page runs on every preset, loaded by its ``?preset=`` link, without an exception or an error.

A page that cannot show the preset (another number of outcomes; on the decisions page, a world without a
human response policy; on the markets page, a world that jumps) must explain itself with a warning instead.
"""

from __future__ import annotations

import pytest

from core.decisions import DecisionProblem
from core.model.presets import PRESETS
from core.model.scenario import Scenario
from tests.pages.helpers import (
    PAGE_OUTCOMES,
    PAGES,
    assert_metrics_show,
    charts,
    errors,
    open_app,
    params_of,
    preset_analysis,
    scenario_of,
    table,
    warnings,
)


def _is_decision_problem(scenario: Scenario) -> bool:
    try:
        DecisionProblem.from_scenario(scenario)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("preset", list(PRESETS))
@pytest.mark.parametrize("page", list(PAGES))
def test_page_runs_on_preset(page: str, preset: str) -> None:
    at = open_app(page, {"preset": preset})  # asserts that no exception was raised
    scenario = PRESETS[preset].scenario
    assert scenario_of(at) == scenario
    assert "preset" not in params_of(at)  # the link now carries the scenario itself
    assert not errors(at)
    required = PAGE_OUTCOMES.get(page)
    if required is not None and scenario.n != required:
        (warning,) = warnings(at)
        assert warning.startswith(f"This page shows scenarios with {required} outcomes")
        assert f"the current one has {scenario.n}" in warning
        assert not at.metric and not charts(at)
    elif page == "decisions" and not _is_decision_problem(scenario):
        (warning,) = warnings(at)
        assert warning.startswith("This page needs a human")
        assert not charts(at)
    elif page == "markets" and (scenario.world.is_step or scenario.n > 3):
        (warning,) = warnings(at)
        assert warning.startswith("This page needs a world without jumps")
        assert not charts(at)
    else:
        assert not warnings(at)
    if required == scenario.n:
        assert_metrics_show(at, preset_analysis(preset))
        assert charts(at)
    if page == "decisions" and _is_decision_problem(scenario):
        assert charts(at)
    if page == "markets" and not (scenario.world.is_step or scenario.n > 3):
        assert set(charts(at)) == {"market_map", "market_curve", "market_learning"}
    if page == "home":  # the gallery: a card per preset
        assert {f"**{p.title}**" for p in PRESETS.values()} <= {m.value for m in at.main.markdown}
    if page == "scoring-rules":  # a row per rule; G is drawn for two outcomes only
        assert len(table(at)) >= 6
        assert len(charts(at)) == (2 if scenario.n == 2 else 1)
