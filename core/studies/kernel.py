"""The study kernel: everything a study reports, for a batch of worlds at once.

Each chunk of worlds is solved by the explorer's own solve layer (:func:`core.solve.solutions.solve_batch`), so
a study's row is the analysis of its ``scenario`` column: p̂, f(p̂), the inaccuracy, the fixed points (how
many, the nearest to p̂ and the distance to it), the theorem's bound and the ratio to it, in the explorer's
distances (:func:`core.model.simplex.distance`: |p₁ − q₁| for two outcomes, Euclidean for more). Matrix worlds
are handed over as columns (:meth:`core.model.batch.WorldBatch.from_columns`), never one object per world;
``norm_T`` is ‖αA‖_T of a matrix world (NaN for a policy world, for which no theorem bounds the inaccuracy).

Bounds: for n > 2 the quadratic rule's ‖p̂ − f(p̂)‖ ≤ ‖αA‖_T √((n − 1)/n) (Oesterheld et al. 2023); for n = 2 and
any proper rule |p̂₁ − f₁(p̂)| ≤ L sup|g/g′| with L = ‖αA‖_T (Treutlein et al. 2022). Elsewhere no theorem
applies: the bound and the ratio are NaN.
"""

from __future__ import annotations

import json

import numpy as np

from core.model.batch import WorldBatch
from core.model.worlds import MatrixWorld
from core.solve.bounds import bound_constant, tangent_norm
from core.solve.optimum import AFFINE_RULES
from core.solve.solutions import solve_batch
from core.studies.samplers import StudySpec, sample, scenario_of, world_of

#: Scalar results per world, in the order of the tables.
COLUMNS = ("inaccuracy", "distance", "norm_T", "bound", "ratio", "fixed_points", "score", "converged")
#: Rules whose matrix worlds are solved in closed form or by batched Newton steps (others: one world at a time).
BATCHED_RULES = AFFINE_RULES


def run_chunk(spec: StudySpec, seed: int, start: int, stop: int, scenarios: bool = False) -> dict[str, np.ndarray]:
    """Worlds ``start .. stop − 1`` of the study: :func:`evaluate` of :func:`sample`, their ``index`` and,
    with ``scenarios``, each world's scenario document as compact JSON text (``scenario``)."""
    params = sample(spec, seed, start, stop)
    out = evaluate(spec, params)
    out["index"] = np.arange(start, stop)
    if scenarios:
        out["scenario"] = np.array([json.dumps(scenario_of(spec, params, i).to_dict(), allow_nan=False)
                                    for i in range(stop - start)], dtype=object)
    return out


def evaluate(spec: StudySpec, params: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The study's quantities for a batch of worlds (the arrays of :func:`core.studies.samplers.sample`).

    Returns arrays with one row per world: ``p_hat``, ``f_hat``, ``p_star`` (the fixed point nearest
    to p̂; NaN where there is none), shape (k, n), and the scalars of :data:`COLUMNS`.
    """
    n = spec.outcomes
    if spec.sampler == "matrix":
        template = MatrixWorld(A=np.eye(n), c=np.full(n, 1.0 / n), alpha=0.5)
        batch = WorldBatch.from_columns(template, {name: params[name] for name in ("A", "c", "alpha")})
    else:
        batch = WorldBatch([world_of(spec, params, i) for i in range(len(params["beta"]))])
    solved = solve_batch(batch, spec.scoring_rule)
    norm_t = np.full(len(batch), np.nan)
    if spec.sampler == "matrix":
        # ‖αA‖_T is the Lipschitz constant of the bounds, where a theorem applies.
        bounded = solved.bounds.theorem != None  # noqa: E711 (an array of objects)
        norm_t[bounded] = solved.bounds.lipschitz[bounded]
        norm_t[~bounded] = tangent_norm(params["alpha"][~bounded, None, None] * params["A"][~bounded])
    return {
        "p_hat": solved.optima.p,
        "f_hat": solved.optima.f,
        "p_star": solved.nearest_fixed_point,
        "inaccuracy": solved.inaccuracy,
        "distance": solved.distance_to_fixed_point,
        "norm_T": norm_t,
        "bound": solved.bound("inaccuracy"),
        "ratio": solved.ratio("inaccuracy"),
        "fixed_points": solved.counts.astype(int),
        "score": solved.optima.score,
        "converged": solved.optima.converged,
    }


def bound_slope(spec: StudySpec) -> float:
    """The theorem's bound divided by ‖αA‖_T for this study (NaN where no theorem applies, and for policy worlds):
    :func:`core.solve.bounds.bound_constant`."""
    return bound_constant(spec.scoring_rule, spec.outcomes) if spec.sampler == "matrix" else float("nan")
