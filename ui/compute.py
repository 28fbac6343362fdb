"""Cached calls of core functions for the pages: pure functions of plain values (the scenario as JSON text).

Nothing here computes on its own; each function is one core call (or a few, for a page's view) behind
``st.cache_data``, keyed by the scenario's JSON because a Scenario object is not a plain value.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd
import streamlit as st

from core import (Analysis, analyze, analyze_market, CELLS_PER_CHUNK, curves, export_view, first_traders, DecisionProblem, dishonest_equilibrium, JOINT_RULES,
                  frame, joint_honest, Market, tables,
                  MarketAnalysis, MAX_PREDICTORS, mean_curves, mechanisms, run_study, Scenario, StudySpec, sweep,
                  sweep_grid, train_market, views)
from ui import background


def analysis(scenario: Scenario) -> Analysis:
    """The :func:`core.analysis.analyze` of a scenario, cached by its JSON."""
    return _analysis_cached(scenario.to_json())


@st.cache_data(max_entries=256, show_spinner=False)
def _analysis_cached(scenario_json: str) -> Analysis:
    return analyze(Scenario.from_json(scenario_json))


@st.cache_data(max_entries=64, show_spinner=False)
def exported(scenario_json: str, page_key: str, link: tuple[tuple[str, str], ...], fmt: str) -> str:
    """The page's view as a notebook or a script (:func:`core.export.export`); ``link``: its settings."""
    return export_view(Scenario.from_json(scenario_json), page_key, fmt, dict(link))


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
def triangle_view(scenario_json: str) -> tuple[curves.TriangleGrid, curves.ArrowField]:
    """The three-outcome page's samples: the score grid over the triangle and the field f(p) − p."""
    scenario = Scenario.from_json(scenario_json)
    return curves.triangle_grid(scenario.world, scenario.rule), curves.arrow_field(scenario.world)


@st.cache_data(max_entries=64, show_spinner=False)
def decision_outcomes(scenario_json: str, pair_rule: str) -> list:
    """Honest, single-predictor and zero-sum reports and what they lead to."""
    scenario = Scenario.from_json(scenario_json)
    return mechanisms(DecisionProblem.from_scenario(scenario), scenario.rule, pair_rule)


@st.cache_data(max_entries=64, show_spinner=False)
def joint_outcomes(scenario_json: str, k: int) -> list:
    """k honest predictors under the joint rule, for each way the human combines their reports."""
    scenario = Scenario.from_json(scenario_json)
    problem = DecisionProblem.from_scenario(scenario)
    return [joint_honest(problem, scenario.rule, k, rule) for rule in JOINT_RULES]


@st.cache_data(max_entries=64, show_spinner=False)
def zero_sum_equilibria(scenario_json: str, pair_rule: str) -> tuple:
    """Whether the zero-sum pair has a dishonest equilibrium under ``pair_rule``, and the worst one as a row of
    the mechanisms table (``None`` if there is none)."""
    scenario = Scenario.from_json(scenario_json)
    problem = DecisionProblem.from_scenario(scenario)
    analysis = dishonest_equilibrium(problem, scenario.rule, pair_rule)
    return analysis, tables.dishonest_mechanism(problem, scenario.rule, analysis)


@st.cache_data(max_entries=64, show_spinner="Training…")
def training_curves(scenario_json: str, pair_rule: str, epsilon: float, step_size: float, steps: int, sampled: bool,
                    variants: tuple[str, ...], seed: int = 0) -> dict[str, dict[str, np.ndarray]]:
    """Mean learning curves (over runs) of each ``objective:method`` variant."""
    scenario = Scenario.from_json(scenario_json)
    problem = DecisionProblem.from_scenario(scenario).with_epsilon(epsilon)
    return mean_curves(problem, scenario.rule, pair_rule, step_size, steps, sampled, variants, seed)


@st.cache_data(max_entries=32, show_spinner="Running the map…")
def dynamics_map(scenario_json: str, method: str, step_size: float, steps: int, seed: int) -> dict:
    """Where runs from the map's starts end (:func:`core.learning.views.basins`)."""
    return views.basins(_analysis_cached(scenario_json), method, step_size, steps, seed)


@st.cache_data(max_entries=64, show_spinner=False)
def dynamics_thresholds(scenario_json: str, method: str) -> dict[str, float]:
    """The local theory's η* at each candidate end point (:func:`core.learning.views.thresholds`)."""
    return views.thresholds(_analysis_cached(scenario_json), method)


@st.cache_data(max_entries=32, show_spinner=False)
def dynamics_table(scenario_json: str, method: str, step_size: float, steps: int, seed: int) -> pd.DataFrame:
    """Predicted beside observed at every candidate end point (:func:`core.learning.views.prediction_rows`)."""
    labels = dynamics_map(scenario_json, method, step_size, steps, seed)["labels"]
    return pd.DataFrame(views.prediction_rows(_analysis_cached(scenario_json), method, step_size, steps, seed,
                                              labels))


@st.cache_data(max_entries=32, show_spinner=False)
def dynamics_paths(scenario_json: str, start: tuple[float, ...], step_size: float, steps: int, seed: int) -> dict:
    """Every method's path from ``start`` (:func:`core.learning.views.method_paths`)."""
    return views.method_paths(Scenario.from_json(scenario_json), start, step_size, steps, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def dynamics_trajectories(scenario_json: str, method: str, step_size: float, steps: int, seed: int) -> np.ndarray:
    """Paths from a coarse grid of starts (:func:`core.learning.views.trajectories`)."""
    return views.trajectories(Scenario.from_json(scenario_json), method, step_size, steps, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def sweep_diagram(scenario_json: str, field: str, start: float, stop: float, num: int):
    """The bifurcation diagram (:func:`core.sweeps.sweep`), with a progress bar while it is computed."""
    with _progress("Tracing the branches…") as report:
        return sweep(Scenario.from_json(scenario_json), field, start, stop, num, report)


@st.cache_data(max_entries=32, show_spinner=False)
def sweep_map(scenario_json: str, x: tuple, y: tuple, quantity: str):
    """The two-parameter map (:func:`core.sweeps.grid.sweep_grid`), with a progress bar. A map of more than one
    chunk is solved in the server's worker processes (:mod:`ui.background`); leaving the page cancels what is
    not started."""
    executor = background.pool() if x[3] * y[3] > CELLS_PER_CHUNK else None
    with _progress("Computing the map…") as report:
        return sweep_grid(Scenario.from_json(scenario_json), x, y, quantity, report, executor)


@contextmanager
def _progress(text: str):
    # Created inside the cached function, so that a cache hit replays it (and its removal) harmlessly.
    bar = st.progress(0.0, text=text)
    try:
        yield lambda fraction: bar.progress(min(max(fraction, 0.0), 1.0), text=text)
    finally:
        bar.empty()


#: A page's largest study (20,000 six-outcome worlds) is about 4 MB of columns: eight of them at the most.
@st.cache_data(max_entries=8, show_spinner=False)
def study(sampler: str, outcomes: int, rule: str, seed: int, worlds: int) -> dict[str, np.ndarray]:
    """A study's worlds 0 .. worlds − 1 (:func:`core.studies.run_study`), with a progress bar."""
    with _progress("Running the study…") as report:
        return run_study(StudySpec(sampler=sampler, outcomes=outcomes, rule=rule), worlds, seed,
                         progress=lambda done, total: report(done / total))


# Every world's row as CSV: 50 ms for 2,000 worlds, which each rerun (a sidebar slider) would pay again.
@st.cache_data(max_entries=4, show_spinner=False)
def study_csv(sampler: str, outcomes: int, rule: str, seed: int, worlds: int) -> bytes:
    """The study's every world as the CSV download (:func:`core.studies.frame`)."""
    return frame(study(sampler, outcomes, rule, seed, worlds)).to_csv(index=False).encode()


@st.cache_data(max_entries=64, show_spinner=False)
def market(scenario_json: str, k: int, pool: str, payment: str) -> MarketAnalysis:
    """The equilibria of k equal predictors (:func:`core.markets.analyze_market`); a market maker's: the first k
    traders of its market of the most, so that moving the slider solves nothing new."""
    scenario = Scenario.from_json(scenario_json)
    if pool == "lmsr" and k < MAX_PREDICTORS:
        return first_traders(market(scenario_json, MAX_PREDICTORS, pool, payment), [k])[0]
    return analyze_market(Market.equal(scenario.world, scenario.rule, k, pool, payment))


@st.cache_data(max_entries=16, show_spinner=False)
def market_curve(scenario_json: str, ks: tuple[int, ...], pool: str, payment: str) -> list[MarketAnalysis]:
    """:func:`market` for each number of predictors in ``ks``, with a progress bar (each is cached on its own; a
    market maker's are the first traders of its market of the most)."""
    if pool == "lmsr":
        return first_traders(market(scenario_json, MAX_PREDICTORS, pool, payment), ks)
    with _progress(f"Solving the markets of {ks[0]} to {ks[-1]} predictors…") as report:
        out = []
        for i, k in enumerate(ks):
            out.append(market(scenario_json, k, pool, payment))
            report((i + 1) / len(ks))
        return out


@st.cache_data(max_entries=32, show_spinner=False)
def market_training(scenario_json: str, k: int, pool: str, payment: str, methods: tuple[str, ...], steps: int,
                    step_size: float, seed: int) -> dict[str, dict[str, np.ndarray]]:
    """One run of each learning method of k equal predictors from the same random reports
    (:func:`core.markets.learning.train_market`)."""
    scenario = Scenario.from_json(scenario_json)
    m = Market.equal(scenario.world, scenario.rule, k, pool, payment)
    fixed = np.array([fp.p for fp in market(scenario_json, k, pool, payment).fixed_points]).reshape(-1, m.world.n)
    return {method: train_market(m, method, steps, step_size, seed, fixed) for method in methods}
