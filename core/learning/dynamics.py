"""Learning dynamics of a predictor facing a world (docs/theory.md#learning-dynamics), run on a batch of starts at once.

Five methods, each a map p_t → p_{t+1} applied to every start of a batch ``(B, n)`` in one numpy step
(one Python loop over the rounds, none over the starts):

``repeated``       repeated prediction / repeated risk minimisation: p ← f(p) (under a proper rule the best
                   report against last round's world is that world's distribution).
``stop-gradient``  p ← Π(p + η d(p)), d = the step direction of ∇_p S(p, q) with q = f(p) held fixed.
``full-gradient``  p ← Π(p + η d(p)), d = the step direction of ∇_p S(p, f(p)) (through the world).
``sgd``            online SGD: ω ~ f(p) sampled each round, d = the step direction of ∇_p S(p, ω).
``random-search``  propose p′ = Π(p + η P_T z), z ~ N(0, I); keep p′ if S(p′, f(p′)) > S(p, f(p)).

**Step-size convention.** The step direction of an ambient gradient ∇ is d = 2 P_T ∇, where
P_T = I − 11ᵀ/n projects onto the tangent space {v : Σv = 0}: twice the tangent-space gradient, which
favours no outcome. For two outcomes, with x the first outcome's probability, 2 P_T ∇ = (∂_x, −∂_x) with
∂_x = ∂_1 − ∂_2 the derivative along p = (x, 1 − x): the update is x ← x + η dS/dx, the papers'
convention, so docs/theory.md#learning-dynamics's threshold 0 < η g′(p*)(1 − f′(p*)) < 2 holds as written (g = G′ along x).

**The projection Π** is the Euclidean projection onto the simplex. A rule whose score or gradient is not
finite on the simplex's faces (the log rule, the power rule with α < 2, …) keeps instead to the shrunk
simplex {p ≥ ``FACE_FLOOR``, Σp = 1}: Π_ε(v) = ε + (1 − nε) Π((v − ε)/(1 − nε)), its Euclidean projection.

**How a run ends** (``status``): ``converged`` (no coordinate moved more than ``STEP_TOL`` in a round; for
the random methods, which stand still whenever they reject or the projection holds them, in ``QUIET_ROUNDS``
rounds), ``cycle`` (the last
rounds repeat with a ``period`` up to ``MAX_PERIOD``), ``diverged`` (stuck on the boundary at a point that
is none of the given attractors: pressed there by the projection), or ``max_steps`` (still moving).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.model.rules import ScoringRule
from core.model.simplex import as_simplex, project, row_max, row_min, row_sum, simplex_grid
from core.model.worlds import World
from core.solve.optimum import performative_gradient, performative_score

METHODS = {
    "repeated": "repeated prediction",
    "stop-gradient": "stop-gradient ascent",
    "full-gradient": "full gradient ascent",
    "sgd": "online SGD",
    "random-search": "random search",
}
#: Methods without randomness (the same start always gives the same run).
DETERMINISTIC = ("repeated", "stop-gradient", "full-gradient")
MAX_STEPS = 1_000_000
#: Lower bound on every probability for rules that are not finite on the faces (see the module docstring).
FACE_FLOOR = 1e-6
#: A round that moves no coordinate more than this counts as standing still.
STEP_TOL = 1e-10
#: Rounds of standing still after which random search counts as converged.
QUIET_ROUNDS = 100
#: Longest cycle looked for, and the tolerance of its repetition.
MAX_PERIOD = 32
CYCLE_TOL = 1e-7
#: A run's end belongs to an attractor within this (max-norm) distance.
ATTRACTOR_TOL = 1e-4
STATUSES = ("converged", "cycle", "diverged", "max_steps")


@dataclass(frozen=True)
class Run:
    """Where each start of a batch ended and how.

    Attributes
    ----------
    end : the last prediction of each start, ``(B, n)``.
    status : one of :data:`STATUSES` per start, ``(B,)``.
    period : the cycle's period (0 unless ``status == "cycle"``), ``(B,)``.
    steps_taken : rounds run until converged (``steps`` otherwise), ``(B,)``.
    attractor : index into the ``attractors`` given to :func:`simulate` that the run converged to, or −1.
    path : every round's prediction ``(steps + 1, B, n)`` when recorded, else ``None``.
    """

    end: np.ndarray
    status: np.ndarray
    period: np.ndarray
    steps_taken: np.ndarray
    attractor: np.ndarray
    path: np.ndarray | None = None


def face_floor(rule: ScoringRule, n: int) -> float:
    """``FACE_FLOOR`` if the rule's score or gradient is not finite at a vertex, else 0."""
    vertex = np.eye(n)[0]
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(rule.scores(vertex))) and np.all(np.isfinite(rule.score_jacobian(vertex)))
    return 0.0 if finite else FACE_FLOOR


def project_floor(v: np.ndarray, floor: float) -> np.ndarray:
    """Euclidean projection onto {p ≥ floor, Σp = 1} (``floor`` < 1/n) of rows ``v`` that already sum to 1."""
    n = v.shape[-1]
    # The steps move along the tangent space (Σ stays 1), so most rows are already on the simplex: project only
    # the rows with a coordinate below the floor.
    out = np.array(v, dtype=float)
    outside = row_min(out) < floor
    if outside.any():
        scale = 1.0 - n * floor
        out[outside] = floor + scale * project((out[outside] - floor) / scale)
    return out


def interior_grid(n: int, k: int) -> np.ndarray:
    """Starts for a map of the simplex: the points of ``simplex_grid(n, k + n)`` strictly inside it, C(k+n−1, n−1)
    of them (as many as ``simplex_grid(n, k)``), off the faces where the log rule's gradient is infinite."""
    grid = simplex_grid(n, k + n)
    return grid[np.all(grid > 0, axis=1)]


def step_direction(gradient: np.ndarray) -> np.ndarray:
    """2 P_T ∇: twice the tangent-space part of ambient gradients ``(..., n)`` (the step convention)."""
    return 2.0 * (gradient - row_sum(gradient, keepdims=True) / gradient.shape[-1])


def simulate(world: World, rule: ScoringRule | None, method: str, starts: np.ndarray, step_size: float, steps: int, *,
             attractors: np.ndarray | None = None, seed: int = 0, record: bool = False) -> Run:
    """Run ``method`` from every start of ``starts`` ``(B, n)`` for ``steps`` rounds.

    Parameters
    ----------
    rule : the scoring rule (unused by ``repeated``, which may pass ``None``).
    step_size : η > 0 (ignored by ``repeated``); for random search, the proposals' standard deviation.
    attractors : candidate end points ``(k, n)`` (fixed points, p̂): a converged run is attributed to the one
        within ``ATTRACTOR_TOL``; a run stuck on the boundary elsewhere has ``diverged``.
    seed : seeds the generator of ``sgd`` and ``random-search`` (start i draws its own stream from it).
    record : keep every round's prediction in ``Run.path``.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if not (isinstance(steps, (int, np.integer)) and 0 <= steps <= MAX_STEPS):
        raise ValueError(f"steps must be a whole number between 0 and {MAX_STEPS}, got {steps!r}")
    if method != "repeated" and not (np.isfinite(step_size) and step_size > 0):
        raise ValueError(f"step size must be a positive number, got {step_size!r}")
    p = np.atleast_2d(as_simplex(starts, name="start"))
    if p.shape[-1] != world.n:
        raise ValueError(f"start has {p.shape[-1]} outcomes but the world has {world.n}")
    floor = 0.0 if method == "repeated" else face_floor(rule, world.n)
    p = project_floor(p, floor) if floor else p
    step = _stepper(world, rule, method, float(step_size), floor, np.random.default_rng(seed))
    quiet_needed = 1 if method in DETERMINISTIC else QUIET_ROUNDS
    batch = len(p)
    quiet = np.zeros(batch, dtype=int)
    done = np.zeros(batch, dtype=bool)
    steps_taken = np.full(batch, steps)
    period = np.zeros(batch, dtype=int)
    window = np.empty((2 * MAX_PERIOD + 1, batch, world.n))
    path = np.empty((steps + 1, batch, world.n)) if record else None
    if record:
        path[0] = p
    window[0] = p
    last_round = 0
    active = np.arange(batch)  # the runs not yet converged: only they are stepped
    with np.errstate(all="ignore"):  # log scores at the floor, sampled −∞ scores of impossible outcomes
        for t in range(1, steps + 1):
            rows = slice(None) if len(active) == batch else active  # a slice spares the gathers while all run
            old = p[rows]
            new = step(old)
            still = row_max(np.abs(new - old)) <= STEP_TOL
            quiet[rows] = np.where(still, quiet[rows] + 1, 0)
            p[rows] = new  # a converged run stays put
            newly = quiet[rows] >= quiet_needed
            if newly.any():
                steps_taken[active[newly]] = t
                done[active[newly]] = True
                active = active[~newly]
            last_round = t
            window[t % len(window)] = p
            if record:
                path[t] = p
            elif t % len(window) == 0 and method in DETERMINISTIC:  # retire cycling runs: they repeat for ever
                found = _periods(window, t, active)
                period[active] = found
                steps_taken[active[found > 0]] = t
                active = active[found == 0]
            if not len(active):
                break
    period[active] = _periods(window, last_round, active)
    status, attractor = _classify(p, done, period, attractors, floor)
    if record:
        path[last_round + 1:] = p  # every run converged early: they stay put for the remaining rounds
    return Run(end=p, status=status, period=period, steps_taken=steps_taken, attractor=attractor, path=path)


def end_labels(run: Run, attractor_labels: list[str]) -> np.ndarray:
    """A plain name for where each run ended: an attractor's label, "a cycle of period k", "the boundary
    (diverged)", "another rest point" or "still moving"."""
    labels = np.array(list(attractor_labels) + ["another rest point"], dtype=object)[run.attractor]
    labels[run.status == "cycle"] = [f"a cycle of period {k}" for k in run.period[run.status == "cycle"]]
    labels[run.status == "diverged"] = "the boundary (diverged)"
    labels[run.status == "max_steps"] = "still moving"
    return labels.astype(str)


def repeated_prediction(world: World, start: np.ndarray, steps: int) -> np.ndarray:
    """The orbit p₀, f(p₀), f(f(p₀)), … of one start under repeated prediction, shape ``(steps + 1, n)``."""
    return simulate(world, None, "repeated", np.atleast_2d(start), 0.0, steps, record=True).path[:, 0]


def _stepper(world: World, rule: ScoringRule, method: str, eta: float, floor: float, rng: np.random.Generator):
    """The one-round map of ``method`` on a batch ``(B, n)``."""
    if method == "repeated":
        return world
    if method == "stop-gradient":
        return lambda p: project_floor(p + eta * step_direction(rule.expected_gradient(p, world(p))), floor)
    if method == "full-gradient":
        return lambda p: project_floor(p + eta * step_direction(performative_gradient(world, rule, p)), floor)
    if method == "sgd":
        def sgd(p: np.ndarray) -> np.ndarray:
            q = world(p)
            u = rng.random((len(p), 1))
            omega = np.minimum((u > np.cumsum(q, axis=-1)).sum(axis=-1), q.shape[-1] - 1)  # ω ~ q per row
            grad = np.take_along_axis(rule.score_jacobian(p), omega[:, None, None], axis=-2)[:, 0]
            return project_floor(p + eta * step_direction(grad), floor)
        return sgd

    def random_search(p: np.ndarray) -> np.ndarray:
        proposal = project_floor(p + eta * step_direction(rng.standard_normal(p.shape)) / 2.0, floor)
        better = performative_score(world, rule, proposal) > performative_score(world, rule, p)
        return np.where(better[:, None], proposal, p)
    return random_search


def _periods(window: np.ndarray, t: int, rows: np.ndarray) -> np.ndarray:
    """The smallest period k ≥ 2 whose last k rounds repeat the k before (0: none), for ``rows``, from the ring
    buffer ``window`` that holds round t at index t % len(window)."""
    depth = min(t, len(window) - 1)
    rounds = (t - np.arange(depth + 1)) % len(window)  # where round t − j is
    now = window[rounds[0]][rows]
    period = np.zeros(len(rows), dtype=int)
    for k in range(2, min(MAX_PERIOD, depth // 2) + 1):
        # A period k needs round t back within CYCLE_TOL of round t − k: only those rows look further back.
        back = np.flatnonzero((period == 0) & (row_max(np.abs(window[rounds[k]][rows] - now)) <= CYCLE_TOL))
        if len(back):
            recent = window[np.ix_(rounds[:2 * k], rows[back])]  # recent[j] = round t − j
            repeats = np.max(np.abs(recent[:k] - recent[k:]), axis=(0, 2)) <= CYCLE_TOL
            moving = np.max(np.abs(recent[:k] - recent[0]), axis=(0, 2)) > 10 * CYCLE_TOL  # not a slow convergence
            period[back[repeats & moving]] = k
    return period


def _classify(p: np.ndarray, done: np.ndarray, period: np.ndarray, attractors: np.ndarray | None,
              floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Status and attractor index of each run from its end, whether it stood still, and its period."""
    batch = len(p)
    attractor = np.full(batch, -1)
    if attractors is not None and len(attractors):
        gaps = np.max(np.abs(p[:, None, :] - np.asarray(attractors)[None]), axis=-1)
        nearest = np.argmin(gaps, axis=1)
        attractor = np.where(done & (gaps[np.arange(batch), nearest] <= ATTRACTOR_TOL), nearest, -1)
    on_boundary = p.min(axis=-1) <= floor + 1e-12
    status = np.where(done, np.where((attractor < 0) & on_boundary & (attractors is not None), "diverged",
                                     "converged"), "max_steps").astype(object)
    status[period > 0] = "cycle"
    return status.astype(str), attractor
