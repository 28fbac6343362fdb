"""Learning dynamics of a predictor facing a world (docs/theory.md#learning-dynamics).

For now: repeated prediction p ← f(p), which is also repeated risk minimisation under a proper
scoring rule (the best report against last round's world is that world's distribution).
"""

from __future__ import annotations

import numpy as np

from core.model.simplex import as_simplex
from core.model.worlds import World

MAX_STEPS = 10_000


def repeated_prediction(world: World, start: np.ndarray, steps: int) -> np.ndarray:
    """The orbit p₀, f(p₀), f(f(p₀)), … of ``steps`` updates, shape ``(steps + 1, n)``."""
    if not 0 <= steps <= MAX_STEPS:
        raise ValueError(f"steps must be between 0 and {MAX_STEPS}, got {steps}")
    p = as_simplex(start, name="start")
    orbit = [p]
    for _ in range(steps):
        p = world(p)
        orbit.append(p)
    return np.array(orbit)
