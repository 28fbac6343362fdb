"""``python -m core study``: a study across many random worlds, in this process or on a Dask cluster."""

from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from core.cli.common import emit
from core.model.rules import RULE_KINDS
from core.studies.runner import frame, stream_study, summarize
from core.studies.samplers import POLICIES, SAMPLERS, StudySpec

NAME = "study"
HELP = "sample many random worlds and summarise p̂'s inaccuracy against the theorems' bound"
OUT_SUFFIXES = (".parquet", ".csv")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--outcomes", type=int, default=5, help="outcomes n, 2 to 6 (default 5)")
    parser.add_argument("--rule", default="quadratic", help=f"scoring rule: {', '.join(RULE_KINDS)}")
    parser.add_argument("--rule-param", type=float, help="the rule's parameter, if it has one")
    parser.add_argument("--sampler", default="matrix", help=f"kind of random world: {', '.join(SAMPLERS)}")
    parser.add_argument("--worlds", type=int, default=1000, help="how many worlds (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="the seed: the same seed gives the same worlds")
    parser.add_argument("--concentration", type=float, default=1.0,
                        help="of the Dirichlet that columns of A, c and rows of Q come from (default 1)")
    parser.add_argument("--alpha", type=float, help="matrix worlds' alpha (default: uniform on [0, 1])")
    parser.add_argument("--policy", default="softmax", help=f"policy worlds' human: {', '.join(POLICIES)}")
    parser.add_argument("--beta", type=float, nargs=2, default=(0.0, 10.0), metavar=("LOW", "HIGH"),
                        help="policy worlds' rationality beta, uniform on [LOW, HIGH] (default 0 10)")
    parser.add_argument("--actions", type=int, help="policy worlds' number of actions (default: n)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--out", help="write one row per world to FILE.parquet or FILE.csv, chunk by chunk (a "
                        "study of any size runs in constant memory)")
    parser.add_argument("--no-scenarios", action="store_true",
                        help="leave the scenario column out of --out (about 850 bytes a world; a world's "
                        "scenario is core.scenario_at(spec, seed, index))")
    parser.add_argument("--quiet", action="store_true", help="no progress bar on stderr")


def run(args: argparse.Namespace) -> int:
    spec = StudySpec(sampler=args.sampler, outcomes=args.outcomes, rule=args.rule, rule_param=args.rule_param,
                     concentration=args.concentration, alpha=args.alpha, actions=args.actions,
                     beta=tuple(args.beta), policy=args.policy)
    out = None if args.out is None else Path(args.out)
    if out is not None and out.suffix not in OUT_SUFFIXES:
        raise ValueError(f"--out: the file must end in {' or '.join(OUT_SUFFIXES)}, got {out.name!r}")
    # Streamed whatever the size: the chunks go to the file as they come, and only the summary's columns stay.
    with _chunk_writer(out) as write:
        result = stream_study(spec, args.worlds, args.seed, write, scheduler=args.scheduler,
                              scenarios=out is not None and not args.no_scenarios,
                              progress=None if args.quiet else _bar)
    emit(summarize(spec, args.seed, result))
    return 0


@contextmanager
def _chunk_writer(out: Path | None):
    """A function that appends a chunk's rows (:func:`core.studies.frame`) to ``out`` (Parquet, a row group a
    chunk; or CSV); with no file, one that does nothing."""
    if out is None:
        yield lambda chunk: None
        return
    if out.suffix == ".csv":
        with out.open("w", newline="") as fh:
            yield lambda chunk: frame(chunk).to_csv(fh, index=False, header=fh.tell() == 0)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    try:
        def write(chunk) -> None:
            nonlocal writer
            batch = pa.Table.from_pandas(frame(chunk), preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(out, batch.schema)
            writer.write_table(batch)

        yield write
    finally:
        if writer is not None:
            writer.close()


def _bar(done: int, total: int, width: int = 40) -> None:
    filled = width * done // total
    end = "\n" if done >= total else ""
    print(f"\r[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} worlds", end=end, file=sys.stderr,
          flush=True)
