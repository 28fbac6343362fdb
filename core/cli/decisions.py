"""``python -m core decisions (FILE.json | --preset NAME) [--pair optimistic|mean]``: the decision setting's
mechanisms and the worst dishonest equilibrium of the zero-sum pair, as JSON.

A report is an object keyed by action name, each value an object keyed by outcome name (the reported
distribution of the outcomes if that action is taken).
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from core.cli.common import add_scenario_source, emit, read_scenario
from core.decisions import PAIR_RULES, DecisionProblem, dishonest_equilibrium, mechanisms
from core.model.scenario import Scenario

NAME = "decisions"
HELP = "print what honest reports, a single predictor and a zero-sum pair lead to, as JSON"
#: The mechanisms' names in the JSON, in the order of :func:`core.decisions.mechanisms`.
NAMES = ("honest", "single", "zero_sum")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_source(parser)
    # Checked in run, so that a bad value ends with exit code 2 and one line, as every bad input does.
    parser.add_argument("--pair", default="optimistic", help="how the human combines a pair's reports: "
                                                             + " or ".join(PAIR_RULES))


def run(args: argparse.Namespace) -> int:
    if args.pair not in PAIR_RULES:
        raise ValueError(f"--pair: choose one of {', '.join(PAIR_RULES)}, not {args.pair!r}")
    emit(report(read_scenario(args), args.pair))
    return 0


def report(scenario: Scenario, pair_rule: str) -> dict[str, Any]:
    """The JSON document: the scenario's mechanisms and its dishonest equilibrium (``None`` if there is none)."""
    problem = DecisionProblem.from_scenario(scenario)
    actions, outcomes = scenario.world.actions, scenario.outcomes

    def reports(p: np.ndarray) -> dict[str, dict[str, float]]:
        return {a: dict(zip(outcomes, map(float, row))) for a, row in zip(actions, p)}

    def probs(pi: np.ndarray) -> dict[str, float]:
        return dict(zip(actions, map(float, pi)))

    results = mechanisms(problem, scenario.rule, pair_rule)
    analysis = dishonest_equilibrium(problem, scenario.rule, pair_rule)
    found = analysis.dishonest
    return {
        "pair_rule": pair_rule,
        "mechanisms": [{"name": name, "reports": reports(o.reports), "action_probs": probs(o.action_probs),
                        "human_utility": o.human_utility, "score": o.score, "note": o.note}
                       for name, o in zip(NAMES, results)],
        "dishonest_equilibrium": None if found is None else {
            "reports": [reports(found.first), reports(found.second)],
            "action_probs": probs(found.action_probs),
            "human_utility": found.human_utility,
            "honest_utility": found.best_utility,
            "best_deviation_gain": found.deviation_gain,
            "epsilon": analysis.demo_epsilon,
            "deviation_gain_at_epsilon": analysis.demo_gain,
            "honest_deviation_gain_at_epsilon": analysis.demo_honest_gain,
        },
        "dishonest_equilibrium_search": {"exact": analysis.exact, "reason": analysis.reason},
    }
