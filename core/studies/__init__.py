"""Studies across many random worlds, on one machine or a Dask cluster.

samplers   StudySpec, sample(spec, seed, start, stop): seeded random worlds (matrix or policy),
           world_of / scenario_of one of them, scenario_at(spec, seed, index)
kernel     run_chunk, evaluate: p̂, f(p̂), inaccuracy, fixed points, ‖αA‖_T, the bound, for a batch at once;
           bound_slope(spec): the bound divided by ‖αA‖_T
runner     run_study(spec, worlds, seed, scheduler=None): chunks in one process or over a Dask cluster;
           chunks(worlds, size); summarize(spec, seed, result), worst_rows(result, count), frame(result)
           (one row per world)
"""

from core.studies.kernel import BATCHED_RULES, COLUMNS, bound_slope, evaluate, run_chunk
from core.studies.runner import chunks, frame, run_study, summarize, worst_rows
from core.studies.samplers import SAMPLERS, StudySpec, sample, scenario_at, scenario_of, world_of

__all__ = ["BATCHED_RULES", "COLUMNS", "bound_slope", "evaluate", "run_chunk", "chunks", "frame", "run_study",
           "summarize", "worst_rows", "SAMPLERS", "StudySpec", "sample", "scenario_at", "scenario_of", "world_of"]
