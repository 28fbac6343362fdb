"""``python -m core bench``: the timing table of :mod:`core.bench`."""

from __future__ import annotations

import argparse

from core.bench import SUITES, rows

NAME = "bench"
HELP = "time the core's work (median of repeated runs)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=15, help="runs per row (the median is shown)")
    parser.add_argument("--only", choices=[s.NAME for s in SUITES], help="run one suite of rows")


def run(args: argparse.Namespace) -> int:
    if args.repeat < 1:
        raise ValueError(f"--repeat must be at least 1, got {args.repeat}")
    print(f"{'what':<64} {'median ms':>10} {'target ms':>10}", flush=True)
    for label, ms, target in rows(args.repeat, args.only):
        if ms is None:  # a suite's summary line
            print(label, flush=True)
        else:
            print(f"{label:<64} {ms:>10.2f} {'' if target is None else f'{target:.0f}':>10}", flush=True)
    return 0
