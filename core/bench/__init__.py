"""The project's benchmark, ``python -m core bench``: one module per suite of rows.

A suite module has ``NAME`` and ``cases()``, which returns ``(label, fn, target_ms or None)`` for each row;
each row prints the median of repeated calls of ``fn`` after one warm-up call (the core's caches are then
warm, as they are in a running app after the first view).
"""

from __future__ import annotations

import statistics
import time
from typing import Callable, Iterator

from core.bench import analysis, dynamics, fixed_points, markets, studies, sweeps

SUITES = (analysis, fixed_points, dynamics, sweeps, studies, markets)

Case = tuple[str, Callable[[], object], "float | None"]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def rows(repeat: int = 15, only: str | None = None) -> Iterator[tuple[str, float, float | None]]:
    """(what, median milliseconds, target milliseconds or None) for every row of the chosen suites."""
    for suite in SUITES:
        if only is None or suite.NAME == only:
            for label, fn, target in suite.cases():
                yield label, median_ms(fn, repeat), target
