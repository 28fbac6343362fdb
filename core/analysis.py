"""One call that computes everything the explorer shows for a scenario, and its JSON report."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from core.model.scenario import Scenario
from core.solve.bounds import Bounds
from core.solve.certificate import Certificate
from core.solve.results import FixedPoint, Optimum
from core.solve.solutions import Solutions, solve_batch


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
        (see :func:`json_number`); ``human_utility`` and ``mixing`` are ``None`` without a human policy.
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
    """Compute the :class:`Analysis` of a scenario: the batch of one of :func:`core.solve.solutions.solve_batch`."""
    return analysis_of(scenario, solve_batch([scenario.world], [scenario.rule]), 0)


def analysis_of(scenario: Scenario, solutions: Solutions, k: int) -> Analysis:
    """World ``k`` of ``solutions`` (solved with all parts) as the :class:`Analysis` of ``scenario``, its scenario."""
    def index(i: int | None) -> int | None:
        return None if i is None or i < 0 else int(i)

    has_human = solutions.human_utilities is not None
    nearest = solutions.distance_to_fixed_point[k]
    return Analysis(
        scenario=scenario,
        fixed_points=solutions.fixed_points[k],
        scores=solutions.of_world(solutions.scores, k),
        human_utilities=solutions.of_world(solutions.human_utilities, k) if has_human else None,
        optimum=solutions.optima[k],
        optimum_human_utility=float(solutions.optimum_human_utility[k]) if has_human else None,
        optimum_mixing=solutions.optimum_mixing[k] if has_human else None,
        inaccuracy=float(solutions.inaccuracy[k]),
        distance_to_fixed_point=None if np.isnan(nearest) else float(nearest),
        bounds=solutions.bounds[k],
        best_by_score=index(solutions.best_by_score[k]),
        best_for_human=index(solutions.best_for_human[k]) if has_human else None,
        certificate=solutions.certificates[k],
    )


def json_number(x: float) -> float | str:
    """A JSON-safe number: round to 12 significant digits; infinities as the strings "inf"/"-inf"."""
    x = float(x)
    if np.isfinite(x):
        return float(f"{x:.12g}")
    return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
