"""Sweeps: a scenario seen along one field (a bifurcation diagram) or over two (a map).

fields    dotted field names (``world.beta``, ``world.Q.0.1``, ``rule.param``): parse, read, set
diagram   sweep(scenario, field, start, stop, num) -> Diagram: every value solved by core.solve.solutions, the
          branches between them by continuation, the bifurcations
grid      sweep_grid(...) -> Map: one quantity over two fields, every cell solved by core.solve.solutions
gallery   the literature's figures as named sweeps
"""

from core.sweeps.diagram import Diagram, sweep
from core.sweeps.fields import Field, numeric_fields, parse_field

__all__ = ["Diagram", "sweep", "Field", "numeric_fields", "parse_field"]
