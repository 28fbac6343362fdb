"""What the Dynamics page shows, computed: where runs from a grid of starts end, the local theory at every
candidate end point beside what nearby runs do, and every method's path from one start.

Each function takes plain values and a :class:`core.analysis.Analysis` (or its scenario) and returns arrays and
dicts, so that the page only caches and draws them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.analysis import Analysis
from core.learning.dynamics import DETERMINISTIC, METHODS, end_labels, interior_grid, simulate
from core.learning.stability import candidates, observe_near, predict
from core.model.scenario import Scenario

#: Starts per edge of the map of where runs end (the basins map of three outcomes), by number of outcomes.
MAP_STARTS = {2: 400, 3: 200}
#: Starts per edge of the trajectories drawn on the triangle.
TRAJECTORY_STARTS = 6
#: Seeded runs of the random methods on the two-outcome paths.
RANDOM_RUNS = 24


def basins(analysis: Analysis, method: str, step_size: float, steps: int, seed: int) -> dict[str, Any]:
    """Every start of the map (:func:`interior_grid`), where it ended (a label each), and the candidates' points."""
    world, rule, n = analysis.scenario.world, analysis.scenario.rule, analysis.scenario.n
    found = candidates(analysis, method)
    starts = interior_grid(n, MAP_STARTS.get(n, 10))
    run = simulate(world, rule, method, starts, step_size, steps, attractors=np.array([p for _, p, _ in found]),
                   seed=seed)
    return {"starts": starts, "labels": end_labels(run, [label for label, _, _ in found]),
            "where": {label: p for label, p, _ in found}}


def thresholds(analysis: Analysis, method: str) -> dict[str, float]:
    """The local theory's largest convergent step η* at each candidate end point that has one."""
    world, rule = analysis.scenario.world, analysis.scenario.rule
    found = {label: predict(world, rule, method, point, 1.0, mixed).max_step_size
             for label, point, mixed in candidates(analysis, method)}
    return {label: eta for label, eta in found.items() if eta is not None}


def prediction_rows(analysis: Analysis, method: str, step_size: float, steps: int, seed: int,
                    labels: np.ndarray) -> list[dict[str, Any]]:
    """One row per candidate end point: the local theory's prediction beside what runs from nearby do, and the
    share of the map's starts (``labels``, from :func:`basins`) that end there."""
    world, rule, names = analysis.scenario.world, analysis.scenario.rule, analysis.scenario.outcomes
    rows = []
    for label, point, mixed in candidates(analysis, method):
        theory = predict(world, rule, method, point, step_size, mixed)
        rows.append({"end point": label, **{f"P({o})": v for o, v in zip(names, point)},
                     "largest step η*": theory.max_step_size, "spectral radius at this η": theory.radius,
                     "predicted: converges": theory.converges,
                     "observed: share of nearby runs that converge": observe_near(world, rule, method, point,
                                                                                  step_size, steps, seed),
                     "share of the map's starts ending here": float(np.mean(labels == label)),
                     "note": theory.note})
    return rows


def method_paths(scenario: Scenario, start: tuple[float, ...], step_size: float, steps: int,
                 seed: int) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Every method's path from ``start``: round by round, the mean, 10% and 90% quantiles of the first
    outcome's probability over :data:`RANDOM_RUNS` seeded runs (one run for the deterministic methods)."""
    paths = {}
    for method in METHODS:
        runs = 1 if method in DETERMINISTIC else RANDOM_RUNS
        run = simulate(scenario.world, scenario.rule, method, np.tile(start, (runs, 1)), step_size, steps,
                       seed=seed, record=True)
        first = run.path[..., 0]
        paths[METHODS[method]] = (first.mean(axis=1), *np.quantile(first, [0.1, 0.9], axis=1))
    return paths


def trajectories(scenario: Scenario, method: str, step_size: float, steps: int, seed: int) -> np.ndarray:
    """Paths ``(steps + 1, k, n)`` from a coarse grid of starts (three outcomes: drawn on the triangle)."""
    return simulate(scenario.world, scenario.rule, method, interior_grid(scenario.n, TRAJECTORY_STARTS), step_size,
                    steps, seed=seed, record=True).path
