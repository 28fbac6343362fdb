"""Cached calls of core functions for the pages: pure functions of plain values (the scenario as JSON text).

Nothing here computes on its own; each function is one core call (or a few, for a page's view) behind
``st.cache_data``, keyed by the scenario's JSON because a Scenario object is not a plain value.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import streamlit as st

from core import curves
from core.analysis import Analysis, analyze
from core.decisions import DecisionProblem, mechanisms
from core.learning.training import train
from core.model.scenario import Scenario

def analysis(scenario: Scenario) -> Analysis:
    """The :func:`core.analysis.analyze` of a scenario, cached by its JSON."""
    return _analysis_cached(scenario.to_json())


@st.cache_data(max_entries=256, show_spinner=False)
def _analysis_cached(scenario_json: str) -> Analysis:
    return analyze(Scenario.from_json(scenario_json))


@st.cache_data(max_entries=64, show_spinner=False)
def binary_view(scenario_json: str) -> tuple[curves.BinaryCurve, np.ndarray, np.ndarray]:
    """The two-outcome page's samples: the curve f, and along it S(p, f(p)) and S(p, f(p̂)) (world held)."""
    scenario = Scenario.from_json(scenario_json)
    curve = curves.binary_curve(scenario.world)
    held = _analysis_cached(scenario_json).optimum.f
    return (curve, *curves.binary_scores(scenario.rule, scenario.world, curve.x, held))


@st.cache_data(max_entries=64, show_spinner=False)
def cobweb(scenario_json: str, start: float, steps: int) -> tuple[np.ndarray, np.ndarray]:
    """The cobweb path of repeated prediction (:func:`core.curves.cobweb`)."""
    return curves.cobweb(Scenario.from_json(scenario_json).world, start, steps)


@st.cache_data(max_entries=64, show_spinner=False)
def triangle_view(scenario_json: str) -> tuple[curves.TriangleGrid, curves.Field]:
    """The three-outcome page's samples: the score grid over the triangle and the field f(p) − p."""
    scenario = Scenario.from_json(scenario_json)
    return curves.triangle_grid(scenario.world, scenario.rule), curves.field(scenario.world)


@st.cache_data(max_entries=64, show_spinner=False)
def decision_outcomes(scenario_json: str, pair_rule: str) -> list:
    """Honest, single-predictor and zero-sum reports and what they lead to."""
    scenario = Scenario.from_json(scenario_json)
    return mechanisms(DecisionProblem.from_scenario(scenario), scenario.rule, pair_rule)


@st.cache_data(max_entries=64, show_spinner="Training…")
def training_curves(scenario_json: str, pair_rule: str, epsilon: float, lr: float, steps: int, sampled: bool,
                    variants: tuple[str, ...], seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Mean learning curves (over runs) of each ``objective:method`` variant."""
    scenario = Scenario.from_json(scenario_json)
    problem = replace(DecisionProblem.from_scenario(scenario), epsilon=epsilon)
    runs = 8 if sampled else 4
    result = {}
    for i, variant in enumerate(variants):
        objective, method = variant.split(":")
        log = train(problem, scenario.rule, objective, method, steps, lr, np.random.default_rng([seed, i]),
                    runs=runs, pair_rule=pair_rule, sampled=sampled)
        result[variant] = {
            "distance": log.distance_to_truth(problem.Q).mean(axis=0),
            "utility": log.utilities.mean(axis=0),
            "score": log.expected_scores.mean(axis=0),
            "final": log.reports[:, -1].mean(axis=0),
        }
    return result
