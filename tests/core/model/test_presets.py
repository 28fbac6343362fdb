"""Tests of core.model.presets: every preset is a valid scenario that round-trips and names a real page."""

from __future__ import annotations

import pytest

from core.model.presets import PRESETS, get_preset
from core.model.scenario import Scenario
from ui.pages import BY_KEY


@pytest.mark.parametrize("name", list(PRESETS))
def test_preset_round_trips_and_names_a_page(name: str) -> None:
    preset = PRESETS[name]
    assert preset.name == name and preset.title and preset.story
    assert Scenario.from_json(preset.scenario.to_json()) == preset.scenario
    assert Scenario.from_query_params(preset.scenario.to_query_params()) == preset.scenario
    page = BY_KEY[preset.page]
    assert preset.scenario.n in page.outcomes


def test_get_preset_names_the_choices_when_unknown() -> None:
    assert get_preset("bank-run") is PRESETS["bank-run"]
    with pytest.raises(ValueError, match="bank-run"):
        get_preset("no-such-preset")
