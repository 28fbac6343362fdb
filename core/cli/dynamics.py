"""``python -m core dynamics (FILE.json | --preset NAME) --method METHOD --start P --step-size ETA --steps N
[--seed S]``: run one learning method from one start, and what the local theory predicts for it."""

from __future__ import annotations

import argparse
import math

import numpy as np

from core.analysis import analyze
from core.cli.common import add_scenario_source, emit, read_scenario
from core.learning.dynamics import MAX_STEPS, METHODS, simulate
from core.learning.stability import candidates, predict

NAME = "dynamics"
HELP = "run a learning method (repeated prediction, gradient ascent, SGD, random search) from one start"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_source(parser)
    parser.add_argument("--method", required=True, help=f"one of {', '.join(METHODS)}")
    parser.add_argument("--start", required=True,
                        help="the first outcome's probability (two outcomes) or a comma-separated distribution")
    parser.add_argument("--step-size", default="0.1", help="η > 0 (default 0.1; unused by 'repeated')")
    parser.add_argument("--steps", default="1000", help=f"rounds, 0 to {MAX_STEPS} (default 1000)")
    parser.add_argument("--seed", default="0", help="seed of the random methods (default 0)")


def parse_start(text: str, n: int) -> np.ndarray:
    """'0.3' (two outcomes: the first outcome's probability) or '0.2,0.3,0.5'; ``ValueError`` if malformed."""
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise ValueError(f"--start must be numbers separated by commas, got {text!r}") from None
    if n == 2 and len(values) == 1:
        values = [values[0], 1.0 - values[0]]
    if len(values) != n or not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in values) \
            or abs(sum(values) - 1.0) > 1e-9:
        raise ValueError(f"--start must be {n} probabilities summing to 1"
                         + (" (or one: the first outcome's)" if n == 2 else "") + f", got {text!r}")
    return np.array(values)


def _number(text: str, name: str, kind: type, lo: float, hi: float) -> float | int:
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name} must be a {'whole ' if kind is int else ''}number, got {text!r}") from None
    if not lo <= value <= hi:  # NaN fails too
        raise ValueError(f"{name} must be between {lo} and {hi}, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    if args.method not in METHODS:
        raise ValueError(f"--method must be one of {', '.join(METHODS)}, got {args.method!r}")
    steps = _number(args.steps, "--steps", int, 0, MAX_STEPS)
    seed = _number(args.seed, "--seed", int, 0, 2**32 - 1)
    eta = _number(args.step_size, "--step-size", float, 0.0, math.inf)
    if args.method != "repeated" and not eta > 0:
        raise ValueError(f"--step-size must be positive, got {args.step_size!r}")
    scenario = read_scenario(args)
    result = analyze(scenario)
    points = candidates(result, args.method)
    run_ = simulate(scenario.world, scenario.rule, args.method, parse_start(args.start, scenario.n)[None], eta, steps,
                    attractors=np.array([p for _, p, _ in points]), seed=seed)
    end = run_.end[0]
    nearest = min(points, key=lambda c: float(np.max(np.abs(c[1] - end))), default=None)
    predicted = None
    if nearest is not None:
        theory = predict(scenario.world, scenario.rule, args.method, nearest[1], eta, nearest[2])
        predicted = {"point": [float(v) for v in theory.point], "max_step_size": theory.max_step_size,
                     "converges": theory.converges}
    status = str(run_.status[0])
    emit({"end": [float(v) for v in end], "status": status,
          "period": int(run_.period[0]) if status == "cycle" else None,
          "steps_taken": int(run_.steps_taken[0]), "predicted": predicted})
    return 0
