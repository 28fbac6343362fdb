"""Cached computation for the pages: pure functions of plain values (the scenario as JSON text)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

import figures
from core.analysis import Analysis, analyze
from core.decisions import DecisionProblem, dishonest_equilibrium, mechanism_result, mechanisms
from core.model.scenario import Scenario
from core.learning.training import train


@st.cache_data(max_entries=256, show_spinner=False)
def analysis_of(scenario_json: str) -> Analysis:
    return analyze(Scenario.from_json(scenario_json))


def analysis(scenario: Scenario) -> Analysis:
    return analysis_of(scenario.to_json())


@st.cache_data(max_entries=64, show_spinner=False)
def triangle_figure(scenario_json: str) -> go.Figure:
    return figures.triangle_figure(analysis_of(scenario_json))


def results_table(result: Analysis) -> pd.DataFrame:
    """Fixed points and the performative optimum, one row each, for display and CSV download."""
    names = result.scenario.outcomes
    rows = []
    for i, fp in enumerate(result.fixed_points):
        tags = [t for t, j in (("best score", result.best_by_score), ("best for human", result.best_for_human))
                if j == i and len(result.fixed_points) > 1]
        row = {"point": f"fixed point {i + 1}", "kind": fp.kind, "stability": fp.stability,
               **{f"P({o})": v for o, v in zip(names, fp.p)},
               "score S(p, f(p))": result.scores[i],
               "honest optimum": ", ".join(tags)}
        if result.human_utilities is not None:
            row["human utility"] = result.human_utilities[i]
        if fp.mixing is not None:
            row["human's mixing"] = ", ".join(f"{a} {w:.3g}" for a, w in zip(result.scenario.world.actions, fp.mixing))
        rows.append(row)
    opt = result.optimum
    row = {"point": "performative optimum p̂", "kind": "optimum" if opt.attained else "supremum",
           "stability": "", **{f"P({o})": v for o, v in zip(names, opt.p)},
           "score S(p, f(p))": opt.score, "honest optimum": ""}
    world = result.scenario.world
    if result.human_utilities is not None:
        row["human utility"] = float(world.expected_utility(opt.p))
        row["human's mixing"] = ", ".join(f"{a} {w:.3g}" for a, w in zip(world.actions, world.action_probs(opt.p)))
    rows.append(row)
    return pd.DataFrame(rows)


@st.cache_data(max_entries=64, show_spinner=False)
def decision_outcomes(scenario_json: str, pair_rule: str) -> list:
    """Honest, single-predictor and zero-sum reports and what they lead to."""
    scenario = Scenario.from_json(scenario_json)
    return mechanisms(DecisionProblem.from_scenario(scenario), scenario.rule, pair_rule)


WORST_EQUILIBRIUM = "zero-sum pair, dishonest equilibrium"


@st.cache_data(max_entries=64, show_spinner=False)
def zero_sum_equilibria(scenario_json: str, pair_rule: str) -> tuple:
    """Whether the zero-sum pair has a dishonest equilibrium under ``pair_rule``, and the worst one as a row of
    the mechanisms table (``None`` if there is none)."""
    scenario = Scenario.from_json(scenario_json)
    problem = DecisionProblem.from_scenario(scenario)
    analysis = dishonest_equilibrium(problem, scenario.rule, pair_rule)
    found = analysis.dishonest
    row = None if found is None else mechanism_result(
        problem, scenario.rule, WORST_EQUILIBRIUM, found.first, found.action_probs,
        note=f"an equilibrium too: best unilateral deviation gains {found.deviation_gain:.2g}")
    return analysis, row


@st.cache_data(max_entries=64, show_spinner="Training…")
def training_curves(scenario_json: str, pair_rule: str, epsilon: float, lr: float, steps: int, sampled: bool,
                    variants: tuple[str, ...], seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Mean learning curves (over runs) of each ``objective:method`` variant."""
    scenario = Scenario.from_json(scenario_json)
    problem = replace(DecisionProblem.from_scenario(scenario), epsilon=epsilon)
    runs = 8 if sampled else 4
    curves = {}
    for i, variant in enumerate(variants):
        objective, method = variant.split(":")
        log = train(problem, scenario.rule, objective, method, steps, lr, np.random.default_rng([seed, i]),
                    runs=runs, pair_rule=pair_rule, sampled=sampled)
        curves[variant] = {
            "distance": log.distance_to_truth(problem.Q).mean(axis=0),
            "utility": log.utilities.mean(axis=0),
            "score": log.expected_scores.mean(axis=0),
            "final": log.reports[:, -1].mean(axis=0),
        }
    return curves
