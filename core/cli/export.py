"""``python -m core export (FILE.json | --preset NAME | --link URL) [--view PAGE] [--format ipynb|py] [--out FILE]``:
a page's view as a runnable notebook or script (:mod:`core.export`), written to FILE or printed. A link (an
address the app wrote) gives the scenario, the page and its settings; ``--set KEY=VALUE`` adds or overrides
one of the page's settings, as its link would carry it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cli.common import read_scenario
from core.export import FORMATS, VIEWS, export, read_link

NAME = "export"
HELP = "write a page's view as a runnable Jupyter notebook or Python script"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="a scenario JSON document")
    source.add_argument("--preset", help="the name of a preset (see 'presets')")
    source.add_argument("--link", help="an address the app wrote: its scenario, page and settings")
    parser.add_argument("--view", help="the page: " + ", ".join(VIEWS) + " (default: the link's)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="one of the page's settings, as its link carries it (e.g. dyn_method=repeated)")
    parser.add_argument("--format", default="ipynb", help="ipynb (default) or py")
    parser.add_argument("--out", help="the file to write (default: print)")


def run(args: argparse.Namespace) -> int:
    if args.format not in FORMATS:
        raise ValueError(f"--format: choose one of {', '.join(FORMATS)}, not {args.format!r}")
    if args.link is not None:
        scenario, view, params = read_link(args.link)
        if scenario is None:
            raise ValueError("--link: the address carries no scenario (no 'world' or 'preset' parameter)")
        if args.view is not None and args.view != view:
            raise ValueError(f"--view: the link opens the {view} page; leave --view out or give {view}")
    else:
        if args.view is None:
            raise ValueError("--view: give the page to export (or a --link that opens it)")
        scenario, view, params = read_scenario(args), args.view, {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--set: write KEY=VALUE, not {item!r}")
        params[key] = value
    text = export(scenario, view, args.format, params)
    if args.out is None:
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
    return 0
