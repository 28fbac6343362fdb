"""``python -m core export (FILE.json | --preset NAME) --view PAGE [--format ipynb|py] [--out FILE]``: a page's
view as a runnable notebook or script (:mod:`core.export`), written to FILE or printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.common import add_scenario_source, read_scenario
from core.export import FORMATS, VIEWS, export

NAME = "export"
HELP = "write a page's view as a runnable Jupyter notebook or Python script"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_source(parser)
    parser.add_argument("--view", required=True, help="the page: " + " or ".join(VIEWS))
    parser.add_argument("--format", default="ipynb", help="ipynb (default) or py")
    parser.add_argument("--out", help="the file to write (default: print)")


def run(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise ValueError(f"--format: choose one of {', '.join(FORMATS)}, not {args.format!r}")
    text = export(read_scenario(args), args.view, args.format)
    if args.out is None:
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
    return 0
