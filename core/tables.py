"""The pages' tables as pandas frames, built from core results: a page shows them and an exported notebook
(:mod:`core.export`) prints them, so the two cannot drift apart.

Each function takes what the core computed (it solves nothing itself, except :func:`rule_comparison`, which
analyses one scenario per rule through the ``analyze`` it is given: the app passes its cached one).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from core.analysis import Analysis, analyze
from core.decisions import JOINT_RULES, DecisionProblem, EquilibriumAnalysis, MechanismResult, mechanism_result
from core.learning.training import METHODS as TRAINING_METHODS
from core.learning.training import OBJECTIVES
from core.markets import MarketAnalysis
from core.markets.learning import METHODS as MARKET_METHODS
from core.model import RULE_KINDS, Scenario, ScoringRule
from core.solve.bounds import sup_g_ratio

#: Training variants, ``"objective:method"``, and their names; the ones the Decisions page starts with.
VARIANTS = {f"{o}:{m}": f"{OBJECTIVES[o]} · {TRAINING_METHODS[m]}" for o in OBJECTIVES for m in TRAINING_METHODS}
DEFAULT_VARIANTS = ("single:gradient", "zero_sum:gradient", "self_play:gradient", "self_play:random-search")


def variant_names(text: str) -> list[str]:
    """A link's comma-separated variants (empty: none chosen); ``ValueError`` if one is unknown. Links made
    before the training method was named like the dynamics' (``random_search``) still open."""
    names = [v.replace(":random_search", ":random-search") for v in text.split(",") if v]
    if unknown := [v for v in names if v not in VARIANTS]:
        raise ValueError(f"unknown variants {', '.join(unknown)}")
    return names


def records(frame: pd.DataFrame) -> str:
    """A table as JSON, one object per row, every digit kept (what an exported notebook prints)."""
    return json.dumps(frame.to_dict(orient="records"), default=float)


def comparable_rules(scenario: Scenario) -> list[ScoringRule]:
    """The rules the Scoring rules page compares: every family that takes this many outcomes, the current
    rule with its parameter (K, α), the others with their defaults."""
    return [scenario.rule if kind == scenario.rule.kind else ScoringRule(kind)
            for kind, spec in RULE_KINDS.items() if scenario.n == 2 or not spec.binary_only]


def rule_comparison(scenario: Scenario, analyze_one: Callable[[Scenario], Analysis] = analyze) -> pd.DataFrame:
    """The world under each rule of :func:`comparable_rules`: p̂, its inaccuracy and the theorem's bound, the
    distance to the fixed point and the score-best fixed point."""
    rows = []
    for rule in comparable_rules(scenario):
        result = analyze_one(Scenario(scenario.outcomes, scenario.world, rule))
        best = result.best_by_score
        rows.append({
            "rule": rule.label,
            "current": "✔" if rule == scenario.rule else "",
            "sup |g/g′|": sup_g_ratio(rule) if scenario.n == 2 else None,
            **{f"p̂: P({o})": v for o, v in zip(scenario.outcomes, result.optimum.p)},
            "inaccuracy": result.inaccuracy,
            "bound": None if result.bounds is None else result.bounds.inaccuracy,
            "distance to fixed point": result.distance_to_fixed_point,
            "score-best fixed point": None if best is None else
            ", ".join(f"{v:.3f}" for v in result.fixed_points[best].p),
        })
    return pd.DataFrame(rows)


def _taken(actions: Sequence[str], probs: np.ndarray) -> str:
    return ", ".join(f"{a} {w:.2f}" for a, w in zip(actions, probs) if w > 1e-9)


def mechanisms(actions: Sequence[str], outcomes: Sequence[str],
               results: Iterable[MechanismResult | None]) -> pd.DataFrame:
    """The Decisions page's mechanisms: what each one's reports lead to (``None`` entries are skipped)."""
    return pd.DataFrame([{
        "mechanism": o.name,
        "action taken": _taken(actions, o.action_probs),
        "predictor's score": o.score,
        "human's utility": o.human_utility,
        "distance from truth (all actions)": o.distance,
        "distance from truth (actions taken)": o.distance_played,
        **{f"P({outcomes[0]} | {a})": v for a, v in zip(actions, o.reports[:, 0])},
        "note": o.note,
    } for o in results if o is not None])


WORST_EQUILIBRIUM = "zero-sum pair, dishonest equilibrium"


def dishonest_mechanism(problem: DecisionProblem, rule: ScoringRule,
                        analysis: EquilibriumAnalysis) -> MechanismResult | None:
    """The zero-sum pair's worst dishonest equilibrium (:func:`core.decisions.dishonest_equilibrium`) as a row of
    :func:`mechanisms`; ``None`` if there is none."""
    found = analysis.dishonest
    return None if found is None else mechanism_result(
        problem, rule, WORST_EQUILIBRIUM, found.first, found.action_probs,
        note=f"an equilibrium too: best unilateral deviation gains {found.deviation_gain:.2g}")


def joint(actions: Sequence[str], results: Sequence[MechanismResult]) -> pd.DataFrame:
    """k honest predictors under the joint rule, one row per way the human combines them (:data:`JOINT_RULES`)."""
    return pd.DataFrame([{
        "the human follows": JOINT_RULES[rule],
        "action taken": _taken(actions, o.action_probs),
        "human's utility": o.human_utility,
        "check": o.note,
    } for rule, o in zip(JOINT_RULES, results)])


def training(actions: Sequence[str], first: str, curves: Mapping[str, Mapping[str, np.ndarray]]) -> pd.DataFrame:
    """Where each training variant ended (:func:`core.learning.training.mean_curves`)."""
    return pd.DataFrame([{"variant": VARIANTS[v],
                          **{f"P({first} | {a})": c["final"][i, 0] for i, a in enumerate(actions)},
                          "final distance (max)": float(c["distance"][-1].max()),
                          "final utility": float(c["utility"][-1])} for v, c in curves.items()])


def market(found: MarketAnalysis, outcomes: Sequence[str], k: int, maker: bool) -> pd.DataFrame:
    """The Markets page's table: the equilibria of k predictors (or the market maker's price after k traders
    and its rest points), then the candidates a deviation (a trader) leaves. Two outcomes show the first
    one's probability, as in the papers."""
    shown = outcomes[:1] if len(outcomes) == 2 else outcomes
    listed = [("equilibrium", e) for e in found.equilibria] if not maker else \
        [(f"after {k} trader{'s' if k > 1 else ''}", e) for e in found.equilibria] + \
        [("rest point", e) for e in found.rest_points]
    listed += [("a trader leaves it" if maker else "not an equilibrium", e) for e in found.rejected]
    rows = []
    for label, e in listed:
        row = {"": label,
               **{f"A({o})": v for o, v in zip(shown, e.announcement)},
               **{f"f(A)({o})": v for o, v in zip(shown, e.f)},
               "distance to fixed point": e.distance_to_fixed_point,
               "deviation gain": float(e.deviation_gain.max()),
               "exact": "yes" if e.exact else "no",
               "payment": float(e.payments[-1] if maker else e.payments[0]),
               "attracts": {True: "yes", False: "no", None: "—" if maker else "on the boundary"}[e.attracts]}
        if e.bound is not None:
            if maker:  # the last trader's: its price is the announcement
                row["bound on |f(pₖ) − pₖ|"] = e.bound[-1]
            else:
                row["bound on |f(A) − pᵢ|"] = max(e.bound)
            row["holds"] = "yes" if all(e.bound_holds) else "NO"
        rows.append(row)
    return pd.DataFrame(rows)


def market_learning(outcomes: Sequence[str], runs: Mapping[str, Mapping[str, np.ndarray]]) -> pd.DataFrame:
    """Where each way of learning together ended (:func:`core.markets.learning.train_market`)."""
    shown = outcomes[:1] if len(outcomes) == 2 else outcomes
    return pd.DataFrame([{"method": MARKET_METHODS[m], **{f"A({o})": v for o, v in zip(shown, r["announcement"][-1])},
                          "final distance": float(r["distance"][-1]),
                          "settled": "yes" if r["settled"] else "no: still moving"} for m, r in runs.items()])


#: How many of a study's worst worlds the Studies page lists.
WORST_WORLDS = 10


def worst_worlds(rows: pd.DataFrame) -> pd.DataFrame:
    """The Studies page's worst worlds, from rows of :func:`core.studies.frame`."""
    return rows[["index", "inaccuracy", "distance", "norm_T", "bound", "ratio"]].set_axis(
        ["world", "inaccuracy", "distance", "‖αA‖_T", "bound", "inaccuracy / bound"], axis=1).reset_index(drop=True)
