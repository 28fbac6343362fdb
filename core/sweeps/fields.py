"""The numeric fields of a scenario that a sweep can vary, named by dotted paths.

``world.NAME`` is a number field of the world (``world.beta``, ``world.alpha``, ``world.p_star``, …);
``world.M.i.j`` an entry of one of its matrices (``world.Q.0.1``, ``world.U.1.0``, ``world.A.2.0``);
``world.c.i`` an entry of the vector c; ``rule.param`` the scoring rule's parameter. Indices count from 0.

Entries that live on a simplex stay on it: setting Q[a, ω] (a row of Q is a distribution) or A[i, j] (a
column of A is one) or c[i] to v rescales the *other* entries of that row, column or vector by the same
factor so that they sum to 1 − v (spread evenly if they were all 0); v must lie in [0, 1]. Every new
scenario is built with :func:`dataclasses.replace`, so it is validated like any other.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, fields, replace

import numpy as np

from core.model.scenario import Scenario

#: Matrix and vector fields whose rows (Q), columns (A) or whole vector (c) are distributions.
_ON_SIMPLEX = {"Q": "row", "A": "column", "c": "vector"}


@dataclass(frozen=True)
class Field:
    """A parsed dotted field name: ``part`` is ``"world"`` or ``"rule"``, ``attr`` the dataclass field,
    ``index`` the entry of a matrix or vector field (empty for a number field)."""

    name: str
    part: str
    attr: str
    index: tuple[int, ...] = ()

    def get(self, scenario: Scenario) -> float:
        """The field's current value in ``scenario``."""
        if self.part == "rule":
            return float(scenario.rule.param)
        value = getattr(scenario.world, self.attr)
        for i in self.index:
            value = value[i]
        return float(value)

    def set(self, scenario: Scenario, value: float) -> Scenario:
        """``scenario`` with this field set to ``value``; ``ValueError`` naming the field if it is not valid."""
        value = float(value)
        if not np.isfinite(value):
            raise ValueError(f"{self.name}: expected a finite number, got {value!r}")
        try:
            if self.part == "rule":
                return replace(scenario, rule=replace(scenario.rule, param=value))
            return replace(scenario, world=self.set_world(scenario.world, value))
        except ValueError as err:
            raise ValueError(f"{self.name} = {value:g}: {err}") from None

    def set_world(self, world, value: float, checked: bool = True):
        """The world with this (world) field set to ``value``: what a sweep's family builds.

        ``checked=False`` skips the world's validation for a number field: only for values between two
        values already validated, where the world is valid too (every number field's valid values form an
        interval), since validating costs more than evaluating the world many times over.
        """
        if not self.index:
            if not checked:
                new = copy(world)
                object.__setattr__(new, self.attr, float(value))
                return new
            return replace(world, **{self.attr: value})
        array = np.array(getattr(world, self.attr), dtype=float)
        if self.attr in _ON_SIMPLEX:
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"an entry of {self.attr} is a probability and must lie in [0, 1], got {value:g}")
            line = array if self.attr == "c" else (array[self.index[0]] if self.attr == "Q" else array[:, self.index[1]])
            k = self.index[-1] if self.attr != "A" else self.index[0]
            others = np.delete(np.arange(len(line)), k)
            rest = line[others].sum()
            line[others] = line[others] * (1.0 - value) / rest if rest > 0 else (1.0 - value) / len(others)
            line[k] = value
            if self.attr == "Q":
                array[self.index[0]] = line
            elif self.attr == "A":
                array[:, self.index[1]] = line
            else:
                array = line
        else:
            array[self.index] = value
        return replace(world, **{self.attr: array})


def parse_field(scenario: Scenario, name: str) -> Field:
    """Read a dotted field name for ``scenario``; ``ValueError`` naming the field and the choices if it is not
    one of the scenario's numeric fields."""
    choices = numeric_fields(scenario)
    if not isinstance(name, str) or name not in choices:
        shown = ", ".join(c for c in choices if c.count(".") == 1)
        matrices = sorted({c.rsplit(".", 2)[0] if c.count(".") == 3 else c.rsplit(".", 1)[0]
                           for c in choices if c.count(".") > 1})
        more = f", or an entry of {', '.join(matrices)} such as {next(c for c in choices if c.count('.') > 1)}" \
            if matrices else ""
        raise ValueError(f"{name}: not a numeric field of this scenario; choose one of {shown}{more}")
    part, attr, *index = name.split(".")
    return Field(name, part, attr, tuple(int(i) for i in index))


def numeric_fields(scenario: Scenario) -> list[str]:
    """Every field name a sweep of ``scenario`` can vary, in the world's field order, then ``rule.param``."""
    names = []
    world = scenario.world
    for f in fields(world):
        value = getattr(world, f.name)
        if f.type == "float":
            names.append(f"world.{f.name}")
        elif f.type == "tuple[float, ...]":
            names += [f"world.{f.name}.{i}" for i in range(len(value))]
        elif f.type == "tuple[tuple[float, ...], ...]":
            names += [f"world.{f.name}.{i}.{j}" for i in range(len(value)) for j in range(len(value[0]))]
    if scenario.rule.param is not None:
        names.append("rule.param")
    return names


def parse_range(scenario: Scenario, name: str, start: float, stop: float, num: int,
                most: int) -> tuple[Field, np.ndarray]:
    """The parsed field and ``num`` evenly spaced values from ``start`` to ``stop``; ``ValueError`` naming the
    field if the range is bad (ends not finite or not increasing, fewer than 2 or more than ``most`` values)."""
    field = parse_field(scenario, name)
    if not (np.isfinite(start) and np.isfinite(stop) and start < stop):
        raise ValueError(f"{name}: the range needs finite ends with from < to, got {start!r} to {stop!r}")
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or not 2 <= num <= most:
        raise ValueError(f"{name}: the number of values must be a whole number from 2 to {most}, got {num!r}")
    return field, np.linspace(start, stop, int(num))


#: The fields a sweep starts with, when the scenario has them: the human's rationality, the world's slope.
PREFERRED = ("world.beta", "world.alpha", "world.steepness", "world.epsilon")


def default_field(scenario: Scenario) -> str:
    """The field a sweep of ``scenario`` starts with (the first of :data:`PREFERRED` it has)."""
    names = numeric_fields(scenario)
    return next((name for name in PREFERRED if name in names), names[0])


def default_range(scenario: Scenario, name: str) -> tuple[float, float]:
    """A range around the field's value v where the scenario is valid: [v − d, v + d] with d = |v| (1 if
    v = 0), each end moved towards v (by bisection, to 1e-6) until the scenario is valid there."""
    field = parse_field(scenario, name)
    v = field.get(scenario)
    d = abs(v) if v != 0 else 1.0

    def valid(x: float) -> bool:
        try:
            field.set(scenario, x)
            return True
        except ValueError:
            return False

    ends = []
    for end in (v - d, v + d):
        good, bad = v, end
        if valid(end):
            good = end
        else:
            while abs(bad - good) > 1e-7:
                mid = 0.5 * (good + bad)
                good, bad = (mid, bad) if valid(mid) else (good, mid)
        ends.append(float(np.round(good, 6)) if valid(float(np.round(good, 6))) else good)
    return ends[0], ends[1]
