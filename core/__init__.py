"""The numeric core of the prediction fixed points explorer (numpy and scipy; no user interface).

Subpackages, by concept: ``core.model`` (simplex, rules, choice rules, worlds, scenario, presets),
``core.solve`` (fixed points, optimum, bounds), ``core.learning`` (repeated prediction, training),
``core.decisions`` (conditional predictions and the zero-sum pair). This module is the public API
that the pages, the command line and outside scripts import::

    analyze(scenario) -> Analysis          everything the explorer shows
    Scenario, ScoringRule, PolicyWorld, LinearWorld, RampWorld, LogisticWorld, MatrixWorld
    find_fixed_points(world), performative_optimum(world, rule), theorem_bounds(world, rule)
    PRESETS, get_preset(name)
    DecisionProblem, mechanisms(problem, rule, pair_rule), dishonest_equilibrium(problem, rule, pair_rule), train(...)
"""

from core.analysis import Analysis, analyze
from core.decisions import PAIR_RULES, DecisionProblem, dishonest_equilibrium, mechanisms
from core.learning import METHODS, OBJECTIVES, repeated_prediction, train
from core.model import (MAX_OUTCOMES, MIN_OUTCOMES, POLICY_KINDS, PRESETS, RULE_KINDS, SCENARIO_KEYS, WORLD_KINDS,
                        LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, Preset, RampWorld, Scenario, ScoringRule,
                        World, get_preset)
from core.solve import (Bounds, FixedPoint, Optimum, find_fixed_points, performative_gradient, performative_optimum,
                        performative_score, theorem_bounds)

__all__ = [
    "Analysis", "analyze", "PAIR_RULES", "DecisionProblem", "dishonest_equilibrium", "mechanisms",
    "METHODS", "OBJECTIVES",
    "repeated_prediction", "train", "MAX_OUTCOMES", "MIN_OUTCOMES", "POLICY_KINDS", "PRESETS", "RULE_KINDS",
    "SCENARIO_KEYS", "WORLD_KINDS", "LinearWorld", "LogisticWorld", "MatrixWorld", "PolicyWorld", "Preset",
    "RampWorld", "Scenario", "ScoringRule", "World", "get_preset", "Bounds", "FixedPoint", "Optimum",
    "find_fixed_points", "performative_gradient", "performative_optimum", "performative_score", "theorem_bounds",
]
