"""Bifurcation diagrams: every fixed point, the performative optimum and the honest optima along one field.

Fixed points come from continuation (:mod:`core.solve.continuation`): branches are traced from the fixed
points of the first value and from every fixed point found at a later sampled value that no branch traced
so far passes through (a branch born in a fold inside the range, or one the start missed). The seeds come
from a complete search at every sampled value, done for all values at once: for two outcomes the sign
changes of f(x) − x on the common grid (:mod:`core.sweeps.binary`), for more the certified search
(:func:`core.solve.fixed_points.find_fixed_points_batch`). The fixed points reported at a sampled value are,
for two outcomes, the branches' crossings of it, corrected there; for more, its certified search's.

The optimum: two outcomes, all values at once (:func:`core.sweeps.binary.optima`); more, the global
search at the first value, then at every value a local refinement from the previous optimum and from the
best node of the score's grid (so a jump of the optimum to another peak is seen at the first value where
that peak's grid node is best). Step worlds (best response, hard thresholds) are solved exactly at every
value (support enumeration); they have no branches, and their jumps show as jumps between samples.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from core.analysis import json_number
from core.model.scenario import Scenario
from core.model.simplex import binary, distance, grid_resolution, simplex_grid, tangent_jacobian
from core.model.worlds import PolicyWorld
from core.solve.certificate import certify_batch
from core.solve.continuation import Branch, Event, crossings, follow, sample
from core.solve.fixed_points import find_fixed_points_batch
from core.solve.optimum import performative_optimum, performative_score, refine_optimum
from core.solve.results import FixedPoint, classify, merge_close
import core.sweeps.binary as batch
from core.sweeps.fields import Field, parse_range

MAX_VALUES = 2000
#: A seed closer than this (max-norm) to a known branch's crossing is on that branch.
SAME_BRANCH = 1e-3
#: A branch whose interpolated crossing is closer than this to a seed has it corrected before the comparison.
NEAR_BRANCH = 0.05
#: Values whose fixed points are searched together (three or more outcomes).
SEARCH_CHUNK = 50
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


def coordinate(points: np.ndarray, what: int | np.ndarray) -> np.ndarray:
    """What a diagram plots of points ``(..., n)``: the probability of outcome ``what`` (an index), or the
    distance (:func:`core.model.simplex.distance`) to the point ``what`` (an array)."""
    points = np.asarray(points, dtype=float)
    if isinstance(what, (int, np.integer)):
        return points[..., what]
    return distance(points, np.asarray(what, dtype=float))


def to_csv(diagram: "Diagram") -> str:
    """The diagram's numbers, one row per fixed point, optimum and bifurcation at each value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = diagram.scenario.outcomes
    writer.writerow([diagram.field.name, "what", "stability"] + [f"P({o})" for o in names])
    for k, value in enumerate(diagram.values):
        for fp in diagram.fixed_points[k]:
            writer.writerow([repr(float(value)), f"fixed point ({fp.kind})", fp.stability] + [repr(float(v)) for v in fp.p])
        writer.writerow([repr(float(value)), "optimum p̂", ""] + [repr(float(v)) for v in diagram.optimum[k]])
        writer.writerow([repr(float(value)), "f(p̂)", ""] + [repr(float(v)) for v in diagram.optimum_f[k]])
    for e in diagram.bifurcations:
        writer.writerow([repr(float(e.value)), f"bifurcation: {e.kind}", " → ".join(e.stabilities)]
                        + [repr(float(v)) for v in e.p])
    return out.getvalue()


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

    if world0.is_step:
        branches: list[Branch] = []
        points = find_fixed_points_batch(worlds)
        report(0.7)
    else:
        branches, points = _continue(family, worlds, values, report)
    optima = _optima(scenarios)
    report(0.95)
    opt_f = np.stack([w(p) for w, p in zip(worlds, optima)])
    best_score = np.array([_argmax([float(s.rule.G(fp.p)) for fp in fps]) for s, fps in zip(scenarios, points)])
    best_human = None
    if isinstance(world0, PolicyWorld):
        best_human = np.array([_argmax([float(w.expected_utility(fp.p, fp.mixing)) for fp in fps])
                               for w, fps in zip(worlds, points)])
    events = merge_events([e for b in branches for e in b.events])
    report(1.0)
    return Diagram(scenario, field, values, points, branches, events, optima, opt_f,
                   distance(optima, opt_f), best_score, best_human)


def _continue(family, worlds, values, report: Progress) -> tuple[list[Branch], list[list[FixedPoint]]]:
    """Branches by continuation from the fixed points at the first value, seeded again at every sampled value
    from that value's complete set of fixed points (two outcomes: every sign change; more: the certified
    search :func:`find_fixed_points_batch`; either for all values at once), so that branches born in folds are
    followed too. With two outcomes a value shows the branches' points there; with more, its search's set,
    through which the branches pass (a pair of fixed points of opposite index that the branches missed would
    be invisible to the index theorem), so every value shows exactly what the analysis of its scenario shows."""
    lo, hi = float(values[0]), float(values[-1])
    searched: list[list[FixedPoint]] = []
    if worlds[0].n == 2:
        seeds = [[binary(x) for x in xs] for xs in batch.fixed_points(worlds)]
    else:
        for first in range(0, len(worlds), SEARCH_CHUNK):  # in chunks, to report progress
            searched += find_fixed_points_batch(worlds[first:first + SEARCH_CHUNK])
            report(0.35 * len(searched) / len(worlds))
        found = [[fp.p for fp in fps] for fps in searched]
        # A degenerate value is no place to start a branch.
        seeds = [ps if c.complete else [] for ps, c in zip(found, certify_batch(worlds, found))]
    report(0.35)
    branches = [follow(family, p, lo, lo, hi) for p in seeds[0]]
    for k in range(1, len(values)):
        value = float(values[k])
        known = [(b, q) for b in branches for q in crossings(b, value)[1]]
        for p in seeds[k]:
            if _near(p, [q for _, q in known], SAME_BRANCH):
                continue
            # Crossings interpolated between a branch's points are poor close to a fold, where the branch turns
            # back: the branches crossing near the seed have theirs corrected at this value before the seed is
            # taken for a new branch.
            near = {id(b): b for b, q in known if _near(p, [q], NEAR_BRANCH)}.values()
            if _near(p, [q for b in near for q in sample(family, b, values[k:k + 1], lo, hi)[0]], SAME_BRANCH):
                continue
            branch = follow(family, p, value, lo, hi)
            branches.append(branch)
            known += [(branch, q) for q in crossings(branch, value)[1]]
        report(0.35 + 0.35 * k / len(values))
    if searched:
        return branches, searched
    per_value: list[list[np.ndarray]] = [[] for _ in values]
    for branch in branches:
        for k, ps in enumerate(sample(family, branch, values, lo, hi)):
            per_value[k] += ps
    return branches, [_classified(world, merge_close(ps)) for world, ps in zip(worlds, per_value)]


def _near(p: np.ndarray, points: list[np.ndarray], tol: float) -> bool:
    """Whether one of ``points`` lies within ``tol`` of p (max-norm)."""
    return bool(points) and bool(np.min(np.max(np.abs(np.asarray(points) - p), axis=-1)) <= tol)


def _classified(world, points: list[np.ndarray]) -> list[FixedPoint]:
    out = []
    for p in points:
        stability, rho = classify(tangent_jacobian(world.jacobian(p)))
        mixing = world.action_probs(p) if isinstance(world, PolicyWorld) else None
        out.append(FixedPoint(p=p, kind="regular", stability=stability, spectral_radius=rho, mixing=mixing))
    return sorted(out, key=lambda fp: tuple(-fp.p))


def _optima(scenarios: list[Scenario]) -> np.ndarray:
    worlds = [s.world for s in scenarios]
    if worlds[0].is_step:
        return np.stack([performative_optimum(s.world, s.rule).p for s in scenarios])
    if worlds[0].n == 2:
        return binary(batch.optima(worlds, [s.rule for s in scenarios]))
    n = worlds[0].n
    k = grid_resolution(n)
    grid = simplex_grid(n, k)
    out = [performative_optimum(worlds[0], scenarios[0].rule).p]
    for s in scenarios[1:]:
        with np.errstate(all="ignore"):
            node = grid[np.nanargmax(performative_score(s.world, s.rule, grid))]
        starts = [out[-1]] + ([node] if np.max(np.abs(node - out[-1])) > 2.0 / k else [])
        out.append(max((refine_optimum(s.world, s.rule, p) for p in starts), key=lambda pv: pv[1])[0])
    return np.stack(out)


def _argmax(values: list[float]) -> int:
    finite = np.where(np.isfinite(values), values, -np.inf) if values else np.zeros(0)
    return int(np.argmax(finite)) if len(finite) and np.isfinite(finite.max()) else -1


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


def describe(diagram: Diagram) -> str:
    """Sentences naming what happens along the sweep: where pairs of fixed points appear or vanish, and
    where fixed points gain or lose stability."""
    name = diagram.field.name
    folds: dict[tuple[float, int], int] = {}
    for e in diagram.bifurcations:
        if e.kind == "fold":
            key = (round(e.value, 6), e.side)
            folds[key] = folds.get(key, 0) + 1
    parts = []
    for (value, side), count in folds.items():
        pairs = "a pair of fixed points" if count == 1 else f"{count} pairs of fixed points"
        verb = ("appears" if side > 0 else "vanishes") if count == 1 else ("appear" if side > 0 else "vanish")
        parts.append(f"{pairs} {verb} as {name} grows past {value:.6g}")
    changes = []
    for e in diagram.bifurcations:
        if e.kind == "stability" and "attracting" in e.stabilities:
            verb = "stops attracting" if e.stabilities[0] == "attracting" else "starts attracting"
            where = ", ".join(f"{v:.3g}" for v in e.p)
            changes.append(f"at {name} = {e.value:.6g} the fixed point ({where}) {verb}")
    if not parts and not changes:
        counts = {len(fps) for fps in diagram.fixed_points}
        what = f"{counts.pop()} fixed point(s) throughout" if len(counts) == 1 else \
            f"between {min(counts)} and {max(counts)} fixed points"
        text = f"Along {name} from {diagram.values[0]:.6g} to {diagram.values[-1]:.6g} no bifurcation was found: {what}."
    else:
        text = "; ".join(parts + changes)
        text = text[0].upper() + text[1:] + "."
    drift = diagram.inaccuracy
    return text + (f" The optimum's inaccuracy ranges from {drift.min():.3g} to {drift.max():.3g}.")
