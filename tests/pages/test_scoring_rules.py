"""The scoring-rules page: one row per rule family, each row the analysis of the world under that rule."""

from __future__ import annotations

import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from core.model.rules import RULE_KINDS, ScoringRule
from core.model.scenario import Scenario
from tests.pages.helpers import open_app, rerun, scenario_of, table


def _with_rule(scenario: Scenario, rule: ScoringRule) -> Scenario:
    return Scenario(scenario.outcomes, scenario.world, rule)


def test_binary_preset_table() -> None:
    at = open_app("scoring-rules", {"preset": "notebook-log"})
    rows = table(at)
    assert len(rows) == 7 == len(RULE_KINDS)  # every family applies to two outcomes
    assert list(rows["rule"]) == [ScoringRule(kind).label for kind in RULE_KINDS]
    assert list(rows["current"]) == ["✔" if kind == "log" else "" for kind in RULE_KINDS]
    scenario = PRESETS["notebook-log"].scenario
    quadratic = analyze(_with_rule(scenario, ScoringRule("quadratic")))
    row = rows.set_index("rule").loc[ScoringRule("quadratic").label]
    assert row["inaccuracy"] == pytest.approx(quadratic.inaccuracy, abs=1e-12)
    assert row["bound"] == pytest.approx(quadratic.bounds.inaccuracy, abs=1e-12)
    # docs/theory.md#worked-example: the closed form with p* = 0.675, α = 0.25: p̂ = (2·0.75·0.675 − 0.25)/(2 − 1) = 0.7625,
    # f(p̂) = 0.675 + 0.25·(0.7625 − 0.675) = 0.696875.
    assert row["inaccuracy"] == pytest.approx(0.7625 - 0.696875, abs=1e-6)
    assert row["p̂: P(event)"] == pytest.approx(0.7625, abs=1e-6)
    log_row = rows.set_index("rule").loc[ScoringRule("log").label]
    assert log_row["inaccuracy"] == pytest.approx(analyze(scenario).inaccuracy, abs=1e-12)


def test_many_outcomes_table() -> None:
    at = open_app("scoring-rules", {"preset": "five-candidates"})
    rows = table(at)
    kinds = [kind for kind, spec in RULE_KINDS.items() if not spec.binary_only]
    assert len(rows) == 6 == len(kinds)
    assert list(rows["rule"]) == [ScoringRule(kind).label for kind in kinds]
    assert ScoringRule("exponential").label not in set(rows["rule"])
    scenario = PRESETS["five-candidates"].scenario
    row = rows.set_index("rule").loc[ScoringRule("quadratic").label]
    assert row["inaccuracy"] == pytest.approx(analyze(scenario).inaccuracy, abs=1e-12)


def test_current_rule_keeps_its_parameter() -> None:
    at = open_app("scoring-rules", {"preset": "exponential-k10"})
    k = next(n for n in at.sidebar.number_input if n.label.startswith("K"))
    k.set_value(5.0)
    rerun(at)
    scenario = _with_rule(PRESETS["exponential-k10"].scenario, ScoringRule("exponential", 5.0))
    assert scenario_of(at) == scenario
    rows = table(at).set_index("rule")
    row = rows.loc[ScoringRule("exponential", 5.0).label]
    assert row["current"] == "✔"
    assert row["inaccuracy"] == pytest.approx(analyze(scenario).inaccuracy, abs=1e-12)
    assert (rows["current"] == "✔").sum() == 1

