"""The solvers: every fixed point, the performative optimum, and the theorems' bounds.

results               FixedPoint, Optimum and the tolerances that decide them (a leaf: imports no solver)
support_enumeration   exact fixed points and optimum of worlds whose f is a step function
fixed_points          find_fixed_points: every fixed point of any world, with its stability (and
                      find_fixed_points_batch, of many worlds at once)
certificate           certify: the index theorem's check that the fixed points found are all there are
                      (certify_batch: for many worlds at once)
optimum               performative_optimum, performative_score, performative_gradient
bounds                theorem_bounds: what the theorems guarantee for a world and rule
"""

from core.solve.bounds import Bounds, theorem_bounds
from core.solve.certificate import Certificate, certify, certify_batch
from core.solve.fixed_points import find_fixed_points, find_fixed_points_batch
from core.solve.optimum import performative_gradient, performative_optimum, performative_score
from core.solve.results import FixedPoint, Optimum

__all__ = [
    "Bounds", "theorem_bounds", "Certificate", "certify", "certify_batch", "find_fixed_points",
    "find_fixed_points_batch", "performative_gradient",
    "performative_optimum", "performative_score", "FixedPoint", "Optimum",
]
