"""Benchmark rows: markets of many predictors, the equilibria of 50 at three outcomes, the curve over k = 1 … 50
at two, and the market maker's 50 traders at two and three outcomes."""

from __future__ import annotations

from core.markets import Market, analyze_market, market_curve
from core.model.presets import get_preset

NAME = "markets"


def cases():
    out = []
    for label, preset, pool, payment in [
            ("market of 50, 3 outcomes (route-choice, linear pool)", "route-choice", "linear", "own"),
            ("market of 50, 3 outcomes (coordination, zero-sum)", "coordination", "linear", "zero-sum"),
            ("market maker, 50 traders, 2 outcomes (notebook-log)", "notebook-log", "lmsr", "own"),
            ("market maker, 50 traders, 3 outcomes (route-choice)", "route-choice", "lmsr", "own")]:
        s = get_preset(preset).scenario
        out.append((label, lambda m=Market.equal(s.world, s.rule, 50, pool, payment): analyze_market(m), None))
    notebook = get_preset("notebook-log").scenario
    out.append(("market curve k = 1 ... 50, 2 outcomes (notebook-log, linear pool)",
                lambda: market_curve(notebook.world, notebook.rule, 50), None))
    return out
