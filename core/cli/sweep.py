"""``python -m core sweep (FILE.json | --preset NAME) --param FIELD --from A --to B --num K``: a bifurcation
diagram as JSON; with ``--grid --param2 FIELD --from2 A --to2 B --num2 K --quantity Q``, a two-parameter
map as CSV. ``--out FILE`` writes to a file instead of standard output."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.cli.common import add_scenario_source, emit, read_scenario
from core.sweeps.diagram import sweep
from core.sweeps.grid import QUANTITIES, sweep_grid

NAME = "sweep"
HELP = "trace fixed points and the optimum along one field (JSON), or map a quantity over two (--grid, CSV)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_source(parser)
    parser.add_argument("--param", required=True, help="a dotted field name: world.beta, world.alpha, "
                                                       "rule.param, world.Q.0.1, ...")
    parser.add_argument("--from", dest="start", type=float, required=True, help="the first value")
    parser.add_argument("--to", dest="stop", type=float, required=True, help="the last value")
    parser.add_argument("--num", type=int, default=101, help="how many values (default 101)")
    parser.add_argument("--grid", action="store_true", help="a map over --param and --param2, as CSV")
    parser.add_argument("--param2", help="the second field of a map (rows)")
    parser.add_argument("--from2", dest="start2", type=float, help="the second field's first value")
    parser.add_argument("--to2", dest="stop2", type=float, help="the second field's last value")
    parser.add_argument("--num2", type=int, default=51, help="the second field's number of values (default 51)")
    parser.add_argument("--quantity", default="inaccuracy", help=f"what a map shows: {', '.join(QUANTITIES)}")
    parser.add_argument("--out", help="write to this file instead of standard output")


def run(args: argparse.Namespace) -> int:
    scenario = read_scenario(args)
    if not args.grid:
        document = sweep(scenario, args.param, args.start, args.stop, args.num).report()
        if args.out is None:
            emit(document)
        else:
            Path(args.out).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return 0
    for flag in ("param2", "start2", "stop2"):
        if getattr(args, flag) is None:
            raise ValueError(f"--{flag.replace('start', 'from').replace('stop', 'to')}: needed with --grid")
    text = sweep_grid(scenario, (args.param, args.start, args.stop, args.num),
                      (args.param2, args.start2, args.stop2, args.num2), args.quantity).to_csv()
    if args.out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0
