"""Two-parameter maps: one quantity of the analysis over a grid of two fields.

The cells are solved together, in chunks, by :func:`core.solve.solutions.solve_batch` (only the parts the
quantity needs), so every cell shows what :func:`core.analysis.analyze` of its scenario shows. Cells where
the scenario is not valid (a linear world whose f leaves [0, 1], say) are NaN.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from typing import Callable

import numpy as np

from core.model.scenario import Scenario
from core.solve.solutions import Solutions, solve_batch
from core.sweeps.fields import Field, parse_range

#: The quantities a map can show, with their labels.
QUANTITIES = {
    "inaccuracy": "inaccuracy |p̂ − f(p̂)|",
    "distance": "distance of p̂ to the nearest fixed point",
    "inaccuracy_ratio": "inaccuracy / its bound",
    "distance_ratio": "distance to the fixed point / its bound",
    "fixed_points": "number of fixed points",
    "human_utility": "the human's expected utility at p̂",
}
#: What each quantity needs solved (:data:`core.solve.solutions.PARTS`).
NEEDS = {
    "inaccuracy": frozenset({"optimum"}),
    "distance": frozenset({"optimum", "fixed_points"}),
    "inaccuracy_ratio": frozenset({"optimum", "bounds"}),
    "distance_ratio": frozenset({"optimum", "fixed_points", "bounds"}),
    "fixed_points": frozenset({"fixed_points"}),
    "human_utility": frozenset({"optimum"}),
}
#: Cells per axis at most.
MAX_CELLS = 400
#: Cells solved together, about (progress in steps, and bounded memory for the grids of the searches).
CELLS_PER_CHUNK = 500


@dataclass(frozen=True)
class Map:
    """``values[i, j]`` is the quantity at ``field_y = ys[i]`` and ``field_x = xs[j]`` (NaN: no scenario
    there, or no bound)."""

    scenario: Scenario
    field_x: Field
    field_y: Field
    xs: np.ndarray
    ys: np.ndarray
    quantity: str
    values: np.ndarray

    def cell(self, x: float, y: float) -> Scenario:
        """The scenario of the cell at (x, y)."""
        return self.field_y.set(self.field_x.set(self.scenario, x), y)

    def to_csv(self) -> str:
        """One row per cell: the two field values and the quantity (empty where it is NaN)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([self.field_x.name, self.field_y.name, self.quantity])
        for i, y in enumerate(self.ys):
            for j, x in enumerate(self.xs):
                v = self.values[i, j]
                writer.writerow([repr(float(x)), repr(float(y)), "" if np.isnan(v) else repr(float(v))])
        return out.getvalue()


def sweep_grid(scenario: Scenario, x: tuple[str, float, float, int], y: tuple[str, float, float, int],
               quantity: str, progress: Callable[[float], None] | None = None,
               executor: Executor | None = None) -> Map:
    """The map of ``quantity`` over the fields ``x = (name, start, stop, num)`` and ``y`` likewise.

    The rows are solved in blocks of about :data:`CELLS_PER_CHUNK` cells, and ``progress`` is called with the
    share done after each. With an ``executor`` (a :class:`concurrent.futures.Executor`: a process pool, or a
    Dask ``Client.get_executor()``) the blocks are built and solved there, as they come; the values are the
    same. If ``progress`` raises (the caller gives up), the blocks not yet started are cancelled."""
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity: unknown quantity {quantity!r}; choose one of {', '.join(QUANTITIES)}")
    fx, xs = parse_range(scenario, *x, MAX_CELLS)
    fy, ys = parse_range(scenario, *y, MAX_CELLS)
    if fx.name == fy.name:
        raise ValueError(f"{fy.name}: the two fields of a map must differ")
    if quantity == "human_utility" and not hasattr(scenario.world, "expected_utility"):
        raise ValueError("quantity: human_utility needs a world with a human policy")
    report = progress or (lambda fraction: None)
    rows = max(1, CELLS_PER_CHUNK // len(xs))
    blocks = [(i, ys[i:i + rows]) for i in range(0, len(ys), rows)]
    out = np.full((len(ys), len(xs)), np.nan)
    valid = done = 0

    def take(i: int, part: tuple[np.ndarray, int]) -> None:
        nonlocal valid, done
        values, found = part
        out[i:i + len(values)] = values
        valid, done = valid + found, done + len(values)
        report(done / len(ys))

    if executor is None:
        for i, block in blocks:
            take(i, block_values(scenario, fx, fy, xs, block, quantity))
    else:
        futures = {executor.submit(block_values, scenario, fx, fy, xs, block, quantity): i for i, block in blocks}
        try:
            for future in as_completed(futures):
                take(futures[future], future.result())
        finally:  # stopped early (an error, or the page left while it reported): drop the blocks not started
            for future in futures:
                future.cancel()
    if not valid:
        raise ValueError(f"{fx.name}, {fy.name}: the scenario is not valid anywhere on this grid")
    return Map(scenario, fx, fy, xs, ys, quantity, out)


def block_values(scenario: Scenario, fx: Field, fy: Field, xs: np.ndarray, ys: np.ndarray,
                 quantity: str) -> tuple[np.ndarray, int]:
    """The quantity at the rows ``ys`` of a map (NaN where the scenario is not valid), by one
    :func:`~core.solve.solutions.solve_batch` of what it needs, and how many cells are valid."""
    cells, where = [], []
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            try:
                cells.append(fy.set(fx.set(scenario, xv), yv))
            except ValueError:
                continue
            where.append(i * len(xs) + j)
    out = np.full(len(ys) * len(xs), np.nan)
    if cells:
        out[where] = _values(solve_batch([c.world for c in cells], [c.rule for c in cells], NEEDS[quantity]),
                             quantity)
    return out.reshape(len(ys), len(xs)), len(cells)


def _values(solutions: Solutions, quantity: str) -> np.ndarray:
    if quantity == "fixed_points":
        return solutions.counts
    if quantity == "human_utility":
        return solutions.optimum_human_utility
    if quantity == "inaccuracy":
        return solutions.inaccuracy
    if quantity == "distance":
        return solutions.distance_to_fixed_point
    return solutions.ratio(quantity.removesuffix("_ratio"))
