"""Benchmark rows: 10,000 starts × 1,000 rounds of each deterministic learning method on three-outcome worlds,
and a basins-of-attraction map with 200 starts per edge (20,301 starts, about a 200 × 200 map) (the Dynamics page's heaviest computation)."""

from __future__ import annotations

import numpy as np

from core.analysis import analyze
from core.learning.dynamics import DETERMINISTIC, interior_grid, simulate
from core.learning.stability import candidates
from core.model.presets import get_preset

NAME = "dynamics"
STARTS, STEPS = 10_000, 1_000
BASINS = 200
#: (preset, step size): linear-three's runs all converge within a hundred rounds; coordination's (log rule,
#: softmax human, seven fixed points) include starts near the faces that cycle for all 1,000 rounds.
WORLDS = (("linear-three", 0.1), ("coordination", 0.05))


def cases():
    out = []
    rng = np.random.default_rng(0)
    starts = rng.dirichlet(np.ones(3), size=STARTS)
    for name, eta in WORLDS:
        scenario = get_preset(name).scenario
        for method in DETERMINISTIC:
            out.append((f"{method}, {STARTS:,} starts × {STEPS:,} rounds ({name}, η = {eta})",
                        lambda s=scenario, m=method, e=eta: simulate(s.world, s.rule, m, starts, e, STEPS), 1000.0))
    scenario = get_preset("coordination").scenario
    # Deterministic runs retire when they converge or cycle; SGD never stands still: every start runs every round.
    # (a tenth of the rounds: the per-round cost when no run retires, ×10 for 1,000 rounds).
    out.append((f"sgd, {STARTS:,} starts × {STEPS // 10:,} rounds, none retire (coordination, η = 0.05)",
                lambda: simulate(scenario.world, scenario.rule, "sgd", starts, 0.05, STEPS // 10), None))
    points = np.array([p for _, p, _ in candidates(analyze(scenario), "stop-gradient")])
    grid = interior_grid(3, BASINS)
    out.append((f"basins map, {BASINS} starts per edge ({len(grid):,} starts), stop-gradient, 300 rounds (coordination)",
                lambda: simulate(scenario.world, scenario.rule, "stop-gradient", grid, 0.05, 300, attractors=points),
                1000.0))
    return out
