"""``python -m core analyze (FILE.json | --preset NAME)``: the JSON report of a scenario."""

from __future__ import annotations

import argparse

from core.analysis import analyze
from core.cli.common import add_scenario_source, emit, read_scenario

NAME = "analyze"
HELP = "print the JSON report of a scenario"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_scenario_source(parser)


def run(args: argparse.Namespace) -> int:
    emit(analyze(read_scenario(args)).report())
    return 0
