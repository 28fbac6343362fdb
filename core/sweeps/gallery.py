"""The literature's figures as named sweeps, for the home page's gallery and the Sweep page's links.

Treutlein, Hudson & Oesterheld (2022) and the authors' notebooks show the inaccuracy of the optimum over
the fixed point p* and the slope α of a linear world for the log, quadratic and spherical rules, the
optimum against the slope, and the exponential rule's inaccuracy against K (whose bound is α/K).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.model.presets import get_preset
from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import LinearWorld

#: (field, from, to, number of values)
Axis = tuple[str, float, float, int]


@dataclass(frozen=True)
class GallerySweep:
    """A named sweep: a diagram along ``x``, or, with ``y``, a map of ``quantity`` over ``x`` and ``y``."""

    name: str
    title: str
    story: str
    scenario: Scenario
    x: Axis
    y: Axis | None = None
    quantity: str = "inaccuracy"


def _notebook(rule: ScoringRule) -> Scenario:
    return Scenario(("event", "no event"), LinearWorld(0.25, 0.25), rule)


_MAP_X: Axis = ("world.p_star", 0.0, 1.0, 60)
_MAP_Y: Axis = ("world.alpha", 0.0, 0.95, 60)

GALLERY: dict[str, GallerySweep] = {g.name: g for g in [
    GallerySweep("inaccuracy-log", "Inaccuracy over (p*, α), log rule",
                 "The notebooks' heat map: how far the log-scored optimum is from self-fulfilling, for every "
                 "fixed point p* and slope α of a linear world.", _notebook(ScoringRule("log")), _MAP_X, _MAP_Y),
    GallerySweep("inaccuracy-quadratic", "Inaccuracy over (p*, α), quadratic rule",
                 "The same map under the Brier score: p̂ = (2(1 − α)p* − α)/(2 − 4α), clipped.",
                 _notebook(ScoringRule("quadratic")), _MAP_X, _MAP_Y),
    GallerySweep("inaccuracy-spherical", "Inaccuracy over (p*, α), spherical rule",
                 "The same map under the spherical score, whose constant sup|g/g′| = 1 gives the loosest bound.",
                 _notebook(ScoringRule("spherical")), _MAP_X, _MAP_Y),
    GallerySweep("optimum-vs-slope", "The optimum against the slope",
                 "A linear world around p* = 1/4 under the Brier score: as the slope α grows the report is "
                 "bent further below the fixed point.", _notebook(ScoringRule("quadratic")),
                 ("world.alpha", -0.3, 0.95, 200)),
    GallerySweep("exponential-k", "Exponential rule: inaccuracy against K",
                 "The exponential rule's bound is L/K: the larger K, the closer the optimum to the fixed point.",
                 get_preset("exponential-k10").scenario, ("rule.param", 0.5, 30.0, 200)),
    GallerySweep("five-candidates-beta", "Five candidates: rationality β",
                 "As voters follow the forecast more closely, pairs of self-fulfilling forecasts are born in "
                 "folds, and the even forecast stops attracting.", get_preset("five-candidates").scenario,
                 ("world.beta", 0.0, 20.0, 101)),
]}
