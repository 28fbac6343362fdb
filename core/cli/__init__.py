"""The command line, ``python -m core COMMAND``: one module per command.

Each command module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args) -> int``; it
prints JSON with :func:`core.cli.common.emit` and raises ``ValueError`` (or ``OSError``) for bad input,
which ends the command with exit code 2 and a one-line message on stderr. A reader that goes away
(``python -m core analyze ... | head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import os
import sys

from core.cli import analyze, bench, decisions, dynamics, export, market, presets, study, sweep

COMMANDS = (presets, analyze, decisions, market, dynamics, sweep, study, export, bench)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core", description="Prediction fixed points: the numeric core.")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_arguments(sub.add_parser(command.NAME, help=command.HELP, description=command.HELP))
    args = parser.parse_args(argv)
    run = next(c.run for c in COMMANDS if c.NAME == args.command)
    try:
        return run(args)
    except (OSError, ValueError) as err:
        if isinstance(err, BrokenPipeError):
            return _reader_gone()
        print(f"error: {err}", file=sys.stderr)
        return 2


def _reader_gone() -> int:
    # Point stdout at /dev/null so that the interpreter's final flush does not raise again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0
