"""``python -m core market (FILE.json | --preset NAME) --predictors K [--weights W1,W2,...]
[--pool linear|log|lmsr] [--payment own|zero-sum]``: the equilibria of K predictors' reports pooled into one
announcement, and how the symmetric equilibrium's distance to the fixed point falls with the number of
predictors, as JSON.

A distribution is an object keyed by outcome name; ``reports`` holds one per predictor. With the market maker
(``--pool lmsr``) the traders come in turn: ``reports`` holds the price each leaves, the one equilibrium is the
market after the K traders, ``rest_points`` lists the prices no trader moves, and ``curve`` follows the first k
traders.
"""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np

from core.analysis import json_number
from core.cli.common import add_scenario_source, emit, read_scenario
from core.markets import MAX_PREDICTORS, PAYMENTS, POOLS, Market, analyze_market, market_curve
from core.markets.equilibria import Equilibrium
from core.model.scenario import Scenario

NAME = "market"
HELP = "print the equilibria of a market of predictors and the distance to the fixed point against their number"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_source(parser)
    # Checked in run, so that a bad value ends with exit code 2 and one line naming the field.
    parser.add_argument("--predictors", required=True, help=f"the number of predictors, 1 to {MAX_PREDICTORS}")
    parser.add_argument("--weights", help="one positive weight per predictor, comma-separated (default: equal)")
    parser.add_argument("--pool", default="linear", help="how the reports are pooled: " + " or ".join(POOLS))
    parser.add_argument("--payment", default="own", help="what each predictor is paid: " + " or ".join(PAYMENTS))


def parse_predictors(text: str) -> int:
    try:
        k = int(text)
    except ValueError:
        raise ValueError(f"--predictors: give a whole number from 1 to {MAX_PREDICTORS}, not {text!r}") from None
    if not 1 <= k <= MAX_PREDICTORS:
        raise ValueError(f"--predictors: give a whole number from 1 to {MAX_PREDICTORS}, not {k}")
    return k


def parse_weights(text: str | None, k: int) -> np.ndarray:
    if text is None:
        return np.full(k, 1.0 / k)
    try:
        w = np.array([float(v) for v in text.split(",")])
    except ValueError:
        raise ValueError(f"--weights: give {k} positive numbers separated by commas, not {text!r}") from None
    if len(w) != k or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValueError(f"--weights: give {k} positive numbers separated by commas (one per predictor), not {text!r}")
    return w


def run(args: argparse.Namespace) -> int:
    k = parse_predictors(args.predictors)
    weights = parse_weights(args.weights, k)
    scenario = read_scenario(args)
    try:
        market = Market(scenario.world, scenario.rule, weights, args.pool, args.payment)
    except ValueError as err:  # the market names its field; the command line names its option
        field, _, rest = str(err).partition(":")
        if field in ("pool", "payment", "weights"):
            raise ValueError(f"--{field}:{rest}") from None
        raise
    emit(report(scenario, market))
    return 0


def report(scenario: Scenario, market: Market) -> dict[str, Any]:
    """The JSON document: the market's equilibria, the candidates that are none, and the curve over k."""
    names = scenario.outcomes

    def dist(p: np.ndarray | None) -> dict[str, Any] | None:
        return None if p is None else {name: json_number(v) for name, v in zip(names, p)}

    def entry(e: Equilibrium) -> dict[str, Any]:
        return {"reports": [dist(r) for r in e.reports], "announcement": dist(e.announcement), "f": dist(e.f),
                "distance_to_fixed_point": json_number(e.distance_to_fixed_point),
                "nearest_fixed_point": dist(e.nearest_fixed_point), "exact": e.exact,
                "deviation_gain": [json_number(g) for g in e.deviation_gain],
                "payments": [json_number(v) for v in e.payments],
                "bound": None if e.bound is None else [json_number(b) for b in e.bound],
                "bound_holds": e.bound_holds, "attracts": e.attracts}

    pool, payment = market.pool, market.payment
    found = analyze_market(market)
    curve = []
    for k, analysis in enumerate(market_curve(scenario.world, scenario.rule, market.k, pool, payment), start=1):
        chosen = analysis.chosen
        curve.append({"predictors": k, "equilibria": len(analysis.equilibria),
                      "announcement": None if chosen is None else dist(chosen.announcement),
                      "distance_to_fixed_point": None if chosen is None else json_number(chosen.distance_to_fixed_point),
                      "exact": None if chosen is None else chosen.exact})
    return {
        "scenario": scenario.to_dict(),
        "predictors": market.k, "weights": [json_number(w) for w in market.weights], "pool": pool, "payment": payment,
        "fixed_points": [dist(fp.p) for fp in found.fixed_points],
        "equilibria": [entry(e) for e in found.equilibria],
        "not_equilibria": [entry(e) for e in found.rejected],
        "rest_points": None if found.rest_points is None else [entry(e) for e in found.rest_points],
        "paid_by": market.rule.kind,
        "search": {"symmetric": found.symmetric, "complete": found.complete},
        "curve": curve,
    }
