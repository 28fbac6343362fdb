"""How a human chooses an action from the values of the actions: the choice rules.

A human who reads a prediction p gives action a the preference V[a]·p + b[a] (for most rules V is
the utility table U and b = 0: the expected utility of a under p) and picks actions with the
probabilities of a *choice rule*. Each rule is one small class that gives

- ``probs(pref)``: the action probabilities, shape ``(..., m)``, from preferences ``(..., m)``,
- ``derivative(pref)``: ∂π_a/∂pref_c, shape ``(..., m, m)`` (zero where π is a step function),
- ``is_step``: whether π is piecewise constant in the preferences,
- ``breakpoints(slope, icpt)``: for preferences that are affine in one variable x ∈ [0, 1]
  (pref_a = slope_a·x + icpt_a), the x where π has a kink or a jump,
- ``preferences(u)``: the (V, b) of the rule for the utility table ``u``.

On top of any rule, ε-exploration mixes in the uniform choice (:func:`explore`). See
docs/theory.md#worlds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Union

import numpy as np

#: Preference differences below this (relative) count as ties of the best-responding human.
TIE_TOL = 1e-12


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x) normalised over the last axis, computed without overflow."""
    z = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def best_actions(values: np.ndarray) -> np.ndarray:
    """Which actions have the largest value (within :data:`TIE_TOL`, relative), a boolean mask."""
    values = np.asarray(values, dtype=float)
    scale = 1.0 + np.abs(values).max(axis=-1, keepdims=True)
    return values >= values.max(axis=-1, keepdims=True) - TIE_TOL * scale


def explore(probs: np.ndarray, epsilon: float) -> np.ndarray:
    """ε-exploration: (1 − ε) π + ε / m."""
    probs = np.asarray(probs, dtype=float)
    return (1.0 - epsilon) * probs + epsilon / probs.shape[-1]


def expected_utility(probs: np.ndarray, q: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The human's expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω] under action probabilities ``probs``."""
    return np.asarray(probs, dtype=float) @ np.sum(q * u, axis=1)


def _utility_preferences(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return u, np.zeros(u.shape[0])


@dataclass(frozen=True)
class BestResponse:
    """argmax_a pref_a, ties split evenly."""

    is_step: ClassVar[bool] = True

    def preferences(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _utility_preferences(u)

    def probs(self, pref: np.ndarray) -> np.ndarray:
        best = best_actions(pref)
        return best / best.sum(axis=-1, keepdims=True)

    def derivative(self, pref: np.ndarray) -> np.ndarray:
        pref = np.asarray(pref, dtype=float)
        return np.zeros(pref.shape + pref.shape[-1:])

    def breakpoints(self, slope: np.ndarray, icpt: np.ndarray) -> tuple[float, ...]:
        # The best action changes where two lines cross on the upper envelope, i.e. where both are best.
        xs = set()
        for a in range(len(slope)):
            for c in range(a + 1, len(slope)):
                ds = slope[a] - slope[c]
                if ds != 0:
                    x = (icpt[c] - icpt[a]) / ds
                    pref = slope * x + icpt
                    if 0.0 < x < 1.0 and pref[a] >= pref.max() - TIE_TOL * (1.0 + np.abs(pref).max()):
                        xs.add(float(x))
        return tuple(sorted(xs))


@dataclass(frozen=True)
class Softmax:
    """Quantal response: π_a ∝ exp(β pref_a); β = 0 is uniform, β → ∞ best response."""

    beta: float
    is_step: ClassVar[bool] = False

    def preferences(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return _utility_preferences(u)

    def probs(self, pref: np.ndarray) -> np.ndarray:
        return softmax(self.beta * np.asarray(pref, dtype=float))

    def derivative(self, pref: np.ndarray) -> np.ndarray:
        # ∂π_a/∂pref_c = β π_a (δ_ac − π_c)
        pi = self.probs(pref)
        return self.beta * (pi[..., :, None] * np.eye(pi.shape[-1]) - pi[..., :, None] * pi[..., None, :])

    def breakpoints(self, slope: np.ndarray, icpt: np.ndarray) -> tuple[float, ...]:
        return ()


@dataclass(frozen=True)
class Threshold:
    """Two actions: the second when p[outcome] > threshold; with ``ramp_width`` w > 0 its probability
    rises linearly over [threshold − w/2, threshold + w/2] ("withdraw if P(run) > t")."""

    threshold: float
    outcome: int
    ramp_width: float

    @property
    def is_step(self) -> bool:
        return self.ramp_width == 0

    def preferences(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # The second action's preference over the first is p[outcome] − threshold.
        v = np.zeros((2, u.shape[1]))
        v[1, self.outcome] = 1.0
        return v, np.array([0.0, -self.threshold])

    def probs(self, pref: np.ndarray) -> np.ndarray:
        pref = np.asarray(pref, dtype=float)
        if self.is_step:
            return BestResponse().probs(pref)
        second = np.clip((pref[..., 1] - pref[..., 0]) / self.ramp_width + 0.5, 0.0, 1.0)
        return np.stack([1.0 - second, second], axis=-1)

    def derivative(self, pref: np.ndarray) -> np.ndarray:
        pref = np.asarray(pref, dtype=float)
        out = np.zeros(pref.shape + (2,))
        if self.is_step:
            return out
        inside = np.abs(pref[..., 1] - pref[..., 0]) < self.ramp_width / 2
        rate = np.where(inside, 1.0 / self.ramp_width, 0.0)
        out[..., 1, 1] = out[..., 0, 0] = rate
        out[..., 1, 0] = out[..., 0, 1] = -rate
        return out

    def breakpoints(self, slope: np.ndarray, icpt: np.ndarray) -> tuple[float, ...]:
        if self.is_step:
            return BestResponse().breakpoints(slope, icpt)
        ds, di = slope[1] - slope[0], icpt[1] - icpt[0]
        if ds == 0:
            return ()
        xs = [(edge - di) / ds for edge in (-self.ramp_width / 2, self.ramp_width / 2)]
        return tuple(sorted(float(x) for x in xs if 0.0 < x < 1.0))


ChoiceRule = Union[BestResponse, Softmax, Threshold]
