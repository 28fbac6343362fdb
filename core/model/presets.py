"""Named scenarios, each with a one-line story, that the app's gallery and the command line offer."""

from __future__ import annotations

from dataclasses import dataclass

from core.model.rules import ScoringRule
from core.model.scenario import Scenario
from core.model.worlds import LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld


@dataclass(frozen=True)
class Preset:
    """A scenario with a title, a one-line story, and the page that shows it best."""

    name: str
    title: str
    story: str
    page: str  # the page that shows it best: "binary", "triangle", "scoring-rules" or "decisions" (a page key of ui/pages.py)
    scenario: Scenario
    view: tuple[tuple[str, str], ...] = ()  # the page's view settings the preset's link opens with


_COORDINATION = PolicyWorld(
    actions=("back A", "back B", "back C"),
    Q=((0.8, 0.1, 0.1), (0.1, 0.8, 0.1), (0.1, 0.1, 0.8)),
    U=((1.1, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 0.9)),
    policy="softmax",
    beta=8.0,
)
_JAM = dict(
    actions=("drive", "take the train"),
    Q=((0.9, 0.1), (0.1, 0.9)),
    U=((0.0, 1.0), (0.5, 0.5)),
)

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset("notebook-quadratic", "Notebook default, quadratic rule",
               "The authors' notebook: a linear world with fixed point 1/4 and slope 1/4; the Brier-scored "
               "predictor reports 0.125, not 0.25.",
               "binary", Scenario(("event", "no event"), LinearWorld(0.25, 0.25), ScoringRule("quadratic"))),
        Preset("notebook-log", "Notebook default, log rule",
               "The same linear world around 0.675 under the log score: the report is pushed away from 1/2, "
               "towards the more predictable extreme.",
               "binary", Scenario(("event", "no event"), LinearWorld(0.675, 0.25), ScoringRule("log"))),
        Preset("half-slope", "f(p) = 0.5 p + 0.31",
               "A world that half follows the forecast: its fixed point is 0.62, and the optimum misses it.",
               "binary", Scenario(("event", "no event"), LinearWorld(0.62, 0.5), ScoringRule("quadratic"))),
        Preset("ramp", "Steep ramp between 0.3 and 0.4",
               "Forecasts above 0.4 prompt precautions that bring the chance down to 0.1; the one fixed point "
               "in the steep part repels repeated prediction.",
               "binary", Scenario(("accident", "no accident"), RampWorld(0.3, 0.4, 0.8, 0.1), ScoringRule("quadratic"))),
        Preset("slope-near-one", "Slope near 1",
               "A world that almost fully follows the forecast (slope 0.95): the bounds grow without limit as "
               "the slope approaches 1.",
               "binary", Scenario(("event", "no event"), LinearWorld(0.5, 0.95), ScoringRule("quadratic"))),
        Preset("exponential-k10", "Exponential rule, K = 10",
               "The notebook world under the exponential rule with K = 10: sup|g/g′| = 1/K = 0.1, a bound five "
               "times tighter than Brier's 1/2, and here it is met with equality.",
               "binary", Scenario(("event", "no event"), LinearWorld(0.25, 0.25), ScoringRule("exponential", 10.0))),
        Preset("bank-run", "Bank run",
               "Depositors withdraw the more a run is predicted: calm and panic are both self-fulfilling, and "
               "a tipping point between them repels.",
               "binary", Scenario(("run", "no run"), LogisticWorld(0.5, 12.0, 0.02, 0.98), ScoringRule("log"))),
        Preset("self-defeating", "Self-defeating traffic forecast",
               "Predict a jam and everyone takes the train, so the road is clear; predict a clear road and "
               "everyone drives into a jam. No pure fixed point: only a mixed one at 1/2.",
               "binary", Scenario(("jam", "clear"), PolicyWorld(**_JAM), ScoringRule("quadratic"))),
        Preset("self-defeating-softmax", "Self-defeating forecast, soft response",
               "The same commuters respond softly (softmax, β = 10): f becomes continuous and crosses the "
               "diagonal once, at 1/2, steeply, so the fixed point repels.",
               "binary", Scenario(("jam", "clear"), PolicyWorld(**_JAM, policy="softmax", beta=10.0),
                                  ScoringRule("quadratic"))),
        Preset("coordination", "Three-way coordination",
               "Buyers back whichever of three products is forecast to win, which makes it win; they like A "
               "best. Three attracting fixed points, three saddles and a repelling one between them.",
               "triangle", Scenario(("A wins", "B wins", "C wins"), _COORDINATION, ScoringRule("log"))),
        Preset("route-choice", "Route choice",
               "Drivers avoid the route forecast to jam and crowd the other; the train is a safe fallback. "
               "One self-fulfilling forecast balances the routes.",
               "triangle", Scenario(
                   ("jam on A", "jam on B", "no jam"),
                   PolicyWorld(
                       actions=("route A", "route B", "train"),
                       Q=((0.6, 0.1, 0.3), (0.1, 0.6, 0.3), (0.05, 0.05, 0.9)),
                       U=((-1.0, 1.0, 1.0), (1.0, -1.0, 1.0), (0.2, 0.2, 0.2)),
                       policy="softmax", beta=6.0),
                   ScoringRule("quadratic"))),
        Preset("linear-three", "Linear world, three outcomes",
               "f(p) = (1 − α)c + αAp with a cyclic A: the Brier optimum is off the fixed point, within the "
               "bound ‖αA‖_T √(2/3).",
               "triangle", Scenario(("low", "medium", "high"),
                                    MatrixWorld(((0.2, 0.1, 0.7), (0.7, 0.2, 0.1), (0.1, 0.7, 0.2)),
                                                (0.5, 0.3, 0.2), 0.6),
                                    ScoringRule("quadratic"))),
        Preset("five-candidates", "Five candidates",
               "An election forecast for five candidates that voters partly follow (softmax, β = 4): a "
               "five-outcome scenario for the tables.",
               "scoring-rules", Scenario(
                   ("Ada", "Ben", "Cy", "Dee", "Eve"),
                   PolicyWorld(
                       actions=("back Ada", "back Ben", "back Cy", "back Dee", "back Eve"),
                       Q=tuple(tuple(0.6 if i == j else 0.1 for j in range(5)) for i in range(5)),
                       U=tuple(tuple(1.0 if i == j else 0.0 for j in range(5)) for i in range(5)),
                       policy="softmax", beta=4.0),
                   ScoringRule("quadratic"))),
        Preset("decision-example", "Decision: lying to steer the human",
               "Good-outcome chances are 1/3 under action 1 and 1/2 under action 2. A log-scored predictor "
               "that reports per action gains by understating action 2 (docs/theory.md#conditional-predictions).",
               "decisions", Scenario(("good", "bad"),
                                    PolicyWorld(actions=("action 1", "action 2"),
                                                Q=((1 / 3, 2 / 3), (0.5, 0.5)), U=((1.0, 0.0), (1.0, 0.0))),
                                    ScoringRule("log"))),
        Preset("decision-three", "Decision: three treatments",
               "Recovery chances are 0.2, 0.5 and 0.6 under treatments A, B and C. A log-scored predictor "
               "gains by steering the doctor to A, whose outcome is easiest to predict; a zero-sum pair "
               "of predictors recommends C.",
               "decisions", Scenario(("recovers", "does not"),
                                    PolicyWorld(actions=("treatment A", "treatment B", "treatment C"),
                                                Q=((0.2, 0.8), (0.5, 0.5), (0.6, 0.4)),
                                                U=((1.0, 0.0), (1.0, 0.0), (1.0, 0.0))),
                                    ScoringRule("log"))),
        Preset("decision-risky-safe", "Decision: a pair that agrees to mislead",
               "A risky treatment works with probability 0.8 (utility 1, else 0); a safe one gives 0.6 whatever "
               "happens. If a pair of predictors whose reports the human averages both say the risky one always "
               "fails, neither alone can lift its mean value above 0.5 < 0.6: an equilibrium in which the human "
               "gets 0.6, not 0.8.",
               "decisions", Scenario(("good", "bad"),
                                    PolicyWorld(actions=("risky", "safe"), Q=((0.8, 0.2), (0.5, 0.5)),
                                                U=((1.0, 0.0), (0.6, 0.6))),
                                    ScoringRule("log")),
               view=(("pair", "mean"),)),
    ]
}


def get_preset(name: str) -> Preset:
    """The preset called ``name``; ``ValueError`` listing the names if there is none."""
    if name not in PRESETS:
        raise ValueError(f"preset: unknown preset {name!r}; choose one of {', '.join(PRESETS)}")
    return PRESETS[name]
