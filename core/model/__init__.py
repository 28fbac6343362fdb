"""The model: predictions on the simplex, scoring rules, how a human chooses, worlds, scenarios, presets.

simplex    points of the simplex: validation, grids, projection, the tangent space, distances
rules      ScoringRule: S(p, ω), S(p, q), its gradient, G and its derivatives
choice     the human's choice rules (best response, softmax, threshold), ε-exploration, expected utility
worlds     the maps f from a prediction to the outcome distribution it brings about
batch      WorldBatch: many worlds evaluated together, each point by its own world
scenario   Scenario: outcomes, world and rule, validated, to and from JSON and links
presets    the named scenarios of the gallery
"""

from core.model.choice import BestResponse, Softmax, Threshold, expected_utility, explore, softmax
from core.model.presets import PRESETS, Preset, get_preset
from core.model.rules import RULE_KINDS, ScoringRule
from core.model.scenario import MAX_OUTCOMES, MIN_OUTCOMES, SCENARIO_KEYS, Scenario
from core.model.worlds import (POLICY_KINDS, WORLD_KINDS, LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld,
                               RampWorld, World, default_world)

__all__ = [
    "BestResponse", "Softmax", "Threshold", "expected_utility", "explore", "softmax", "PRESETS", "Preset",
    "get_preset", "RULE_KINDS", "ScoringRule", "MAX_OUTCOMES", "MIN_OUTCOMES", "SCENARIO_KEYS", "Scenario",
    "POLICY_KINDS", "WORLD_KINDS", "LinearWorld", "LogisticWorld", "MatrixWorld", "PolicyWorld", "RampWorld",
    "World", "default_world",
]
