"""The benchmark's naive scipy user (core/bench/naive.py) is a fair opponent: on presets whose fixed points the
theory gives, it finds them all, and its optimum is the analysis's."""

from __future__ import annotations

import numpy as np
import pytest

from core.analysis import analyze
from core.bench.naive import at_least_as_accurate, naive_analysis
from core.model.presets import get_preset


@pytest.mark.parametrize(("name", "count"), [("bank-run", 3), ("coordination", 7), ("notebook-log", 1)])
def test_the_naive_user_finds_every_fixed_point_and_the_optimum(name: str, count: int) -> None:
    scenario = get_preset(name).scenario
    naive, ours = naive_analysis(scenario), analyze(scenario)
    assert len(naive.fixed_points) == count == len(ours.fixed_points)
    for fp in ours.fixed_points:
        assert np.min(np.max(np.abs(naive.fixed_points - fp.p), axis=1)) <= 1e-6
        assert np.isclose(naive.spectral_radius[np.argmin(np.max(np.abs(naive.fixed_points - fp.p), axis=1))],
                          fp.spectral_radius, atol=1e-4)
    assert abs(naive.score - ours.optimum.score) <= 1e-8
    assert at_least_as_accurate(scenario)
