"""Cached calls of core functions for the pages: pure functions of plain values (the scenario as JSON text).

Nothing here computes on its own; each function is one core call (or a few, for a page's view) behind
``st.cache_data``, keyed by the scenario's JSON because a Scenario object is not a plain value.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pandas as pd
import streamlit as st

from core import curves
from core.analysis import Analysis, analyze
from core.decisions import DecisionProblem, dishonest_equilibrium, mechanism_result, mechanisms
from core.learning.dynamics import DETERMINISTIC, METHODS, end_labels, interior_grid, simulate
from core.learning.stability import candidates, observe_near, predict
from core.learning.training import train
from core.model.scenario import Scenario
from core.sweeps import sweep
from core.sweeps.grid import sweep_grid
from core.studies import StudySpec, run_chunk


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


#: Starts per edge of the Dynamics page's map (the basins map of three outcomes), and of its trajectories.
MAP_STARTS, TRAJECTORY_STARTS = {2: 400, 3: 200}, 6
#: Seeded runs of the random methods on the two-outcome paths.
RANDOM_RUNS = 24


@st.cache_data(max_entries=32, show_spinner="Running the map…")
def dynamics_map(scenario_json: str, method: str, step_size: float, steps: int, seed: int) -> dict:
    """Every start of the map (``interior_grid``), where it ended (a label), and the sentence's inputs."""
    result = _analysis_cached(scenario_json)
    world, rule, n = result.scenario.world, result.scenario.rule, result.scenario.n
    found = candidates(result, method)
    starts = interior_grid(n, MAP_STARTS.get(n, 10))
    run = simulate(world, rule, method, starts, step_size, steps, attractors=np.array([p for _, p, _ in found]),
                   seed=seed)
    return {"starts": starts, "labels": end_labels(run, [label for label, _, _ in found]),
            "where": {label: p for label, p, _ in found}}


@st.cache_data(max_entries=64, show_spinner=False)
def dynamics_thresholds(scenario_json: str, method: str) -> dict[str, float]:
    """The local theory's largest convergent step η* at each candidate end point that has one."""
    result = _analysis_cached(scenario_json)
    world, rule = result.scenario.world, result.scenario.rule
    found = {label: predict(world, rule, method, point, 1.0, mixed).max_step_size
             for label, point, mixed in candidates(result, method)}
    return {label: eta for label, eta in found.items() if eta is not None}


@st.cache_data(max_entries=32, show_spinner=False)
def dynamics_table(scenario_json: str, method: str, step_size: float, steps: int, seed: int) -> pd.DataFrame:
    """One row per candidate end point: the local theory's prediction beside what runs from nearby do."""
    result = _analysis_cached(scenario_json)
    world, rule, names = result.scenario.world, result.scenario.rule, result.scenario.outcomes
    labels = dynamics_map(scenario_json, method, step_size, steps, seed)["labels"]
    rows = []
    for label, point, mixed in candidates(result, method):
        theory = predict(world, rule, method, point, step_size, mixed)
        rows.append({"end point": label, **{f"P({o})": v for o, v in zip(names, point)},
                     "largest step η*": theory.max_step_size, "spectral radius at this η": theory.radius,
                     "predicted: converges": theory.converges,
                     "observed: share of nearby runs that converge": observe_near(world, rule, method, point,
                                                                                  step_size, steps, seed),
                     "share of the map's starts ending here": float(np.mean(labels == label)),
                     "note": theory.note})
    return pd.DataFrame(rows)


@st.cache_data(max_entries=32, show_spinner=False)
def dynamics_paths(scenario_json: str, start: tuple[float, ...], step_size: float, steps: int, seed: int) -> dict:
    """Every method's path from ``start``: round by round, the mean, 10% and 90% quantiles of the first
    outcome's probability over ``RANDOM_RUNS`` seeded runs (one run for the deterministic methods)."""
    scenario = Scenario.from_json(scenario_json)
    paths = {}
    for method in METHODS:
        runs = 1 if method in DETERMINISTIC else RANDOM_RUNS
        run = simulate(scenario.world, scenario.rule, method, np.tile(start, (runs, 1)), step_size, steps,
                       seed=seed, record=True)
        first = run.path[..., 0]
        paths[METHODS[method]] = (first.mean(axis=1), *np.quantile(first, [0.1, 0.9], axis=1))
    return paths


@st.cache_data(max_entries=32, show_spinner=False)
def dynamics_trajectories(scenario_json: str, method: str, step_size: float, steps: int, seed: int) -> np.ndarray:
    """Paths ``(steps + 1, k, n)`` from a coarse grid of starts (three outcomes: drawn on the triangle)."""
    scenario = Scenario.from_json(scenario_json)
    return simulate(scenario.world, scenario.rule, method, interior_grid(scenario.n, TRAJECTORY_STARTS), step_size,
                    steps, seed=seed, record=True).path


@st.cache_data(max_entries=32, show_spinner=False)
def sweep_diagram(scenario_json: str, field: str, start: float, stop: float, num: int):
    """The bifurcation diagram (:func:`core.sweeps.sweep`), with a progress bar while it is computed."""
    with _progress("Tracing the branches…") as report:
        return sweep(Scenario.from_json(scenario_json), field, start, stop, num, report)


@st.cache_data(max_entries=32, show_spinner=False)
def sweep_map(scenario_json: str, x: tuple, y: tuple, quantity: str):
    """The two-parameter map (:func:`core.sweeps.grid.sweep_grid`), with a progress bar."""
    with _progress("Computing the map…") as report:
        return sweep_grid(Scenario.from_json(scenario_json), x, y, quantity, report)


@contextmanager
def _progress(text: str):
    # Created inside the cached function, so that a cache hit replays it (and its removal) harmlessly.
    bar = st.progress(0.0, text=text)
    try:
        yield lambda fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=text)
    finally:
        bar.empty()


@st.cache_data(max_entries=64, show_spinner=False)
def study_chunk(sampler: str, outcomes: int, rule: str, seed: int, start: int, stop: int) -> dict[str, np.ndarray]:
    """Worlds ``start .. stop − 1`` of a study (:func:`core.studies.run_chunk`), cached chunk by chunk."""
    return run_chunk(StudySpec(sampler=sampler, outcomes=outcomes, rule=rule), seed, start, stop)
