"""Sweeps: a scenario seen along one field (a bifurcation diagram) or over two (a map).

fields    dotted field names (``world.beta``, ``world.Q.0.1``, ``rule.param``): parse, read, set
binary    fixed points and optima of many two-outcome worlds at once
diagram   sweep(scenario, field, start, stop, num) -> Diagram: branches by continuation, events, p̂
grid      sweep_grid(...) -> Map: one quantity over two fields
gallery   the literature's figures as named sweeps
"""

from core.sweeps.diagram import Diagram, describe, sweep
from core.sweeps.fields import Field, numeric_fields, parse_field

__all__ = ["Diagram", "describe", "sweep", "Field", "numeric_fields", "parse_field"]
