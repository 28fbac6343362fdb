"""Benchmark rows of studies: the batched kernel (Brier and log, five outcomes, matrix worlds), one
``scipy.optimize`` call per world for comparison, and a local Dask cluster with one and with two workers.

The targets are the issue's: 10,000 Brier worlds and 1,000 log worlds per second on one core.
"""

from __future__ import annotations

import atexit

import numpy as np
from scipy.optimize import minimize

from core.solve.optimum import performative_gradient, performative_score
from core.studies import StudySpec, run_chunk, run_study, sample, world_of

NAME = "studies"
BRIER, LOG, SCIPY = 10_240, 1_024, 100
CLUSTER_WORLDS = 32_768


def _scipy_per_world(spec: StudySpec, params: dict[str, np.ndarray]) -> None:
    """One SLSQP call per world from the centre, with the analytic gradient: what the kernel replaces."""
    rule, n = spec.scoring_rule, spec.outcomes
    for i in range(len(params["alpha"])):
        world = world_of(spec, params, i)
        minimize(lambda p: -float(performative_score(world, rule, p)), np.full(n, 1.0 / n),
                 jac=lambda p: -performative_gradient(world, rule, p), method="SLSQP", bounds=[(0.0, 1.0)] * n,
                 constraints=[{"type": "eq", "fun": lambda p: p.sum() - 1.0}], options={"ftol": 1e-12})


def _cluster(workers: int) -> str:
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    atexit.register(cluster.close)
    return cluster.scheduler_address


def cases():
    brier, log = StudySpec(outcomes=5), StudySpec(outcomes=5, rule="log")
    params = sample(brier, 0, 0, SCIPY)
    rows = [
        (f"study kernel, Brier, 5 outcomes, {BRIER:,} matrix worlds", lambda: run_chunk(brier, 0, 0, BRIER),
         1000.0 * BRIER / 10_000),
        (f"study kernel, log, 5 outcomes, {LOG:,} matrix worlds", lambda: run_chunk(log, 0, 0, LOG),
         1000.0 * LOG / 1_000),
        (f"scipy SLSQP, one call per world, Brier, 5 outcomes, {SCIPY} worlds",
         lambda: _scipy_per_world(brier, params), None),
    ]
    for workers in (1, 2):
        address = _cluster(workers)
        rows.append((f"study on a local Dask cluster, {workers} worker(s), Brier, {CLUSTER_WORLDS:,} worlds",
                     lambda address=address: run_study(brier, CLUSTER_WORLDS, 0, scheduler=address), None))
    return rows
