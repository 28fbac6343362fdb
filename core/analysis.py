"""One call that computes everything the explorer shows for a scenario, and its JSON report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.solve.bounds import Bounds, theorem_bounds
from core.solve.certificate import Certificate, certify
from core.solve.fixed_points import FixedPoint, find_fixed_points
from core.solve.optimum import Optimum, performative_optimum
from core.model.scenario import Scenario
from core.model.simplex import distance


@dataclass(frozen=True)
class Analysis:
    """Fixed points, performative optimum, bounds and honest optima of one scenario.

    Attributes
    ----------
    fixed_points : every fixed point (regular and mixed), with stability.
    scores : G(p) = S(p, p) at each fixed point.
    human_utilities : the human's expected utility at each fixed point (``None`` without a policy).
    optimum : the performative optimum p̂.
    optimum_human_utility : the human's expected utility when acting on p̂ (``None`` without a policy).
    optimum_mixing : π(· | p̂), how the human mixes its actions at p̂ (``None`` without a policy).
    inaccuracy : distance(p̂, f(p̂)) (see :func:`core.model.simplex.distance`).
    distance_to_fixed_point : distance from p̂ to the nearest fixed point.
    bounds : the theorems' bounds, or ``None`` where none applies.
    best_by_score, best_for_human : indices into ``fixed_points`` of the honest optima.
    certificate : whether the fixed points are certified complete (the index theorem, or exhaustive support
        enumeration for step worlds); see :mod:`core.solve.certificate`.
    """

    scenario: Scenario
    fixed_points: list[FixedPoint]
    scores: np.ndarray
    human_utilities: np.ndarray | None
    optimum: Optimum
    optimum_human_utility: float | None
    optimum_mixing: np.ndarray | None
    inaccuracy: float
    distance_to_fixed_point: float | None
    bounds: Bounds | None
    best_by_score: int | None
    best_for_human: int | None
    certificate: Certificate

    def report(self) -> dict[str, Any]:
        """A JSON-ready summary: the command line prints it and the pages' results table shows it.

        Numbers are rounded to 12 significant digits, infinities are the strings ``"inf"``/``"-inf"``
        (see :func:`_num`); ``human_utility`` and ``mixing`` are ``None`` without a human policy.
        """
        names = self.scenario.outcomes

        def dist(p: np.ndarray) -> dict[str, float]:
            return {name: json_number(v) for name, v in zip(names, p)}

        actions = getattr(self.scenario.world, "actions", None)
        points = []
        for i, fp in enumerate(self.fixed_points):
            entry = {"p": dist(fp.p), "stability": fp.stability, "kind": fp.kind,
                     "spectral_radius": json_number(fp.spectral_radius), "score": json_number(self.scores[i]),
                     "human_utility": None if self.human_utilities is None else json_number(self.human_utilities[i])}
            if fp.mixing is not None:
                entry["mixing"] = {a: json_number(w) for a, w in zip(actions, fp.mixing)}
            points.append(entry)
        opt = self.optimum

        def pick(i: int | None) -> dict[str, Any] | None:
            return None if i is None else {"index": i, "p": dist(self.fixed_points[i].p),
                                           "score": json_number(self.scores[i])}

        return {
            "scenario": self.scenario.to_dict(),
            "fixed_points": points,
            "performative_optimum": {
                "p": dist(opt.p), "f": dist(opt.f), "score": json_number(opt.score), "attained": opt.attained,
                "inaccuracy": json_number(self.inaccuracy),
                "human_utility": None if self.optimum_human_utility is None else json_number(self.optimum_human_utility),
                "mixing": None if self.optimum_mixing is None else dict(zip(actions, map(json_number, self.optimum_mixing))),
                "distance_to_fixed_point": None if self.distance_to_fixed_point is None
                else json_number(self.distance_to_fixed_point),
            },
            "bounds": None if self.bounds is None else {
                "theorem": self.bounds.theorem, "inaccuracy": json_number(self.bounds.inaccuracy),
                "distance_to_fixed_point": None if self.bounds.distance_to_fixed_point is None
                else json_number(self.bounds.distance_to_fixed_point),
                "lipschitz": json_number(self.bounds.lipschitz),
                "sup_g_ratio": None if self.bounds.sup_g_ratio is None else json_number(self.bounds.sup_g_ratio),
            },
            "honest_optimum": {"by_score": pick(self.best_by_score), "for_human": pick(self.best_for_human)},
            "certificate": {
                "method": self.certificate.method, "index_sum": self.certificate.index_sum,
                "complete": self.certificate.complete,
                "degenerate": [dist(p) for p in self.certificate.degenerate],
            },
        }


def analyze(scenario: Scenario) -> Analysis:
    """Compute the :class:`Analysis` of a scenario."""
    world, rule = scenario.world, scenario.rule
    points = find_fixed_points(world)
    scores = np.array([float(rule.G(fp.p)) for fp in points])
    opt = performative_optimum(world, rule)
    utilities = opt_utility = opt_mixing = None
    if hasattr(world, "expected_utility"):
        utilities = np.array([float(world.expected_utility(fp.p, fp.mixing)) for fp in points])
        opt_utility = float(world.expected_utility(opt.p))
        opt_mixing = world.action_probs(opt.p)
    nearest = min((float(distance(opt.p, fp.p)) for fp in points), default=None)
    return Analysis(
        scenario=scenario,
        fixed_points=points,
        scores=scores,
        human_utilities=utilities,
        optimum=opt,
        optimum_human_utility=opt_utility,
        optimum_mixing=opt_mixing,
        inaccuracy=float(distance(opt.p, opt.f)),
        distance_to_fixed_point=nearest,
        bounds=theorem_bounds(world, rule),
        best_by_score=_argmax(scores, scores),
        best_for_human=None if utilities is None else _argmax(utilities, scores),
        certificate=certify(world, [fp.p for fp in points]),
    )


def _argmax(values: np.ndarray, tiebreak: np.ndarray, tol: float = 1e-12) -> int | None:
    """Index of the largest finite value; among (near-)ties, the one with the largest ``tiebreak``."""
    finite = np.where(np.isfinite(values), values, -np.inf)
    if len(values) == 0 or not np.isfinite(finite.max()):
        return None
    tied = np.flatnonzero(finite >= finite.max() - tol * (1.0 + abs(finite.max())))
    return int(tied[np.argmax(np.where(np.isfinite(tiebreak[tied]), tiebreak[tied], -np.inf))])


def json_number(x: float) -> float | str:
    """A JSON-safe number: round to 12 significant digits; infinities as the strings "inf"/"-inf"."""
    x = float(x)
    if np.isfinite(x):
        return float(f"{x:.12g}")
    return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
