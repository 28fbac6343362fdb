"""Benchmark rows: every fixed point of softmax worlds with four to six outcomes, where equilibria are many and
close (the hard case of the search), alone and as the full analysis a slider move recomputes."""

from __future__ import annotations

from dataclasses import replace

from core.analysis import analyze
from core.model.presets import get_preset
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import PolicyWorld
from core.solve.fixed_points import find_fixed_points

NAME = "fixed_points"
#: What a slider move may take for the full analysis to feel immediate.
SLIDER_MS = 500.0


def equal_candidates(m: int, a: float, b: float, beta: float) -> PolicyWorld:
    """m candidates, Q = a·J + b·I, U = I, softmax: 2^m − 1 fixed points once β is large."""
    q = tuple(tuple(a + b * (i == j) for j in range(m)) for i in range(m))
    u = tuple(tuple(float(i == j) for j in range(m)) for i in range(m))
    return PolicyWorld(actions=tuple(f"back {i + 1}" for i in range(m)), Q=q, U=u, policy="softmax", beta=beta)


def coordination4(beta: float) -> PolicyWorld:
    """Four actions, Q = 0.1 + 0.6·I, U = diag(1, 1.05, 1.1, 1.15): 15 fixed points at β = 12."""
    q = tuple(tuple(0.1 + 0.6 * (i == j) for j in range(4)) for i in range(4))
    u = tuple(tuple((1.0 + 0.05 * i) * (i == j) for j in range(4)) for i in range(4))
    return PolicyWorld(actions=("a", "b", "c", "d"), Q=q, U=u, policy="softmax", beta=beta)


def worlds() -> list[tuple[str, PolicyWorld]]:
    five = get_preset("five-candidates").scenario.world
    return [
        ("4 outcomes, coordination β = 12 (15 fixed points)", coordination4(12.0)),
        ("5 outcomes, five-candidates β = 8 (11)", replace(five, beta=8.0)),
        ("5 outcomes, five-candidates β = 15 (31)", replace(five, beta=15.0)),
        ("6 outcomes, six equal candidates β = 8 (43)", equal_candidates(6, 0.05, 0.7, 8.0)),
        ("6 outcomes, six equal candidates β = 12 (63)", equal_candidates(6, 0.05, 0.7, 12.0)),
    ]


def cases():
    out = []
    for label, world in worlds():
        scenario = Scenario(tuple(f"o{i + 1}" for i in range(world.n)), world, ScoringRule("quadratic"))
        out.append((f"fixed points, {label}", lambda world=world: find_fixed_points(world), None))
        out.append((f"full analysis, {label}", lambda scenario=scenario: analyze(scenario), SLIDER_MS))
    return out
