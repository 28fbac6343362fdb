"""How a human chooses an action from the values of the actions: the choice rules.

A human who reads a prediction p gives action a the preference V[a]·p + b[a] (for most rules V is
the utility table U and b = 0: the expected utility of a under p) and picks actions with the
probabilities of a *choice rule*. Each rule is one small class that gives

- ``probs(pref)``: the action probabilities, shape ``(..., m)``, from preferences ``(..., m)``,
- ``weighted_derivative(pref, left, right)``: Σ_a,c left[a, i] ∂π_a/∂pref_c right[c, j], shape
  ``(..., i, j)`` (zero where π is a step function): the Jacobian of π(pV̄ᵀ + b) weighted by outcome rows,
  computed without forming the ``(..., m, m)`` derivative, which for a batch of points costs far more;
  ``derivative(pref)``, ∂π_a/∂pref_c itself, is the case left = right = I,
- ``is_step``: whether π is piecewise constant in the preferences,
- ``breakpoints(slope, icpt)``: for preferences that are affine in one variable x ∈ [0, 1]
  (pref_a = slope_a·x + icpt_a), the x where π has a kink or a jump,
- ``preferences(u)``: the (V, b) of the rule for the utility table ``u``.

On top of any rule, ε-exploration mixes in the uniform choice (:func:`explore`). A rule's parameters (and
ε) may also hold one value per point, arrays of the batch shape of the preferences: so one rule serves many
worlds at once (:mod:`core.model.batch`). See docs/theory.md#worlds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Union

import numpy as np

from core.model.simplex import row_max, row_sum, rows_times

#: Preference differences below this (relative) count as ties of the best-responding human.
TIE_TOL = 1e-12


def softmax(x: np.ndarray) -> np.ndarray:
    """exp(x) normalised over the last axis, computed without overflow."""
    x = np.asarray(x, dtype=float)
    z = np.exp(x - row_max(x, keepdims=True))
    return z / row_sum(z, keepdims=True)


def best_actions(values: np.ndarray) -> np.ndarray:
    """Which actions have the largest value (within :data:`TIE_TOL`, relative), a boolean mask."""
    values = np.asarray(values, dtype=float)
    scale = 1.0 + row_max(np.abs(values), keepdims=True)
    return values >= row_max(values, keepdims=True) - TIE_TOL * scale


def explore(probs: np.ndarray, epsilon: float) -> np.ndarray:
    """ε-exploration: (1 − ε) π + ε / m (ε a number, or one per point)."""
    probs = np.asarray(probs, dtype=float)
    if np.ndim(epsilon) == 0 and epsilon == 0:
        return probs  # no exploration: spare a point-by-point caller the arithmetic
    epsilon = np.asarray(epsilon)[..., None]
    return (1.0 - epsilon) * probs + epsilon / probs.shape[-1]


def expected_utility(probs: np.ndarray, q: np.ndarray, u: np.ndarray) -> np.ndarray:
    """The human's expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω] under action probabilities ``probs``."""
    return rows_times(probs, np.sum(q * u, axis=1))


def _utility_preferences(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return u, np.zeros(u.shape[0])


def _identities(pref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m = np.shape(pref)[-1]
    return np.eye(m), np.eye(m)


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
        return self.weighted_derivative(pref, *_identities(pref))

    def weighted_derivative(self, pref: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        return np.zeros(np.shape(pref)[:-1] + (left.shape[1], right.shape[1]))

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
        return softmax(np.asarray(self.beta)[..., None] * np.asarray(pref, dtype=float))

    def derivative(self, pref: np.ndarray) -> np.ndarray:
        return self.weighted_derivative(pref, *_identities(pref))

    def weighted_derivative(self, pref: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        # ∂π_a/∂pref_c = β π_a (δ_ac − π_c), so the sum is β (Σ_a π_a L_ai R_aj − (Σ_a π_a L_ai)(Σ_c π_c R_cj)):
        # the first term one product of π with the table L_ai R_aj, of shape (m, i·j).
        pi = self.probs(pref)
        (m, i), j = left.shape, right.shape[1]
        first = rows_times(pi, (left[:, :, None] * right[:, None, :]).reshape(m, i * j)).reshape(pi.shape[:-1] + (i, j))
        second = rows_times(pi, left)[..., :, None] * rows_times(pi, right)[..., None, :]
        return np.asarray(self.beta)[..., None, None] * (first - second)

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
        return bool(np.all(np.equal(self.ramp_width, 0)))

    def preferences(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # The second action's preference over the first is p[outcome] − threshold.
        v = np.zeros((2, u.shape[1]))
        v[1, self.outcome] = 1.0
        b = np.zeros(np.shape(self.threshold) + (2,))
        b[..., 1] = -np.asarray(self.threshold)
        return v, b

    def probs(self, pref: np.ndarray) -> np.ndarray:
        pref = np.asarray(pref, dtype=float)
        if self.is_step:
            return BestResponse().probs(pref)
        # A ramp width held per point may be 0 at some points (a map from a hard step): those step.
        width = np.asarray(self.ramp_width)
        step = BestResponse().probs(pref)[..., 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            ramp = np.clip((pref[..., 1] - pref[..., 0]) / width + 0.5, 0.0, 1.0)
        second = np.where(width > 0, ramp, step)
        return np.stack([1.0 - second, second], axis=-1)

    def derivative(self, pref: np.ndarray) -> np.ndarray:
        return self.weighted_derivative(pref, *_identities(pref))

    def weighted_derivative(self, pref: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        # ∂π/∂pref = rate · s sᵀ with s = (−1, 1), rate = 1/w inside the ramp and 0 outside: the sum is
        # rate (L₂ − L₁)_i (R₂ − R₁)_j.
        pref = np.asarray(pref, dtype=float)
        if self.is_step:
            return BestResponse().weighted_derivative(pref, left, right)
        width = np.asarray(self.ramp_width)
        inside = np.abs(pref[..., 1] - pref[..., 0]) < width / 2
        with np.errstate(divide="ignore"):
            rate = np.where(inside, 1.0 / width, 0.0)
        return rate[..., None, None] * np.multiply.outer(left[1] - left[0], right[1] - right[0])

    def breakpoints(self, slope: np.ndarray, icpt: np.ndarray) -> tuple[float, ...]:
        if self.is_step:
            return BestResponse().breakpoints(slope, icpt)
        ds, di = slope[1] - slope[0], icpt[1] - icpt[0]
        if ds == 0:
            return ()
        xs = [(edge - di) / ds for edge in (-self.ramp_width / 2, self.ramp_width / 2)]
        return tuple(sorted(float(x) for x in xs if 0.0 < x < 1.0))


ChoiceRule = Union[BestResponse, Softmax, Threshold]
