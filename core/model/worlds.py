"""Worlds: the map f from a prediction p to the distribution q = f(p) of outcomes it brings about.

A world is either a human response policy (the human reads p, picks an action a with probability
π(a | p), and action a makes outcome ω happen with probability Q[a, ω], so f(p) = Σ_a π(a | p) Q[a])
or a world function given directly. Each world is a frozen dataclass of plain values (so it is
hashable, serializable and cacheable) with

- ``n``: the number of outcomes,
- ``__call__(p)``: f on a batch ``(..., n) -> (..., n)``,
- ``jacobian(p)``: the ambient Jacobian ∂f_i/∂p_j, ``(..., n, n)``; only its action on the tangent
  space of the simplex matters,
- ``breakpoints()``: for two outcomes, the probabilities of the first outcome where f has a kink or
  a jump (used as nodes of search grids),
- ``is_step``: whether f is piecewise constant (best response, hard threshold); such worlds have
  their fixed points and optimum found exactly, region by region
  (:mod:`core.solve.support_enumeration`).
- ``PER_POINT``: the number fields that may also hold one value per point (arrays of the batch shape of
  the predictions), which f and its Jacobian broadcast over: so one world object evaluates many worlds
  that differ only there, each point with its own (:mod:`core.model.batch`).
- ``affine()`` (linear and matrix worlds): (b, M) with f(p) = b + M p, which the solvers use in closed form;
- ``KINKED``: whether ``breakpoints()`` can be non-empty (batched searches ask only such worlds for them).

Binary world functions are written in x, the probability of the *first* outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, Union

import numpy as np

from core.model.choice import BestResponse, ChoiceRule, Softmax, Threshold, expected_utility, explore
from core.model.simplex import as_simplex, rows_times

POLICY_KINDS = {
    "best_response": "Best response (ties split evenly)",
    "softmax": "Softmax / quantal response",
    "threshold": "Threshold between two actions",
}

#: The narrowest ramp of a threshold policy (narrower ones are numerically a step: use 0).
MIN_RAMP = 1e-6
#: The largest rationality β: beyond it a softmax human is a best-responding one to machine precision, and
#: the Jacobians of f are too steep to solve with (choose best_response instead).
MAX_BETA = 1000.0
#: The largest size of a utility or of a logistic world's centre and steepness the numerics can carry.
MAX_MAGNITUDE = 1e6


def _matrix(value: tuple[tuple[float, ...], ...]) -> np.ndarray:
    return np.array(value, dtype=float)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _freeze(obj: object, name: str) -> None:
    """Store a sequence field (lists, tuples or numpy arrays, of numbers or of rows) as nested tuples
    of Python values, so that worlds stay hashable, immutable and serializable."""
    value = getattr(obj, name)

    def plain(x: object) -> object:
        if isinstance(x, (list, tuple, np.ndarray)):
            return tuple(plain(v) for v in x)
        return x.item() if isinstance(x, np.generic) else x

    object.__setattr__(obj, name, plain(value))


def _check_unit(name: str, value: float, lo: float = 0.0, hi: float = 1.0) -> None:
    if not (np.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"world: {name} must lie in [{lo:g}, {hi:g}], got {value!r}")


def _check_finite(name: str, value: float, bound: float = np.inf) -> None:
    if not (np.isfinite(value) and abs(value) <= bound):
        raise ValueError(f"world: {name} must be a finite number" + (f" of size at most {bound:g}" if bound < np.inf else "")
                         + f", got {value!r}")


@dataclass(frozen=True)
class PolicyWorld:
    """A human who reads the prediction and acts: f(p) = Σ_a π(a | p) Q[a].

    Parameters
    ----------
    actions : names of the m actions.
    Q : m × n, row a is the outcome distribution when action a is taken.
    U : m × n, the human's utility U[a, ω] of action a when outcome ω happens.
    policy : ``"best_response"`` (argmax_a Σ_ω p_ω U[a, ω], ties split evenly), ``"softmax"``
        (π ∝ exp(β Σ_ω p_ω U[a, ω])), or ``"threshold"`` (two actions: the second one when
        p[threshold_outcome] > threshold; with ``ramp_width`` w > 0 the probability of the second
        action rises linearly over [threshold − w/2, threshold + w/2]).
    epsilon : ε-exploration, π ← (1 − ε) π + ε / m.
    """

    KIND: ClassVar[str] = "policy"
    PER_POINT: ClassVar[tuple[str, ...]] = ("beta", "epsilon", "threshold", "ramp_width")
    KINKED: ClassVar[bool] = True
    actions: tuple[str, ...] = ("act 1", "act 2")
    Q: tuple[tuple[float, ...], ...] = ((0.9, 0.1), (0.1, 0.9))
    U: tuple[tuple[float, ...], ...] = ((1.0, 0.0), (0.0, 1.0))
    policy: str = "best_response"
    beta: float = 5.0
    epsilon: float = 0.0
    threshold: float = 0.5
    threshold_outcome: int = 0
    ramp_width: float = 0.0

    def __post_init__(self) -> None:
        for name in ("actions", "Q", "U"):
            _freeze(self, name)
        q, u = _matrix(self.Q), _matrix(self.U)
        m = len(self.actions)
        if q.ndim != 2 or q.shape[0] != m:
            raise ValueError(f"world: Q must have one row per action ({m} rows), got shape {q.shape}")
        if u.shape != q.shape:
            raise ValueError(f"world: U must have the shape of Q {q.shape}, got {u.shape}")
        for a, row in enumerate(q):
            try:
                as_simplex(row, name=f"Q row {a + 1} ({self.actions[a]})")
            except ValueError as err:
                raise ValueError(f"world: {err}") from None
        if not np.all(np.isfinite(u)) or np.abs(u).max() > MAX_MAGNITUDE:
            raise ValueError(f"world: U must hold finite numbers of size at most {MAX_MAGNITUDE:g} "
                             "(utilities can be rescaled: only their differences, times β, matter)")
        if self.policy not in POLICY_KINDS:
            raise ValueError(f"world: unknown policy {self.policy!r}; choose one of {', '.join(POLICY_KINDS)}")
        _check_unit("epsilon", self.epsilon)
        if not (np.isfinite(self.beta) and 0 <= self.beta <= MAX_BETA):
            raise ValueError(f"world: beta (rationality) must lie in [0, {MAX_BETA:g}] (beyond, choose "
                             f"best_response), got {self.beta!r}")
        # The threshold fields are checked whatever the policy: a link may switch the policy later.
        if not (isinstance(self.threshold_outcome, int) and 0 <= self.threshold_outcome < q.shape[1]):
            raise ValueError(f"world: threshold_outcome must index an outcome (0..{q.shape[1] - 1}), "
                             f"got {self.threshold_outcome!r}")
        _check_unit("threshold", self.threshold)
        _check_unit("ramp_width", self.ramp_width)
        if 0 < self.ramp_width < MIN_RAMP:
            raise ValueError(f"world: ramp_width must be 0 (a hard step) or at least {MIN_RAMP:g}, "
                             f"got {self.ramp_width!r}")
        if self.policy == "threshold" and m != 2:
            raise ValueError(f"world: the threshold policy needs exactly two actions, got {m}")

    @property
    def n(self) -> int:
        return len(self.Q[0])

    @property
    def m(self) -> int:
        return len(self.actions)

    # Q and U as arrays, made once per world: f is evaluated point by point in many places (continuation, local
    # optimisation), where making them again at every call costs a tenth of the call. A copy whose number fields
    # hold one value per point (core.model.batch) shares them: Q and U are never among those fields.
    @cached_property
    def q(self) -> np.ndarray:
        return _readonly(_matrix(self.Q))

    @cached_property
    def u(self) -> np.ndarray:
        return _readonly(_matrix(self.U))

    @property
    def choice(self) -> ChoiceRule:
        """The human's choice rule (before ε-exploration)."""
        if self.policy == "softmax":
            return Softmax(self.beta)
        if self.policy == "threshold":
            return Threshold(self.threshold, self.threshold_outcome, self.ramp_width)
        return BestResponse()

    @property
    def is_step(self) -> bool:
        return self.choice.is_step

    def preferences(self) -> tuple[np.ndarray, np.ndarray]:
        """(V, b) with the human's preference for action a at p equal to V[a] · p + b[a]."""
        return self.choice.preferences(self.u)

    def effective_outcomes(self) -> np.ndarray:
        """Row a: the outcome distribution when the human means to take action a (after ε-exploration)."""
        q = self.q
        return (1.0 - self.epsilon) * q + self.epsilon * q.mean(axis=0)

    def base_policy(self, p: np.ndarray) -> np.ndarray:
        """π(a | p) before exploration, shape ``(..., m)``."""
        choice = self.choice
        v, b = choice.preferences(self.u)
        return choice.probs(rows_times(p, v.T) + b)

    def action_probs(self, p: np.ndarray) -> np.ndarray:
        """π(a | p) including ε-exploration, shape ``(..., m)``."""
        return explore(self.base_policy(p), self.epsilon)

    def __call__(self, p: np.ndarray) -> np.ndarray:
        return rows_times(self.action_probs(p), self.q)

    def jacobian(self, p: np.ndarray) -> np.ndarray:
        v, b = self.preferences()
        # f_i = (1 − ε) Σ_a π_a Q[a, i] + const, and ∂π_a/∂p_j = Σ_c ∂π_a/∂pref_c V[c, j].
        jac = self.choice.weighted_derivative(rows_times(p, v.T) + b, self.q, v)
        return (1.0 - np.asarray(self.epsilon))[..., None, None] * jac

    def expected_utility(self, p: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        """The human's expected utility Σ_a π_a Σ_ω Q[a, ω] U[a, ω] when acting on p.

        ``weights`` replaces π(· | p) when given (the mixing of a mixed fixed point).
        """
        pi = self.action_probs(p) if weights is None else weights
        return expected_utility(pi, self.q, self.u)

    def breakpoints(self) -> tuple[float, ...]:
        if self.n != 2:
            return ()
        # Preference of a at x (the first outcome's probability): V[a,0] x + V[a,1] (1 − x) + b[a].
        v, b = self.preferences()
        return self.choice.breakpoints(v[:, 0] - v[:, 1], v[:, 1] + b)


class _BinaryFunction:
    """f and its Jacobian on the simplex for the binary world functions written in x = p[..., 0].

    Subclasses define ``value(x)`` and ``slope(x)``.
    """

    n: ClassVar[int] = 2
    is_step: ClassVar[bool] = False
    KINKED: ClassVar[bool] = False

    def __call__(self, p: np.ndarray) -> np.ndarray:
        fx = self.value(np.asarray(p, dtype=float)[..., 0])
        return np.stack([fx, 1.0 - fx], axis=-1)

    def jacobian(self, p: np.ndarray) -> np.ndarray:
        d = self.slope(np.asarray(p, dtype=float)[..., 0])
        jac = np.zeros(d.shape + (2, 2))
        jac[..., 0, 0] = d
        jac[..., 1, 0] = -d
        return jac

    def breakpoints(self) -> tuple[float, ...]:
        return ()


@dataclass(frozen=True)
class LinearWorld(_BinaryFunction):
    """Binary linear world f(x) = p* + α (x − p*): p* is its fixed point and α its slope."""

    KIND: ClassVar[str] = "linear"
    PER_POINT: ClassVar[tuple[str, ...]] = ("p_star", "alpha")
    p_star: float = 0.25
    alpha: float = 0.25

    def __post_init__(self) -> None:
        _check_unit("p_star", self.p_star)
        _check_finite("alpha", self.alpha)
        if self.alpha >= 1.0:
            raise ValueError(
                f"world: alpha must be < 1 (at alpha = 1 every prediction is a fixed point), got {self.alpha!r}"
            )
        for x in (0.0, 1.0):
            fx = self.p_star + self.alpha * (x - self.p_star)
            if not -1e-12 <= fx <= 1 + 1e-12:
                raise ValueError(
                    f"world: with p_star = {self.p_star:g} and alpha = {self.alpha:g}, f({x:g}) = {fx:.3g} "
                    "is not a probability; make |alpha| smaller"
                )

    def value(self, x: np.ndarray) -> np.ndarray:
        return self.p_star + self.alpha * (x - self.p_star)

    def affine(self) -> tuple[np.ndarray, np.ndarray]:
        """(b, M) with f(p) = b + M p on the simplex: b = (1 − α)(p*, 1 − p*), M = α I (per point, if the
        fields are)."""
        p_star, alpha = np.asarray(self.p_star, dtype=float), np.asarray(self.alpha, dtype=float)
        b = (1.0 - alpha)[..., None] * np.stack([p_star, 1.0 - p_star], axis=-1)
        return b, alpha[..., None, None] * np.eye(2)

    def slope(self, x: np.ndarray) -> np.ndarray:
        return np.full_like(x, self.alpha)


@dataclass(frozen=True)
class RampWorld(_BinaryFunction):
    """Binary ramp: f(x) = low for x ≤ a, high for x ≥ b, linear in between."""

    KIND: ClassVar[str] = "ramp"
    PER_POINT: ClassVar[tuple[str, ...]] = ("a", "b", "low", "high")
    KINKED: ClassVar[bool] = True
    a: float = 0.3
    b: float = 0.4
    low: float = 0.8
    high: float = 0.1

    def __post_init__(self) -> None:
        for name in ("a", "b", "low", "high"):
            _check_unit(name, getattr(self, name))
        if not self.b - self.a >= MIN_RAMP:
            raise ValueError(f"world: the ramp needs a < b (by at least {MIN_RAMP:g}), "
                             f"got a = {self.a:g}, b = {self.b:g}")

    def value(self, x: np.ndarray) -> np.ndarray:
        t = np.clip((x - self.a) / (self.b - self.a), 0.0, 1.0)
        return self.low + (self.high - self.low) * t

    def slope(self, x: np.ndarray) -> np.ndarray:
        inside = (x > self.a) & (x < self.b)
        return np.where(inside, (self.high - self.low) / (self.b - self.a), 0.0)

    def breakpoints(self) -> tuple[float, ...]:
        return tuple(x for x in (self.a, self.b) if 0.0 < x < 1.0)


@dataclass(frozen=True)
class LogisticWorld(_BinaryFunction):
    """Binary logistic world f(x) = low + (high − low) σ(k (x − center))."""

    KIND: ClassVar[str] = "logistic"
    PER_POINT: ClassVar[tuple[str, ...]] = ("center", "steepness", "low", "high")
    center: float = 0.5
    steepness: float = 12.0
    low: float = 0.02
    high: float = 0.98

    def __post_init__(self) -> None:
        _check_finite("center", self.center, MAX_MAGNITUDE)
        _check_finite("steepness", self.steepness, MAX_MAGNITUDE)
        _check_unit("low", self.low)
        _check_unit("high", self.high)

    def _sigma(self, x: np.ndarray) -> np.ndarray:
        return 0.5 * (1.0 + np.tanh(0.5 * self.steepness * (x - self.center)))

    def value(self, x: np.ndarray) -> np.ndarray:
        return self.low + (self.high - self.low) * self._sigma(x)

    def slope(self, x: np.ndarray) -> np.ndarray:
        s = self._sigma(x)
        return (self.high - self.low) * self.steepness * s * (1.0 - s)


@dataclass(frozen=True)
class MatrixWorld:
    """n outcomes: f(p) = (1 − α) c + α A p with A column-stochastic and c on the simplex."""

    KIND: ClassVar[str] = "matrix"
    PER_POINT: ClassVar[tuple[str, ...]] = ("A", "c", "alpha")
    KINKED: ClassVar[bool] = False
    A: tuple[tuple[float, ...], ...] = ((0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8))
    c: tuple[float, ...] = (1 / 3, 1 / 3, 1 / 3)
    alpha: float = 0.5

    def __post_init__(self) -> None:
        _freeze(self, "A")
        _freeze(self, "c")
        a = _matrix(self.A)
        n = len(self.c)
        if a.shape != (n, n):
            raise ValueError(f"world: A must be {n} × {n} (one row and column per outcome), got shape {a.shape}")
        try:
            as_simplex(a.T, name="a column of A")
            as_simplex(np.asarray(self.c, dtype=float), name="c")
        except ValueError as err:
            raise ValueError(f"world: {err}") from None
        _check_unit("alpha", self.alpha)

    is_step: ClassVar[bool] = False

    @property
    def n(self) -> int:
        return np.shape(self.c)[-1]  # c may hold one distribution per point (core.model.batch)

    def __call__(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        alpha = np.asarray(self.alpha)[..., None]
        a = _matrix(self.A)
        # A may be held per point (core.model.batch), shape (..., n, n). The products are made in full and summed
        # along their contiguous last axis, not by einsum or BLAS: a product's rounding must depend neither on how
        # many worlds share the batch nor on whether A is shared or held per point (einsum's inner loop changes
        # with the strides), since a flat maximum moves with the last bit.
        ap = (a * p[..., None, :]).sum(axis=-1)
        return (1.0 - alpha) * np.asarray(self.c, dtype=float) + alpha * ap

    def jacobian(self, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        jac = np.asarray(self.alpha)[..., None, None] * _matrix(self.A)
        return np.broadcast_to(jac, np.broadcast_shapes(jac.shape, p.shape + (self.n,))).copy()

    def affine(self) -> tuple[np.ndarray, np.ndarray]:
        """(b, M) with f(p) = b + M p: b = (1 − α) c, M = α A (per point, if the fields are)."""
        alpha = np.asarray(self.alpha)
        return (1.0 - alpha)[..., None] * np.asarray(self.c, dtype=float), alpha[..., None, None] * _matrix(self.A)

    def breakpoints(self) -> tuple[float, ...]:
        return ()


World = Union[PolicyWorld, LinearWorld, RampWorld, LogisticWorld, MatrixWorld]
WORLD_KINDS: dict[str, type] = {cls.KIND: cls for cls in (PolicyWorld, LinearWorld, RampWorld, LogisticWorld, MatrixWorld)}


def default_world(kind: str, n: int) -> World:
    """A sensible world of the given kind for ``n`` outcomes (the editor's starting point)."""
    if kind not in WORLD_KINDS:
        raise ValueError(f"world.kind: unknown world {kind!r}; choose one of {', '.join(WORLD_KINDS)}")
    cls = WORLD_KINDS[kind]
    if kind == "policy" or kind == "matrix":
        # Each action (or each predicted outcome) makes "its" outcome likely: 0.7 on the diagonal.
        mix = tuple(tuple(0.7 if i == j else 0.3 / (n - 1) for j in range(n)) for i in range(n))
        if kind == "matrix":
            return MatrixWorld(A=mix, c=tuple([1.0 / n] * n), alpha=0.5)
        eye = tuple(tuple(1.0 if i == j else 0.0 for j in range(n)) for i in range(n))
        return PolicyWorld(actions=tuple(f"action {i + 1}" for i in range(n)), Q=mix, U=eye)
    if n != 2:
        raise ValueError(f"world.kind: the {kind} world is defined for two outcomes only, not {n}")
    return cls()
