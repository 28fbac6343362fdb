"""The numeric core of the prediction fixed points explorer (numpy and scipy; no user interface).

This module is the public API: the pages, ``ui/``, the figures and outside notebooks import from ``core`` and nowhere
deeper (``tests/test_architecture.py`` checks it). Subpackages, by concept:

``core.model``       the simplex, scoring rules, choice rules, worlds, batches of worlds, scenarios, presets
``core.solve``       fixed points and their certificate, the performative optimum, the theorems' bounds, and
                     ``solve_batch``, the one batched solve every view calls
``core.learning``    learning dynamics and their local theory, training of predictors
``core.decisions``   conditional predictions, one per action, and the zero-sum pair
``core.markets``     many predictors pooled into one announcement, and their equilibria
``core.sweeps``      one-parameter diagrams (continuation), two-parameter maps, the gallery
``core.studies``     many random worlds, chunked, on one process or a Dask cluster
``core.cli``         ``python -m core`` (analyze, sweep, study, dynamics, decisions, market, export, presets, bench)
``core.tables``      the pages' tables as pandas frames; ``core.export``: any page's view as a notebook or script

The main entry points::

    analyze(scenario) -> Analysis          everything the explorer shows for one scenario
    solve_batch(worlds, rules) -> Solutions    the same quantities for many worlds at once, as columns
    sweep(scenario, field, values) -> Diagram, sweep_grid(scenario, x, y, ...) -> Map
    simulate(world, rule, method, starts, step_size, steps)   learning dynamics on a batch of starts
    DecisionProblem, mechanisms(problem, rule, pair_rule), dishonest_equilibrium(problem, rule, pair_rule)
    Market, analyze_market(market) -> MarketAnalysis, market_curve(world, rule, k_max, pool, payment),
    first_traders(analysis, ks) (a market maker's first k traders)
    StudySpec, run_study(spec, worlds, seed, scheduler=None), summarize(spec, seed, result), worst_rows(result, count)

Examples
--------
THEORY's worked example: the quadratic rule in the linear world f(p) = p* + α(p − p*), p* = α = 1/4, where
p̂ = (2(1−α)p* − α)/(2 − 4α) = 0.125 and f(p̂) = 0.21875.

>>> from core import Scenario, analyze
>>> scenario = Scenario.from_dict({"version": 1, "outcomes": ["event", "no event"],
...                                "world": {"kind": "linear", "p_star": 0.25, "alpha": 0.25},
...                                "rule": {"kind": "quadratic"}})
>>> analysis = analyze(scenario)
>>> analysis.optimum.p.round(6).tolist(), analysis.optimum.f.round(6).tolist()
([0.125, 0.875], [0.21875, 0.78125])
>>> round(analysis.inaccuracy, 6), [fp.p.round(6).tolist() for fp in analysis.fixed_points]
(0.09375, [[0.25, 0.75]])
"""

from core import curves, tables
from core.analysis import Analysis, analyze
from core.export import export as export_view
from core.curves import TRIANGLE_HEIGHT, ArrowField, BinaryCurve, TriangleGrid, g_curves, to_plane
from core.decisions import unsuitable as decision_unsuitable
from core.decisions import (JOINT_RULES, MAX_JOINT, PAIR_RULES, DecisionProblem, MechanismResult, check_rule,
                            dishonest_equilibrium, joint_honest, mechanism_result, mechanisms)
from core.explain import (describe_analysis, describe_certificate, describe_decision, describe_diagram,
                          describe_dynamics, describe_market)
from core.markets import (CURVE_KS, MARKET_GALLERY, MAX_PREDICTORS, PAYMENTS, POOLS, Equilibrium, Market, MarketAnalysis, analyze_market,
                          first_traders, market_curve)
from core.markets import unsuitable as market_unsuitable
from core.markets.learning import MAX_TRAINING_STEPS
from core.markets.learning import METHODS as MARKET_METHODS
from core.markets.learning import train_market
from core.learning import OBJECTIVES, repeated_prediction, simulate, train, views
from core.learning.dynamics import MAX_STEPS
from core.learning.dynamics import METHODS as DYNAMICS_METHODS
from core.learning.training import METHODS as TRAINING_METHODS
from core.learning.training import mean_curves
from core.model import (MAX_OUTCOMES, MIN_OUTCOMES, POLICY_KINDS, PRESETS, RULE_KINDS, SCENARIO_KEYS, WORLD_KINDS,
                        LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, Preset, RampWorld, Scenario, ScoringRule,
                        World, get_preset)
from core.model.batch import WorldBatch
from core.model.scenario import MAX_DOCUMENT_BYTES
from core.model.simplex import as_simplex
from core.model.worlds import default_world
from core.solve import (Bounds, FixedPoint, Optimum, find_fixed_points, performative_gradient, performative_optimum,
                        performative_score, theorem_bounds)
from core.solve.bounds import sup_g_ratio
from core.solve.solutions import Solutions, solve_batch
from core.studies import (BATCHED_RULES, SAMPLERS, StudySpec, bound_slope, frame, run_study,
                          scenario_at, summarize, worst_rows)
from core.sweeps import sweep
from core.sweeps.diagram import MAX_VALUES, Diagram, coordinate, plotted_axis
from core.sweeps.fields import default_field, default_range, numeric_fields
from core.sweeps.gallery import GALLERY
from core.sweeps.grid import CELLS_PER_CHUNK, MAX_CELLS, QUANTITIES, Map, sweep_grid

__all__ = [
    "curves", "tables", "views",
    "Analysis", "analyze", "export_view", "Solutions", "solve_batch", "WorldBatch",
    "TRIANGLE_HEIGHT", "ArrowField", "BinaryCurve", "TriangleGrid", "g_curves", "to_plane",
    "JOINT_RULES", "MAX_JOINT", "PAIR_RULES", "DecisionProblem", "MechanismResult", "check_rule",
    "decision_unsuitable", "dishonest_equilibrium", "joint_honest", "mechanism_result", "mechanisms",
    "describe_analysis", "describe_certificate", "describe_decision", "describe_diagram", "describe_dynamics", "describe_market",
    "CURVE_KS", "MARKET_GALLERY", "MAX_PREDICTORS", "PAYMENTS", "POOLS", "Equilibrium", "Market", "MarketAnalysis", "analyze_market", "first_traders", "market_curve",
    "market_unsuitable", "MAX_TRAINING_STEPS", "MARKET_METHODS", "train_market",
    "OBJECTIVES", "repeated_prediction", "simulate", "train", "MAX_STEPS", "DYNAMICS_METHODS", "TRAINING_METHODS",
    "mean_curves",
    "MAX_OUTCOMES", "MIN_OUTCOMES", "POLICY_KINDS", "PRESETS", "RULE_KINDS", "SCENARIO_KEYS", "WORLD_KINDS",
    "LinearWorld", "LogisticWorld", "MatrixWorld", "PolicyWorld", "Preset", "RampWorld", "Scenario", "ScoringRule",
    "World", "get_preset", "MAX_DOCUMENT_BYTES", "as_simplex", "default_world",
    "Bounds", "FixedPoint", "Optimum", "find_fixed_points", "performative_gradient", "performative_optimum",
    "performative_score", "theorem_bounds", "sup_g_ratio",
    "BATCHED_RULES", "SAMPLERS", "StudySpec", "bound_slope", "frame", "run_study",
    "scenario_at", "summarize", "worst_rows",
    "sweep", "MAX_VALUES", "Diagram", "coordinate", "plotted_axis", "default_field", "default_range", "numeric_fields", "GALLERY",
    "CELLS_PER_CHUNK", "MAX_CELLS", "QUANTITIES", "Map", "sweep_grid",
]
