"""``python -m core presets``: the named scenarios, one line each."""

from __future__ import annotations

import argparse

from core.model.presets import PRESETS

NAME = "presets"
HELP = "list the named scenarios"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    width = max(map(len, PRESETS))
    for preset in PRESETS.values():
        print(f"{preset.name:<{width}}  n={preset.scenario.n}  {preset.title}: {preset.story}")
    return 0
