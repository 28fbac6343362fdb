"""The numeric core of the prediction fixed points explorer (numpy and scipy; no user interface).

Subpackages, by concept: ``core.model`` (simplex, rules, choice rules, worlds, scenario, presets),
``core.solve`` (fixed points, optimum, bounds), ``core.learning`` (learning dynamics and their local theory, training),
``core.decisions`` (conditional predictions and the zero-sum pair). This module is the public API
that the pages, the command line and outside scripts import::

    analyze(scenario) -> Analysis          everything the explorer shows
    Scenario, ScoringRule, PolicyWorld, LinearWorld, RampWorld, LogisticWorld, MatrixWorld
    find_fixed_points(world), performative_optimum(world, rule), theorem_bounds(world, rule)
    PRESETS, get_preset(name)
    simulate(world, rule, method, starts, step_size, steps)   learning dynamics on a batch of starts
    DecisionProblem, mechanisms(problem, rule, pair_rule), dishonest_equilibrium(problem, rule, pair_rule), train(...)
    StudySpec, run_study(spec, worlds, seed, scheduler=None), summarize(spec, seed, result)   (core.studies)
"""

from core.analysis import Analysis, analyze
from core.decisions import PAIR_RULES, DecisionProblem, dishonest_equilibrium, mechanisms
from core.learning import METHODS, OBJECTIVES, repeated_prediction, simulate, train
from core.model import (MAX_OUTCOMES, MIN_OUTCOMES, POLICY_KINDS, PRESETS, RULE_KINDS, SCENARIO_KEYS, WORLD_KINDS,
                        LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, Preset, RampWorld, Scenario, ScoringRule,
                        World, get_preset)
from core.solve import (Bounds, FixedPoint, Optimum, find_fixed_points, performative_gradient, performative_optimum,
                        performative_score, theorem_bounds)
from core.studies import StudySpec, run_study, summarize

__all__ = [
    "Analysis", "analyze", "PAIR_RULES", "DecisionProblem", "dishonest_equilibrium", "mechanisms", "METHODS", "OBJECTIVES",
    "repeated_prediction", "simulate", "train", "MAX_OUTCOMES", "MIN_OUTCOMES", "POLICY_KINDS", "PRESETS", "RULE_KINDS",
    "SCENARIO_KEYS", "WORLD_KINDS", "LinearWorld", "LogisticWorld", "MatrixWorld", "PolicyWorld", "Preset",
    "RampWorld", "Scenario", "ScoringRule", "World", "get_preset", "Bounds", "FixedPoint", "Optimum",
    "find_fixed_points", "performative_gradient", "performative_optimum", "performative_score", "theorem_bounds",
    "StudySpec", "run_study", "summarize",
]
