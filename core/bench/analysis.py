"""Benchmark rows: full analyses of presets with 2, 3 and 5 outcomes, and f on a batch of predictions."""

from __future__ import annotations

import numpy as np

from core.analysis import analyze
from core.model.presets import get_preset

NAME = "analysis"
#: (label, preset, target milliseconds: what a slider needs to feel instant).
ANALYSIS_ROWS = [
    ("full analysis, 2 outcomes (notebook-log)", "notebook-log", 20.0),
    ("full analysis, 2 outcomes, step policy (self-defeating)", "self-defeating", 20.0),
    ("full analysis, 3 outcomes (coordination)", "coordination", 150.0),
    ("full analysis, 3 outcomes (linear-three)", "linear-three", 150.0),
    ("full analysis, 5 outcomes (five-candidates)", "five-candidates", None),
]
BATCH = 10_000


def cases():
    out = []
    for label, name, target in ANALYSIS_ROWS:
        scenario = get_preset(name).scenario
        out.append((label, lambda scenario=scenario: analyze(scenario), target))
    rng = np.random.default_rng(0)
    for name in ("coordination", "five-candidates"):
        world = get_preset(name).scenario.world
        batch = rng.dirichlet(np.ones(world.n), size=BATCH)
        out.append((f"f on {BATCH:,} predictions ({name})", lambda world=world, batch=batch: world(batch), None))
    return out
