"""Command line: ``python -m core presets | analyze (FILE.json | --preset NAME) | bench``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.analysis import analyze
from core.model.presets import PRESETS, get_preset
from core.model.scenario import Scenario


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description="Prediction fixed points: the numeric core.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("presets", help="list the named scenarios")
    analyze_cmd = sub.add_parser("analyze", help="print the JSON report of a scenario")
    source = analyze_cmd.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="a scenario JSON document")
    source.add_argument("--preset", help="the name of a preset (see 'presets')")
    bench_cmd = sub.add_parser("bench", help="time full analyses and batches of f")
    bench_cmd.add_argument("--repeat", type=int, default=15, help="runs per row (the median is shown)")
    args = parser.parse_args(argv)

    if args.command == "presets":
        width = max(map(len, PRESETS))
        for preset in PRESETS.values():
            print(f"{preset.name:<{width}}  n={preset.scenario.n}  {preset.title}: {preset.story}")
        return 0
    if args.command == "bench":
        from core.bench import print_table

        print_table(repeat=args.repeat)
        return 0
    try:
        if args.preset is not None:
            scenario = get_preset(args.preset).scenario
        else:
            scenario = Scenario.from_json(Path(args.file).read_bytes())
        report = analyze(scenario).report()
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
