"""The project's benchmark, ``python -m core bench``: one module per suite of rows.

A suite module has ``NAME`` and ``cases()``, which returns ``(label, fn, target_ms or None)`` for each row;
each row prints the median of repeated calls of ``fn`` after one warm-up call (the core's caches are then
warm, as they are in a running app after the first view). A suite may have ``summary(timed)``, the lines
printed under its rows from their ``(label, milliseconds)`` (a ratio of rows timed in the same run).
"""

from __future__ import annotations

import statistics
import time
from typing import Callable, Iterator

from core.bench import analysis, dynamics, fixed_points, markets, naive, studies, sweeps

SUITES = (analysis, naive, fixed_points, dynamics, sweeps, studies, markets)

Case = tuple[str, Callable[[], object], "float | None"]


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000.0 * statistics.median(times)


def rows(repeat: int = 15, only: str | None = None) -> Iterator[tuple[str, float | None, float | None]]:
    """(what, median milliseconds, target milliseconds or None) for every row of the chosen suites; a suite's
    summary lines follow its rows as (line, None, None)."""
    for suite in SUITES:
        if only is None or suite.NAME == only:
            timed = []
            for label, fn, target in suite.cases():
                ms = median_ms(fn, repeat)
                timed.append((label, ms))
                yield label, ms, target
            for line in getattr(suite, "summary", lambda timed: [])(timed):
                yield line, None, None
