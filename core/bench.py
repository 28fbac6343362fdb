"""The project's benchmark: full analyses of presets with 2, 3 and 5 outcomes, and a batch of f.

Run ``python -m core bench``; each row is the median of repeated runs (caches of the core are
warmed by one run first, as they are in a running app after the first view).
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

import numpy as np

from core.analysis import analyze
from core.model.presets import get_preset

#: (label, preset) of the full-analysis rows and the target a slider needs to feel instant.
ANALYSIS_ROWS = [
    ("full analysis, 2 outcomes (notebook-log)", "notebook-log", 20.0),
    ("full analysis, 2 outcomes, step policy (self-defeating)", "self-defeating", 20.0),
    ("full analysis, 3 outcomes (coordination)", "coordination", 150.0),
    ("full analysis, 3 outcomes (linear-three)", "linear-three", 150.0),
    ("full analysis, 5 outcomes (five-candidates)", "five-candidates", None),
]
BATCH = 10_000


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def rows(repeat: int = 15) -> list[tuple[str, float, float | None]]:
    """(what, median milliseconds, target milliseconds or None) for every benchmark row."""
    out = []
    for label, name, target in ANALYSIS_ROWS:
        scenario = get_preset(name).scenario
        out.append((label, median_ms(lambda: analyze(scenario), repeat), target))
    rng = np.random.default_rng(0)
    for name in ("coordination", "five-candidates"):
        world = get_preset(name).scenario.world
        batch = rng.dirichlet(np.ones(world.n), size=BATCH)
        out.append((f"f on {BATCH:,} predictions ({name})", median_ms(lambda: world(batch), repeat), None))
    return out


def print_table(repeat: int = 15) -> None:
    print(f"{'what':<60} {'median ms':>10} {'target ms':>10}")
    for label, ms, target in rows(repeat):
        print(f"{label:<60} {ms:>10.2f} {'' if target is None else f'{target:.0f}':>10}")
