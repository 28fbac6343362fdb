"""Benchmark rows: the full analysis against a careful scipy user without this tool, preset by preset.

The user's analysis (:func:`naive_analysis`): the fixed points by ``scipy.optimize.root`` (Powell's hybrid
method) on f(p) − p from 50 random points of the simplex, each root's stability from a finite-difference
Jacobian, and the optimum by SLSQP (scipy's own finite-difference gradient) from the centre, a point near
every vertex and 10 random points. Only ``world(p)`` and ``rule.expected`` are used.

:func:`summary` prints the speed-up (geometric mean) and, for each preset, whether the analysis is at least as
accurate: it finds every fixed point the user found (within 1e-6), its fixed points' residuals are as small
(or below 1e-9), and its optimum scores at least as well (within 1e-9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize, root

from core.analysis import analyze
from core.model.presets import get_preset
from core.model.scenario import Scenario

NAME = "naive"
PRESETS = ("notebook-log", "exponential-k10", "bank-run", "self-defeating-softmax", "coordination", "route-choice",
           "five-candidates")
ROOT_STARTS, RANDOM_OPTIMUM_STARTS = 50, 10
ROW, SAME = "naive scipy user, {}", "  the full analysis, the same"


@dataclass(frozen=True)
class NaiveAnalysis:
    fixed_points: np.ndarray  # (k, n)
    spectral_radius: np.ndarray  # (k,)
    optimum: np.ndarray
    score: float


def naive_analysis(scenario: Scenario, seed: int = 0) -> NaiveAnalysis:
    world, rule, n = scenario.world, scenario.rule, scenario.n
    rng = np.random.default_rng(seed)

    def point(x: np.ndarray) -> np.ndarray:
        return np.append(x, 1.0 - x.sum())

    def gap(x: np.ndarray) -> np.ndarray:
        return world(point(x))[:-1] - x

    found: list[np.ndarray] = []
    for start in rng.dirichlet(np.ones(n), ROOT_STARTS):
        with np.errstate(all="ignore"):
            res = root(gap, start[:-1], method="hybr")
        p = point(res.x)
        if np.all(p >= -1e-9) and np.linalg.norm(world(np.clip(p, 0, None)) - p) <= 1e-9 \
                and not any(np.max(np.abs(p - q)) <= 1e-6 for q in found):
            found.append(p)
    radius = []
    for p in found:
        x, h = p[:-1], 1e-7
        jac = np.column_stack([(gap(x + h * e) - gap(x - h * e)) / (2 * h) + e for e in np.eye(n - 1)])
        radius.append(float(np.max(np.abs(np.linalg.eigvals(jac)))))

    def negative(p: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            v = float(rule.expected(p, world(p)))
        return -v if np.isfinite(v) else 1e300

    lower = 1e-12 if rule.kind == "log" else 0.0
    starts = [np.full(n, 1.0 / n), *(0.9 * np.eye(n) + 0.1 / n), *rng.dirichlet(np.ones(n), RANDOM_OPTIMUM_STARTS)]
    best, best_value = starts[0], math.inf
    for start in starts:
        res = minimize(negative, start, method="SLSQP", bounds=[(lower, 1.0)] * n,
                       constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1.0}], options={"ftol": 1e-12})
        p = np.clip(res.x, lower, None)
        p /= p.sum()
        if negative(p) < best_value:
            best, best_value = p, negative(p)
    return NaiveAnalysis(np.array(found).reshape(-1, n), np.array(radius), best, -best_value)


def at_least_as_accurate(scenario: Scenario) -> bool:
    """Whether :func:`core.analysis.analyze` finds every fixed point the user finds, as precisely, and an
    optimum that scores at least as well."""
    ours, theirs = analyze(scenario), naive_analysis(scenario)
    world = scenario.world
    mine = np.array([fp.p for fp in ours.fixed_points]).reshape(-1, scenario.n)
    covered = all(len(mine) and np.min(np.max(np.abs(mine - p), axis=1)) <= 1e-6 for p in theirs.fixed_points)

    def residual(points: np.ndarray) -> float:
        return float(np.max(np.linalg.norm(world(points) - points, axis=-1), initial=0.0))

    precise = residual(mine) <= max(residual(theirs.fixed_points), 1e-9)
    scores = ours.optimum.score >= theirs.score - 1e-9
    return bool(covered and precise and scores)


def cases():
    out = []
    for name in PRESETS:
        scenario = get_preset(name).scenario
        out.append((ROW.format(name), lambda s=scenario: naive_analysis(s), None))
        out.append((SAME, lambda s=scenario: analyze(s), None))
    return out


def summary(timed: list[tuple[str, float]]) -> list[str]:
    """The lines under the suite's rows: the speed-up per preset and its geometric mean, and the accuracy."""
    ratios = [naive / ours for (_, naive), (_, ours) in zip(timed[::2], timed[1::2])]
    accurate = [at_least_as_accurate(get_preset(name).scenario) for name in PRESETS]
    lines = [f"  {name}: {ratio:.0f}x faster, {'at least as accurate' if ok else 'LESS ACCURATE'}"
             for name, ratio, ok in zip(PRESETS, ratios, accurate)]
    mean = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
    return lines + [f"  the full analysis against the naive scipy user: {mean:.0f}x faster (geometric mean over "
                    f"{len(ratios)} presets), at least as accurate on {sum(accurate)} of {len(accurate)}"]
