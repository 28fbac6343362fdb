"""Running a study: its worlds in chunks, in one process or mapped over a Dask cluster.

The same function, :func:`core.studies.kernel.run_chunk`, runs every chunk either way, and a world's
randomness depends only on the seed and its index (:mod:`core.studies.samplers`), so the results are
the same numbers however the worlds are split and wherever they run.

On a cluster the study ships its own code: :func:`package_zip` zips the ``core`` package and
``Client.upload_file`` puts it on the path of the scheduler (which unpickles the task graph) and of
every worker, so a scheduler and workers started in any directory, with only the requirements
installed, run it. Dask is imported only there: nothing else needs a cluster.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from core.studies.kernel import COLUMNS, run_chunk
from core.studies.samplers import BLOCK, StudySpec, scenario_at

#: Worlds per chunk, by sampler: the per-world policy path is about a thousand times slower.
CHUNK = {"matrix": 8 * BLOCK, "policy": 32}
#: Seconds to wait for a scheduler to answer.
CONNECT_TIMEOUT = 10

Progress = Callable[[int, int], None]


def chunks(worlds: int, size: int) -> list[tuple[int, int]]:
    """The index ranges ``[start, stop)`` that cover ``0 .. worlds − 1`` in pieces of ``size``."""
    return [(a, min(a + size, worlds)) for a in range(0, worlds, size)]


def run_study(spec: StudySpec, worlds: int, seed: int, *, scheduler: str | None = None,
              scenarios: bool = False, chunk: int | None = None,
              progress: Progress | None = None) -> dict[str, np.ndarray]:
    """Worlds ``0 .. worlds − 1`` of the study with this seed, in index order.

    Parameters
    ----------
    scheduler : the address of a Dask scheduler (``tcp://host:8786``); ``None`` runs in this process.
    scenarios : also return each world's scenario document (column ``scenario``, JSON text).
    chunk : worlds per chunk (default :data:`CHUNK` of the sampler); the results do not depend on it.
    progress : called with (worlds done, worlds) after every chunk.
    """
    results = list(study_chunks(spec, worlds, seed, scheduler=scheduler, scenarios=scenarios, chunk=chunk,
                                progress=progress))
    return {key: np.concatenate([r[key] for r in results]) for key in results[0]}


def stream_study(spec: StudySpec, worlds: int, seed: int, write: Callable[[dict[str, np.ndarray]], None], *,
                 scheduler: str | None = None, scenarios: bool = False, chunk: int | None = None,
                 progress: Progress | None = None) -> dict[str, np.ndarray]:
    """:func:`run_study` for studies too large to hold: each chunk's result goes to ``write`` in index order
    (to append to a file, see :func:`frame`) and only the columns :func:`summarize` reads are kept, in arrays
    made once for the whole study: about 49 bytes a world (the index and the fixed-point counts as 32-bit
    integers, while they fit)."""
    kept: dict[str, np.ndarray] = {}
    for result in study_chunks(spec, worlds, seed, scheduler=scheduler, scenarios=scenarios, chunk=chunk,
                               progress=progress):
        write(result)
        rows = result["index"]
        for key in SUMMARY_COLUMNS:
            if key not in kept:
                dtype = result[key].dtype
                if key in ("index", "fixed_points") and worlds < 2**31:
                    dtype = np.int32
                kept[key] = np.empty(worlds, dtype=dtype)
            kept[key][rows] = result[key]
    return kept


def study_chunks(spec: StudySpec, worlds: int, seed: int, *, scheduler: str | None = None,
                 scenarios: bool = False, chunk: int | None = None,
                 progress: Progress | None = None) -> Iterator[dict[str, np.ndarray]]:
    """The results of the study's chunks (:func:`core.studies.kernel.run_chunk`), in index order, as they are
    done (a cluster's chunks that finish early wait for those before them)."""
    if isinstance(worlds, bool) or not isinstance(worlds, (int, np.integer)) or worlds < 1:
        raise ValueError(f"worlds: need a whole number of at least 1, got {worlds!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed: need a whole number of at least 0, got {seed!r}")
    size = CHUNK[spec.sampler] if chunk is None else chunk
    if size < 1:
        raise ValueError(f"chunk: need at least 1 world per chunk, got {size}")
    parts = chunks(int(worlds), size)
    report = progress or (lambda done, total: None)
    if scheduler is None:
        done = 0
        for a, b in parts:
            result = run_chunk(spec, seed, a, b, scenarios)
            done += b - a
            report(done, worlds)
            yield result
    else:
        yield from _on_cluster(scheduler, spec, seed, parts, scenarios, report, worlds)


def _on_cluster(address: str, spec: StudySpec, seed: int, parts: list[tuple[int, int]], scenarios: bool,
                report: Progress, worlds: int) -> Iterator[dict[str, np.ndarray]]:
    import tempfile

    from dask.distributed import Client, as_completed

    try:
        client = Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, ValueError, TypeError) as err:  # no answer; or not an address at all
        raise ValueError(f"scheduler: cannot connect to {address!r} ({err})") from None
    with client, tempfile.TemporaryDirectory() as tmp:
        client.upload_file(str(package_zip(Path(tmp))))
        # A bounded window of chunks in flight, so that a study of any size holds a few chunks at a time.
        window = max(4, 4 * len(client.nthreads()))
        position = {}
        pending = as_completed()
        for i, (a, b) in enumerate(parts[:window]):
            future = client.submit(run_chunk, spec, seed, a, b, scenarios, pure=False)
            position[future.key] = i
            pending.add(future)
        submitted, waiting, following, done = min(window, len(parts)), {}, 0, 0
        for future in pending:
            i = position.pop(future.key)
            waiting[i] = future.result()
            done += len(range(*parts[i]))
            report(done, worlds)
            if submitted < len(parts):
                a, b = parts[submitted]
                new = client.submit(run_chunk, spec, seed, a, b, scenarios, pure=False)
                position[new.key] = submitted
                pending.add(new)
                submitted += 1
            while following in waiting:
                yield waiting.pop(following)
                following += 1


def package_zip(folder: Path) -> Path:
    """Write ``core.zip`` (every ``.py`` file of the ``core`` package) into ``folder`` and return its path."""
    root = Path(__file__).resolve().parents[1]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*.py")):
            zf.write(path, Path("core") / path.relative_to(root))
    target = folder / "core.zip"
    target.write_bytes(buffer.getvalue())
    return target


#: The quantities the summary describes, and every column it reads.
SUMMARY_QUANTITIES = ("inaccuracy", "distance", "norm_T", "bound", "ratio", "fixed_points")
SUMMARY_COLUMNS = ("index", *SUMMARY_QUANTITIES, "converged")
#: A bound is tight within 1 % where inaccuracy ≥ 0.99 · bound.
TIGHT = 0.99


def summarize(spec: StudySpec, seed: int, result: dict[str, np.ndarray]) -> dict:
    """The JSON summary: count; mean, median, 95th percentile and maximum of each quantity (over the
    worlds where it is defined); the share of worlds with a bound where it is tight within 1 %; how
    often it fails; the worst-case world (largest ratio to the bound, or largest inaccuracy where no
    theorem gives one) with its scenario document. ``result`` needs only the columns :data:`SUMMARY_COLUMNS`
    (what :func:`stream_study` keeps): the worst world's record is that world solved again alone, which gives
    the same numbers as in any batch."""
    stats = {name: _stats(result[name]) for name in SUMMARY_QUANTITIES}
    ratio = result["ratio"]
    bounded = np.isfinite(ratio)
    key, (worst,) = worst_rows(result, 1)
    index = int(result["index"][worst])
    record = run_chunk(spec, seed, index, index + 1)
    return {
        "study": {"sampler": spec.sampler, "outcomes": spec.outcomes, "rule": spec.rule, "rule_param": spec.rule_param,
                  "concentration": spec.concentration, "alpha": spec.alpha, "seed": seed,
                  **({"actions": spec.m, "beta": list(spec.beta), "policy": spec.policy}
                     if spec.sampler == "policy" else {})},
        "count": int(len(ratio)),
        "quantities": stats,
        "bound_tight_share": float(np.mean(ratio[bounded] >= TIGHT)) if bounded.any() else None,
        "bound_failures": int(np.sum(ratio[bounded] > 1.0 + 1e-9)),
        "not_converged": int(np.sum(~result["converged"])),
        "worst": {
            "by": key,
            "index": index,
            **{name: _plain(record[name][0]) for name in COLUMNS if name != "converged"},
            "p_hat": record["p_hat"][0].tolist(),
            "f_hat": record["f_hat"][0].tolist(),
            "p_star": record["p_star"][0].tolist(),
            "scenario": scenario_at(spec, seed, index).to_dict(),
        },
    }


def worst_rows(result: dict[str, np.ndarray], count: int) -> tuple[str, np.ndarray]:
    """The ``count`` worst worlds' rows of a study's result, worst first: by the ratio to the theorem's bound
    where one applies to some world, else by the inaccuracy (ties: the lower row first). Returns the
    column it ranked by and the rows.

    Examples
    --------
    >>> worst_rows({"ratio": np.array([0.2, np.nan, 0.9, 0.9]), "inaccuracy": np.zeros(4)}, 2)
    ('ratio', array([2, 3]))
    >>> worst_rows({"ratio": np.full(3, np.nan), "inaccuracy": np.array([0.1, 0.3, 0.2])}, 2)
    ('inaccuracy', array([1, 2]))
    """
    key = "ratio" if np.isfinite(result["ratio"]).any() else "inaccuracy"
    values = np.where(np.isnan(result[key]), -np.inf, result[key])
    if 0 < count < len(values):
        # Only the rows at least as bad as the count-th are ranked (a study of millions holds one copy of the
        # column, not a full sort's several).
        cut = np.partition(values, len(values) - count)[len(values) - count]
        rows = np.flatnonzero(values >= cut)
        return key, rows[np.argsort(-values[rows], kind="stable")][:count]
    return key, np.argsort(-values, kind="stable")[:count]


def _stats(values: np.ndarray) -> dict[str, float | int | None]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not v.size:
        return {"count": 0, "mean": None, "median": None, "p95": None, "max": None}
    return {"count": int(v.size), "mean": float(v.mean()), "median": float(np.median(v)),
            "p95": float(np.percentile(v, 95)), "max": float(v.max())}


def _plain(x: np.generic) -> float | int | None:
    value = x.item()
    return None if isinstance(value, float) and not np.isfinite(value) else value


def frame(result: dict[str, np.ndarray]):
    """One row per world as a pandas DataFrame: ``index``, ``scenario`` (when run with scenarios), the
    scalars of :data:`COLUMNS`, and p̂, f(p̂), p* coordinate by coordinate (``p_hat_1`` ...)."""
    import pandas as pd

    columns = {"index": result["index"]}
    if "scenario" in result:
        columns["scenario"] = result["scenario"]
    columns.update({name: result[name] for name in COLUMNS})
    for name in ("p_hat", "f_hat", "p_star"):
        for j in range(result[name].shape[1]):
            columns[f"{name}_{j + 1}"] = result[name][:, j]
    return pd.DataFrame(columns)
