"""Two-parameter maps: one quantity of the analysis over a grid of two fields.

Two-outcome worlds that are not step functions are solved for all cells at once
(:mod:`core.sweeps.binary`); any other world cell by cell with :func:`core.analysis.analyze`. Cells where
the scenario is not valid (a linear world whose f leaves [0, 1], say) are NaN.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable

import numpy as np

from core.analysis import analyze
from core.model.scenario import Scenario
from core.model.simplex import binary, distance
from core.solve.bounds import theorem_bounds
import core.sweeps.binary as batch
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
#: Cells per axis at most.
MAX_CELLS = 400
#: Intervals of the first grid of each two-outcome cell (the single analysis uses 2000; a map trades a
#: little of that safety for speed: a peak or a pair of fixed points narrower than 1/500 can be missed).
MAP_NODES = 500


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
    index = np.array([c[0] for c in cells])
    scenarios = [c[1] for c in cells]
    if scenario.n == 2 and not scenario.world.is_step:
        out[index] = _binary_values(scenarios, quantity, report)
    else:
        for c, (k, s) in enumerate(cells):
            out[k] = _value(s, quantity)
            report(c / len(cells))
    report(1.0)
    return Map(scenario, fx, fy, xs, ys, quantity, out.reshape(len(ys), len(xs)))


def _binary_values(scenarios: list[Scenario], quantity: str, report: Callable[[float], None]) -> np.ndarray:
    worlds = [s.world for s in scenarios]
    chunk = 500  # progress in steps, and bounded memory for the grids of S(x, f(x))
    values = []
    for start in range(0, len(scenarios), chunk):
        part = scenarios[start:start + chunk]
        ws = worlds[start:start + chunk]
        if quantity == "fixed_points":
            values.append(np.array([len(r) for r in batch.fixed_points(ws, MAP_NODES)], dtype=float))
        else:
            p = binary(batch.optima(ws, [s.rule for s in part], MAP_NODES))
            q = np.stack([w(pk) for w, pk in zip(ws, p)])
            if quantity == "human_utility":
                values.append(np.array([float(w.expected_utility(pk)) for w, pk in zip(ws, p)]))
            elif quantity.startswith("inaccuracy"):
                values.append(distance(p, q))
            else:
                roots = batch.fixed_points(ws, MAP_NODES)
                values.append(np.array([np.min(np.abs(r - pk[0])) if len(r) else np.nan for r, pk in zip(roots, p)]))
            if quantity.endswith("ratio"):
                with np.errstate(all="ignore"):
                    values[-1] = values[-1] / np.array([_bound(s, quantity) for s in part])
        report(min(start + chunk, len(scenarios)) / len(scenarios))
    return np.concatenate(values)


def _bound(scenario: Scenario, quantity: str) -> float:
    bounds = theorem_bounds(scenario.world, scenario.rule)
    bound = None if bounds is None else (bounds.inaccuracy if quantity == "inaccuracy_ratio"
                                         else bounds.distance_to_fixed_point)
    # A zero bound (f constant) leaves the ratio undefined: the optimum is then honest anyway.
    return np.nan if bound is None or bound == 0 else bound


def _value(scenario: Scenario, quantity: str) -> float:
    result = analyze(scenario)
    if quantity == "fixed_points":
        return float(len(result.fixed_points))
    if quantity == "human_utility":
        return float(scenario.world.expected_utility(result.optimum.p))
    value = result.inaccuracy if quantity.startswith("inaccuracy") else result.distance_to_fixed_point
    value = np.nan if value is None else value
    with np.errstate(all="ignore"):
        return value / _bound(scenario, quantity) if quantity.endswith("ratio") else value
