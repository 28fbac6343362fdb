"""Tests of core.model.batch: a WorldBatch evaluates each point with its own world, exactly as that world alone.

The reference is each world called by itself on its own points; a batch must agree to rounding (its worlds
evaluate with the same arithmetic, one value per point in place of one number).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from core.model.batch import WorldBatch
from core.model.presets import get_preset
from core.model.worlds import LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld

THREE = PolicyWorld(actions=("a", "b", "c"), Q=((0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.2, 0.2, 0.6)),
                    U=((1.0, 0.0, 0.2), (0.0, 1.1, 0.0), (0.3, 0.3, 0.5)), policy="softmax", beta=4.0)
RAMP = PolicyWorld(actions=("stay", "go"), Q=((0.7, 0.2, 0.1), (0.1, 0.3, 0.6)), U=((0, 0, 0), (0, 0, 0)),
                   policy="threshold", threshold=0.4, threshold_outcome=0, ramp_width=0.2)

FAMILIES = {
    # Worlds that differ in number fields only: evaluated in one call.
    "softmax along beta and epsilon": [replace(THREE, beta=b, epsilon=e)
                                       for b, e in [(0.0, 0.0), (3.0, 0.1), (12.0, 0.3)]],
    "ramp along threshold and width": [replace(RAMP, threshold=t, ramp_width=w)
                                       for t, w in [(0.3, 0.1), (0.4, 0.2), (0.5, 0.05)]],
    "matrix along alpha": [MatrixWorld(alpha=a) for a in (0.0, 0.4, 0.9)],
    "five candidates along beta": [replace(get_preset("five-candidates").scenario.world, beta=b)
                                   for b in (8.0, 10.5, 12.0)],
    "linear along both fields": [LinearWorld(p_star=p, alpha=a) for p, a in [(0.2, 0.5), (0.5, -0.9), (0.9, 0.1)]],
    "logistic": [LogisticWorld(steepness=k) for k in (2.0, 12.0, 40.0)],
    "ramp world": [RampWorld(a=a, b=a + 0.2) for a in (0.1, 0.3, 0.5)],
    # Worlds that differ in Q: called one by one.
    "softmax along an entry of Q": [replace(THREE, Q=((q, 0.9 - q, 0.1), (0.1, 0.8, 0.1), (0.2, 0.2, 0.6)))
                                    for q in (0.5, 0.7, 0.9)],
}


def _points(worlds, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    which = rng.integers(0, len(worlds), size=count)
    return which, rng.dirichlet(np.ones(worlds[0].n), size=count)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_each_point_is_evaluated_by_its_own_world(name: str) -> None:
    worlds = FAMILIES[name]
    which, p = _points(worlds, 40, 1)
    world = WorldBatch(worlds).at(which)
    f, jac = world(p), world.jacobian(p)
    for k, w in enumerate(worlds):
        mine = which == k
        np.testing.assert_allclose(f[mine], w(p[mine]), rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(jac[mine], w.jacobian(p[mine]), rtol=1e-12, atol=1e-13)
        if isinstance(w, PolicyWorld):
            np.testing.assert_allclose(world.action_probs(p)[mine], w.action_probs(p[mine]), rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", ["softmax along beta and epsilon", "softmax along an entry of Q",
                                  "linear along both fields"])
def test_a_grid_shared_by_every_world(name: str) -> None:
    # ``which`` names the world of each row; the grid's axis is shared: f of world k on the whole grid.
    worlds = FAMILIES[name]
    grid = np.random.default_rng(2).dirichlet(np.ones(worlds[0].n), size=7)
    f = WorldBatch(worlds).at(np.arange(len(worlds)), 2)(np.broadcast_to(grid, (len(worlds),) + grid.shape))
    for k, w in enumerate(worlds):
        np.testing.assert_allclose(f[k], w(grid), rtol=1e-13, atol=1e-15)


def test_one_world_is_itself_and_sizes_must_agree() -> None:
    assert WorldBatch([THREE]).at(np.zeros(5, dtype=int)) is THREE
    assert WorldBatch([THREE, replace(THREE)]).at(np.zeros(5, dtype=int)) is THREE  # equal worlds: no copy
    with pytest.raises(ValueError, match="number of outcomes"):
        WorldBatch([THREE, LinearWorld()])


def test_a_batch_leaves_its_worlds_untouched() -> None:
    worlds = FAMILIES["softmax along beta and epsilon"]
    WorldBatch(worlds).at(np.array([0, 1, 2, 1]))(np.full((4, 3), 1.0 / 3.0))
    assert [w.beta for w in worlds] == [0.0, 3.0, 12.0] and all(isinstance(w.beta, float) for w in worlds)
