"""The batched two-outcome solvers agree with the single-world ones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.model.presets import get_preset
from core.model.simplex import binary
from core.solve.fixed_points import find_fixed_points
from core.solve.optimum import performative_optimum
from core.sweeps import binary as batch


@pytest.mark.parametrize("preset, field, values", [
    ("bank-run", "steepness", np.linspace(1.0, 20.0, 40)),
    ("self-defeating-softmax", "beta", np.linspace(0.0, 30.0, 31)),
    ("ramp", "b", np.linspace(0.35, 0.9, 23)),
])
def test_batched_fixed_points_and_optima_match_the_single_solvers(preset: str, field: str, values) -> None:
    scenario = get_preset(preset).scenario
    worlds = [replace(scenario.world, **{field: float(v)}) for v in values]
    roots = batch.fixed_points(worlds)
    optima = batch.optima(worlds, [scenario.rule] * len(worlds))
    for world, xs, x in zip(worlds, roots, optima):
        full = sorted(fp.p[0] for fp in find_fixed_points(world))
        assert np.allclose(xs, full, atol=1e-10)
        best = performative_optimum(world, scenario.rule)
        # Ties (a symmetric world) may pick either optimum: compare the scores.
        assert float(scenario.rule.expected(binary(x), world(binary(x)))) == pytest.approx(best.score, abs=1e-11)
