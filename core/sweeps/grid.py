"""Two-parameter maps: one quantity of the analysis over a grid of two fields.

The cells are solved together, in chunks, by :func:`core.solve.solutions.solve_batch` (only the parts the
quantity needs), so every cell shows what :func:`core.analysis.analyze` of its scenario shows. Cells where
the scenario is not valid (a linear world whose f leaves [0, 1], say) are NaN.
"""

from __future__ import annotations

import csv
import io
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
#: Cells solved together (progress in steps, and bounded memory for the grids of the searches).
CHUNK = 500


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
               quantity: str, progress: Callable[[float], None] | None = None) -> Map:
    """The map of ``quantity`` over the fields ``x = (name, start, stop, num)`` and ``y`` likewise."""
    if quantity not in QUANTITIES:
        raise ValueError(f"quantity: unknown quantity {quantity!r}; choose one of {', '.join(QUANTITIES)}")
    fx, xs = parse_range(scenario, *x, MAX_CELLS)
    fy, ys = parse_range(scenario, *y, MAX_CELLS)
    if fx.name == fy.name:
        raise ValueError(f"{fy.name}: the two fields of a map must differ")
    if quantity == "human_utility" and not hasattr(scenario.world, "expected_utility"):
        raise ValueError("quantity: human_utility needs a world with a human policy")
    report = progress or (lambda fraction: None)
    cells: list[tuple[int, Scenario]] = []
    for i, yv in enumerate(ys):
        for j, xv in enumerate(xs):
            try:
                cells.append((i * len(xs) + j, fy.set(fx.set(scenario, xv), yv)))
            except ValueError:
                pass
    if not cells:
        raise ValueError(f"{fx.name}, {fy.name}: the scenario is not valid anywhere on this grid")
    out = np.full(len(xs) * len(ys), np.nan)
    parts = NEEDS[quantity]
    for start in range(0, len(cells), CHUNK):
        part = cells[start:start + CHUNK]
        solutions = solve_batch([s.world for _, s in part], [s.rule for _, s in part], parts)
        out[[k for k, _ in part]] = _values(solutions, quantity)
        report(min(start + CHUNK, len(cells)) / len(cells))
    return Map(scenario, fx, fy, xs, ys, quantity, out.reshape(len(ys), len(xs)))


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
