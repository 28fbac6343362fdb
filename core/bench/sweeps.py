"""Benchmark rows: sweeps by continuation and batched solvers, against the same sweeps solved value by value
from scratch (find_fixed_points and performative_optimum at every value), and 100 × 100 maps of two and three
outcomes."""

from __future__ import annotations

from core.model.presets import get_preset
from core.solve.fixed_points import find_fixed_points
from core.solve.optimum import performative_optimum
from core.sweeps.diagram import sweep
from core.sweeps.fields import parse_range
from core.sweeps.grid import sweep_grid

NAME = "sweeps"
#: (label, preset, field, from, to, values, target milliseconds: the issue's "about a second" / "a few seconds")
SWEEPS = [
    ("2 outcomes (bank-run, steepness)", "bank-run", "world.steepness", 1.0, 20.0, 400, 1000.0),
    ("3 outcomes (coordination, beta)", "coordination", "world.beta", 0.0, 20.0, 400, 5000.0),
    ("5 outcomes (five-candidates, beta)", "five-candidates", "world.beta", 0.0, 20.0, 100, None),
]


def _from_scratch(preset: str, field: str, start: float, stop: float, num: int) -> None:
    scenario = get_preset(preset).scenario
    parsed, values = parse_range(scenario, field, start, stop, num, num)
    for value in values:
        s = parsed.set(scenario, value)
        find_fixed_points(s.world)
        performative_optimum(s.world, s.rule)


def cases():
    out = []
    for label, preset, field, start, stop, num, target in SWEEPS:
        scenario = get_preset(preset).scenario
        out.append((f"sweep of {num} values, {label}",
                    lambda s=scenario, a=(field, start, stop, num): sweep(s, *a), target))
        out.append(("  the same, solved from scratch at every value",
                    lambda a=(preset, field, start, stop, num): _from_scratch(*a), None))
    notebook = get_preset("notebook-log").scenario
    out.append(("map 100 x 100, 2 outcomes (inaccuracy over p*, alpha; log rule)",
                lambda: sweep_grid(notebook, ("world.p_star", 0.0, 1.0, 100), ("world.alpha", 0.0, 0.95, 100),
                                   "inaccuracy"), 5000.0))
    coordination = get_preset("coordination").scenario
    out.append(("map 100 x 100, 3 outcomes (inaccuracy over beta, epsilon; coordination)",
                lambda: sweep_grid(coordination, ("world.beta", 0.0, 20.0, 100), ("world.epsilon", 0.0, 0.5, 100),
                                   "inaccuracy"), 20000.0))
    return out
