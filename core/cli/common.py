"""What the commands share: reading a scenario from a file or a preset, and printing JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from core.model.presets import get_preset
from core.model.scenario import MAX_DOCUMENT_BYTES, Scenario


def add_scenario_source(parser: argparse.ArgumentParser) -> None:
    """``FILE.json`` or ``--preset NAME``, exactly one."""
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", help="a scenario JSON document")
    source.add_argument("--preset", help="the name of a preset (see 'presets')")


def read_scenario(args: argparse.Namespace) -> Scenario:
    if args.preset is not None:
        return get_preset(args.preset).scenario
    path = Path(args.file)
    if path.is_file() and path.stat().st_size > MAX_DOCUMENT_BYTES:  # refused before it is read into memory
        raise ValueError(f"scenario: {path} has {path.stat().st_size:,} bytes; at most {MAX_DOCUMENT_BYTES:,} "
                         "(1 MB) are read")
    return Scenario.from_json(path.read_bytes())


def emit(document: Any) -> None:
    """Print a JSON document to stdout (UTF-8, indented)."""
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    print()
    sys.stdout.flush()
