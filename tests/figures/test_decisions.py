"""The decision figures (figures/decisions.py): each mechanism's reports per action, and the learning curves."""

from __future__ import annotations

import numpy as np

from core.decisions import DecisionProblem, mechanisms
from core.model.presets import get_preset
from figures.decisions import MECHANISM_COLOURS, learning_figure, reports_figure
from tests.figures.helpers import checked, legend


def test_reports_beside_the_truth_with_untaken_actions_faded() -> None:
    scenario = get_preset("decision-example").scenario
    results = mechanisms(DecisionProblem.from_scenario(scenario), scenario.rule)
    actions, q = scenario.world.actions, np.asarray(scenario.world.Q, dtype=float)
    fig = checked(reports_figure(actions, scenario.outcomes[0], q, results))
    assert legend(fig) == ["truth Q", *(r.name for r in results)]
    truth, *bars = fig.data
    np.testing.assert_allclose(truth.y, q[:, 0])
    for bar, r in zip(bars, results):
        assert list(bar.x) == list(actions)
        np.testing.assert_allclose(bar.y, r.reports[:, 0])
        assert bar.marker.color == MECHANISM_COLOURS[r.name]
        assert list(bar.marker.opacity) == [1.0 if w > 1e-9 else 0.35 for w in r.action_probs]
    assert any(min(bar.marker.opacity) < 1 for bar in bars)  # the single predictor steers: some action untaken


def test_learning_curves_one_line_per_variant_or_per_action() -> None:
    steps = 5
    curves = {"A": {"utility": np.linspace(0, 1, steps), "distance": np.ones((steps, 2))},
              "B": {"utility": np.zeros(steps), "distance": np.zeros((steps, 2))}}
    actions = ("left", "right")
    fig = checked(learning_figure(curves, actions, "utility", "title", "utility"))
    assert legend(fig) == ["A", "B"]
    np.testing.assert_array_equal(fig.data[0].y, curves["A"]["utility"])
    fig = checked(learning_figure(curves, actions, "distance", "title", "distance"))
    assert legend(fig) == ["A: left", "A: right", "B: left", "B: right"]
    assert fig.data[0].line.color == fig.data[1].line.color != fig.data[2].line.color  # colour: variant
    assert fig.data[0].line.dash != fig.data[1].line.dash  # dash: action
    np.testing.assert_array_equal(fig.data[1].y, curves["A"]["distance"][:, 1])
