"""Bifurcation diagrams: every fixed point, the performative optimum and the honest optima along one field.

Every sampled value is solved by :func:`core.solve.solutions.solve_batch`, all values together (in chunks), so
a value shows exactly what :func:`core.analysis.analyze` of its scenario shows: its fixed points, stabilities,
optimum and honest optima. Between the values, the branches of fixed points come from continuation
(:mod:`core.solve.continuation`): traced from the fixed points of the first value and from every fixed point
found at a later value that no branch traced so far passes through (a branch born in a fold inside the
range, or one the start missed), seeded only where a value's certificate says its set is complete; a branch's
images under the permutations of the outcomes that commute with f at every value are taken from it, not traced
again (five equal candidates: 3 of 16 branches traced). Step worlds
(best response, hard thresholds) have no branches; their jumps show as jumps between samples.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from core.analysis import json_number
from core.model.scenario import Scenario
from core.model.simplex import as_simplex, distance
from core.model.worlds import PolicyWorld
from core.solve.certificate import Certificate
from core.solve.fixed_points import common_symmetries
from core.solve.continuation import Branch, Event, crossings, follow, image, sample
from core.solve.results import FixedPoint, Optimum
from core.solve.solutions import solve_batch
from core.sweeps.fields import Field, parse_range

MAX_VALUES = 2000
#: A seed closer than this (max-norm) to a known branch's crossing is on that branch.
SAME_BRANCH = 1e-3
#: A branch whose interpolated crossing is closer than this to a seed has it corrected before the comparison.
NEAR_BRANCH = 0.05
#: Values solved together.
SEARCH_CHUNK = 50
#: What a diagram shows at each value (:data:`core.solve.solutions.PARTS`).
SOLVED = frozenset({"fixed_points", "optimum"})
Progress = Callable[[float], None]


@dataclass(frozen=True)
class Diagram:
    """A sweep of one field.

    Attributes
    ----------
    scenario, field : the scenario swept and the parsed field.
    values : the sampled parameter values, shape ``(K,)``.
    fixed_points : per value, the fixed points there (sorted by the first outcome, descending).
    branches : the traced branches (empty for step worlds).
    bifurcations : the located folds and stability changes, by value.
    optimum, optimum_f : p̂ and f(p̂) per value, shape ``(K, n)``.
    inaccuracy : distance(p̂, f(p̂)) per value.
    best_by_score, best_for_human : per value, the index into ``fixed_points`` of the honest optima
        (−1 where there is none; ``best_for_human`` is ``None`` without a human policy).
    """

    scenario: Scenario
    field: Field
    values: np.ndarray
    fixed_points: list[list[FixedPoint]]
    branches: list[Branch]
    bifurcations: list[Event]
    optimum: np.ndarray
    optimum_f: np.ndarray
    inaccuracy: np.ndarray
    best_by_score: np.ndarray
    best_for_human: np.ndarray | None

    def report(self) -> dict[str, Any]:
        """The JSON document of ``python -m core sweep``."""
        names = self.scenario.outcomes

        def dist(p: np.ndarray) -> dict[str, Any]:
            return {name: json_number(v) for name, v in zip(names, p)}

        values = []
        for k, value in enumerate(self.values):
            values.append({
                "value": json_number(value),
                "fixed_points": [{"p": dist(fp.p), "stability": fp.stability, "kind": fp.kind}
                                 for fp in self.fixed_points[k]],
                "optimum": {"p": dist(self.optimum[k]), "f": dist(self.optimum_f[k]),
                            "inaccuracy": json_number(self.inaccuracy[k])},
            })
        return {
            "scenario": self.scenario.to_dict(),
            "field": self.field.name,
            "values": values,
            "bifurcations": [{"value": json_number(e.value), "kind": e.kind, "p": dist(e.p)} for e in self.bifurcations],
        }

    def to_csv(self) -> str:
        """The diagram's numbers, one row per fixed point, optimum and bifurcation at each value."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = self.scenario.outcomes
        writer.writerow([self.field.name, "what", "stability"] + [f"P({o})" for o in names])
        for k, value in enumerate(self.values):
            for fp in self.fixed_points[k]:
                writer.writerow([repr(float(value)), f"fixed point ({fp.kind})", fp.stability] + [repr(float(v)) for v in fp.p])
            writer.writerow([repr(float(value)), "optimum p̂", ""] + [repr(float(v)) for v in self.optimum[k]])
            writer.writerow([repr(float(value)), "f(p̂)", ""] + [repr(float(v)) for v in self.optimum_f[k]])
        for e in self.bifurcations:
            writer.writerow([repr(float(e.value)), f"bifurcation: {e.kind}", " → ".join(e.stabilities)]
                            + [repr(float(v)) for v in e.p])
        return out.getvalue()


def coordinate(points: np.ndarray, what: int | np.ndarray) -> np.ndarray:
    """What a diagram plots of points ``(..., n)``: the probability of outcome ``what`` (an index), or the
    distance (:func:`core.model.simplex.distance`) to the point ``what`` (an array)."""
    points = np.asarray(points, dtype=float)
    if isinstance(what, (int, np.integer)):
        return points[..., what]
    return distance(points, np.asarray(what, dtype=float))


def plotted_axis(outcomes: tuple[str, ...], plot: str = "0", point: str = "") -> tuple[int | np.ndarray, str]:
    """What a diagram's vertical axis shows, and its title, from the Sweeps page's settings: for two outcomes the
    first one's probability; else outcome ``plot``'s (an index), the distance to the uniform forecast
    (``"uniform"``), or to ``point`` (``plot="point"``, probabilities comma-separated). ``ValueError`` for a
    bad point or an unknown setting.

    Examples
    --------
    >>> plotted_axis(("a", "b", "c"), "1")
    (1, 'P(b)')
    >>> plotted_axis(("a", "b", "c"), "point", "0.5, 0.25, 0.25")[1]
    'distance to (0.5, 0.25, 0.25)'
    """
    if len(outcomes) == 2:
        return 0, f"P({outcomes[0]})"
    if plot.isdigit() and int(plot) < len(outcomes):
        return int(plot), f"P({outcomes[int(plot)]})"
    if plot == "uniform":
        return np.full(len(outcomes), 1.0 / len(outcomes)), "distance to the uniform forecast"
    if plot != "point":
        raise ValueError(f"plot: choose an outcome's index (0 to {len(outcomes) - 1}), 'uniform' or 'point', "
                         f"not {plot!r}")
    try:
        values = [float(v) for v in point.split(",")]
    except ValueError:
        raise ValueError(f"the point: {point!r} is not comma-separated probabilities") from None
    where = as_simplex(values, name="the point")
    if len(where) != len(outcomes):
        raise ValueError(f"the point needs {len(outcomes)} probabilities, not {len(where)}")
    return where, "distance to (" + ", ".join(f"{v:.3g}" for v in where) + ")"


def check_range(scenario: Scenario, name: str, start: float, stop: float,
                num: int) -> tuple[Field, np.ndarray, list[Scenario]]:
    """The parsed field, the sampled values and the scenario at each; ``ValueError`` naming the field if the
    range is bad (the scenario must be valid at every sampled value)."""
    field, values = parse_range(scenario, name, start, stop, num, MAX_VALUES)
    # Field.set raises, naming the field, where the scenario is not valid.
    return field, values, [field.set(scenario, value) for value in values]


def sweep(scenario: Scenario, name: str, start: float, stop: float, num: int,
          progress: Progress | None = None) -> Diagram:
    """The bifurcation diagram of ``scenario`` along the field ``name`` over ``num`` values in [start, stop]."""
    field, values, scenarios = check_range(scenario, name, start, stop, num)
    report = progress or (lambda fraction: None)
    worlds = [s.world for s in scenarios]
    world0 = scenario.world
    # Every world built is kept for the sweep: continuation asks for the same values again and again
    # (the sampled ones above all), and validating a new world costs more than using it.
    built = dict(zip(values.tolist(), worlds))

    def family(value: float):
        if value not in built:
            inside = values[0] <= value <= values[-1]  # check_range validated the ends: no need to check
            built[value] = world0 if field.part == "rule" else field.set_world(world0, value, checked=not inside)
        return built[value]

    points: list[list[FixedPoint]] = []
    certificates: list[Certificate] = []
    optima: list[Optimum] = []
    best_score, best_human = [], []
    for first in range(0, len(scenarios), SEARCH_CHUNK):  # in chunks, to report progress
        chunk = scenarios[first:first + SEARCH_CHUNK]
        solved = solve_batch([s.world for s in chunk], [s.rule for s in chunk], SOLVED)
        points += solved.fixed_points.lists()
        certificates += [solved.certificates[k] for k in range(len(chunk))]
        optima += [solved.optima[k] for k in range(len(chunk))]
        best_score.append(solved.best_by_score)
        best_human.append(solved.best_for_human)
        report(0.35 * (first + len(chunk)) / len(scenarios))
    branches = [] if world0.is_step else _continue(family, points, certificates, values, report)
    report(0.95)
    p_hat = np.array([opt.p for opt in optima])
    f_hat = np.array([opt.f for opt in optima])
    events = merge_events([e for b in branches for e in b.events])
    report(1.0)
    return Diagram(scenario, field, values, points, branches, events, p_hat, f_hat, distance(p_hat, f_hat),
                   np.concatenate(best_score), np.concatenate(best_human) if isinstance(world0, PolicyWorld) else None)


def _continue(family, points: list[list[FixedPoint]], certificates: list[Certificate], values: np.ndarray,
              report: Progress) -> list[Branch]:
    """Branches by continuation from the fixed points at the first value, seeded again at every sampled value
    from that value's complete set of fixed points, so that branches born in folds are followed too. The
    values show their own searches' fixed points (those of the analysis of their scenarios), through which the
    branches pass."""
    lo, hi = float(values[0]), float(values[-1])
    # The permutations of the outcomes that commute with f at every value: a branch's images under them are
    # branches too, taken from it rather than traced again (checked at a few values, each image point by point).
    group = common_symmetries([family(float(v)) for v in values[np.linspace(0, len(values) - 1, 5).astype(int)]])
    # A degenerate value is no place to start a branch.
    seeds = [[fp.p for fp in fps] if c.complete or c.index_sum is None else [] for fps, c in zip(points, certificates)]
    branches: list[Branch] = []
    for k in range(len(values)):
        value = float(values[k])
        known = _crossings(branches, value)
        for p in seeds[k]:
            if not _on_branches(family, known, p, value, lo, hi):
                added = _add(family, branches, follow(family, p, value, lo, hi), group, lo, hi)
                known += _crossings(added, value)
        report(0.35 + 0.6 * k / len(values))
    return branches


def _crossings(branches: list[Branch], value: float) -> list[tuple[Branch, np.ndarray]]:
    """Each branch's crossings of ``value`` (interpolated), with the branch."""
    return [(b, q) for b in branches for q in crossings(b, value)[1]]


def _on_branches(family, known: list[tuple[Branch, np.ndarray]], p: np.ndarray, value: float, lo: float,
                 hi: float) -> bool:
    """Whether the fixed point p at ``value`` lies on one of the branches whose crossings there are ``known``."""
    if _near(p, [q for _, q in known], SAME_BRANCH):
        return True
    # Crossings interpolated between a branch's points are poor close to a fold, where the branch turns back: the
    # branches crossing near p have theirs corrected at this value before p is taken for a new branch.
    near = {id(b): b for b, q in known if _near(p, [q], NEAR_BRANCH)}.values()
    return _near(p, [q for b in near for q in sample(family, b, np.array([value]), lo, hi)[0]], SAME_BRANCH)


def _add(family, branches: list[Branch], branch: Branch, group: np.ndarray, lo: float, hi: float) -> list[Branch]:
    """Append ``branch`` and each of its images under ``group`` that is not a branch already (an image is one when
    its points a third and two thirds of the way along lie on a known branch: two branches meet only at isolated
    points); return what was appended."""
    first = len(branches)
    branches.append(branch)
    m = len(branch.values)
    probes = sorted({m // 3, (2 * m) // 3})
    # The permutations that fix the branch point by point give it back (to rounding), others the same image again.
    seen = {np.round(branch.points, 9).tobytes()}
    for perm in group:
        key = np.round(branch.points[:, perm], 9).tobytes()
        if key in seen:
            continue
        seen.add(key)
        other = image(family, branch, perm)
        if other is not None and not all(_on_branches(family, _crossings(branches, float(other.values[j])),
                                                      other.points[j], float(other.values[j]), lo, hi)
                                         for j in probes):
            branches.append(other)
    return branches[first:]


def _near(p: np.ndarray, points: list[np.ndarray], tol: float) -> bool:
    """Whether one of ``points`` lies within ``tol`` of p (max-norm)."""
    return bool(points) and bool(np.min(np.max(np.abs(np.asarray(points) - p), axis=-1)) <= tol)


def merge_events(events: list[Event], tol: float = 1e-6, same_point: float = 1e-4,
                 near_singular: float = 1e-3) -> list[Event]:
    """The events sorted by value, each once. Two branches meeting at a fold both report it (within ``tol``);
    branches crossing at a singular point (a transcritical or symmetric branch point, where det(I − Df) = 0 on
    every branch through it) each report its stability change, the ones seeded later less precisely (their
    bisection runs on a branch whose Jacobian is singular there): an event of the same kind at the same point
    within ``near_singular`` of one found on a branch followed earlier is that event."""
    kept: list[Event] = []
    for e in events:  # in the order of the branches: those followed from the sweep's start come first
        if not any(e.kind == k.kind and np.max(np.abs(e.p - k.p)) <= same_point
                   and abs(e.value - k.value) <= max(tol, near_singular if e.kind == "stability" else tol)
                   for k in kept):
            kept.append(e)
    return sorted(kept, key=lambda e: e.value)
