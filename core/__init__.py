"""The numeric core of the prediction fixed points explorer (numpy and scipy; no user interface).

Public API::

    Scenario, ScoringRule, PolicyWorld, LinearWorld, RampWorld, LogisticWorld, MatrixWorld
    analyze(scenario) -> Analysis          everything the explorer shows
    find_fixed_points(world), performative_optimum(world, rule), theorem_bounds(world, rule)
    PRESETS, get_preset(name)
"""

from core.analysis import Analysis, analyze
from core.bounds import Bounds, theorem_bounds
from core.fixed_points import FixedPoint, find_fixed_points
from core.optimum import Optimum, performative_gradient, performative_optimum, performative_score
from core.presets import PRESETS, Preset, get_preset
from core.rules import RULE_KINDS, ScoringRule
from core.scenario import Scenario
from core.worlds import POLICY_KINDS, WORLD_KINDS, LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld

__all__ = [
    "Analysis", "analyze", "Bounds", "theorem_bounds", "FixedPoint", "find_fixed_points", "Optimum",
    "performative_gradient", "performative_optimum", "performative_score", "PRESETS", "Preset", "get_preset",
    "RULE_KINDS", "ScoringRule", "Scenario", "POLICY_KINDS", "WORLD_KINDS", "LinearWorld", "LogisticWorld",
    "MatrixWorld", "PolicyWorld", "RampWorld",
]
