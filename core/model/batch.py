"""Many worlds evaluated together, each point by its own world: what batched solvers, sweeps, maps and studies need.

A :class:`WorldBatch` holds K worlds of one kind with the same number of outcomes. ``batch.at(which)`` is a world
that evaluates point i of a batch of points with world ``which[i]`` (``which`` has the leading batch axes of the
points; further batch axes, such as a grid shared by every world, are shared).

The worlds' maths broadcasts over their number fields (``PER_POINT`` of each world class: every field of the
binary world functions, A, c and α of a matrix world, β, ε, the threshold and the ramp width of a policy world).
So when the worlds differ only there, ``at(which)`` is a copy of the first world whose differing fields hold one
value per point, and all the points are evaluated in one call, with the same arithmetic as each world alone.
Worlds that differ in anything else (a policy world's Q or U) are evaluated one by one.

A batch is made from world objects, or (for studies of many thousands of worlds, where building and validating
an object per world would cost more than solving it) from a template world and columns of valid values
(:meth:`WorldBatch.from_columns`); ``batch.world(k)`` is world k as an object either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import fields, replace
from itertools import pairwise
from typing import Any

import numpy as np

from core.model.worlds import PolicyWorld, World


class WorldBatch:
    """K worlds of one kind with the same number of outcomes ``n``, evaluated point by point with ``at(which)``."""

    def __init__(self, worlds: Sequence[World]) -> None:
        worlds = list(worlds)
        if not worlds:
            raise ValueError("WorldBatch: needs at least one world")
        first = worlds[0]
        if any(type(w) is not type(first) or w.n != first.n for w in worlds):
            raise ValueError("WorldBatch: the worlds must be of one kind and number of outcomes")
        self._template, self._objects, self._size = first, worlds, len(worlds)
        # The fields that differ between the worlds, one value per world; None if one of them cannot be held
        # per point (then the worlds are called one by one).
        differ = [f.name for f in fields(first) if any(getattr(w, f.name) != getattr(first, f.name) for w in worlds)]
        self._columns: dict[str, np.ndarray] | None = None
        if set(differ) <= set(first.PER_POINT):
            self._columns = {name: np.array([getattr(w, name) for w in worlds], dtype=float) for name in differ}

    @classmethod
    def from_columns(cls, template: World, columns: dict[str, np.ndarray]) -> WorldBatch:
        """The worlds equal to ``template`` but for the ``PER_POINT`` fields in ``columns`` (row k: world k's
        value). The values are taken as valid (a sampler's); :meth:`world` validates the world it builds."""
        if not set(columns) <= set(template.PER_POINT):
            raise ValueError(f"WorldBatch: only {', '.join(template.PER_POINT)} may differ, got {', '.join(columns)}")
        sizes = {len(c) for c in columns.values()}
        if len(sizes) != 1:
            raise ValueError("WorldBatch: every column needs one row per world")
        batch = cls.__new__(cls)
        batch._template, batch._objects, batch._size = template, None, sizes.pop()
        batch._columns = {name: np.asarray(c, dtype=float) for name, c in columns.items()}
        return batch

    def __len__(self) -> int:
        return self._size

    @property
    def n(self) -> int:
        return self._template.n

    @property
    def kind(self) -> type:
        return type(self._template)

    def world(self, k: int) -> World:
        """World ``k`` as an object."""
        if self._objects is not None:
            return self._objects[k]
        values = {name: (float(c[k]) if c.ndim == 1 else c[k]) for name, c in self._columns.items()}
        return replace(self._template, **values)

    @property
    def worlds(self) -> list[World]:
        """Every world as an object (built once, on first use, for a batch made from columns)."""
        if self._objects is None:
            self._objects = [self.world(k) for k in range(self._size)]
        return self._objects

    def column(self, name: str) -> np.ndarray:
        """Field ``name`` of every world, one row per world."""
        if self._columns is not None and name in self._columns:
            return self._columns[name]
        if self._columns is None:
            return np.array([getattr(w, name) for w in self._objects], dtype=float)
        value = np.asarray(getattr(self._template, name), dtype=float)
        return np.broadcast_to(value, (self._size,) + value.shape)

    def is_step(self) -> np.ndarray:
        """Whether each world's f is a step function, shape ``(K,)`` (a threshold policy whose ramp width
        differs between the worlds is a step where the width is 0)."""
        template = self._template
        if isinstance(template, PolicyWorld) and template.policy == "threshold":
            return self.column("ramp_width") == 0
        if self._columns is None:
            return np.array([w.is_step for w in self._objects])
        return np.full(self._size, template.is_step)

    def take(self, rows: Sequence[int] | np.ndarray) -> WorldBatch:
        """The worlds ``rows`` of the batch, as a batch."""
        rows = np.asarray(rows, dtype=int)
        if self._objects is not None:
            return WorldBatch([self._objects[k] for k in rows])
        return WorldBatch.from_columns(self._template, {name: c[rows] for name, c in self._columns.items()})

    def breakpoints(self) -> list[tuple[float, ...]]:
        """Each world's breakpoints (two outcomes: where f has a kink or a jump)."""
        if not self._template.KINKED:
            return [()] * self._size
        return [w.breakpoints() for w in self.worlds]

    def first(self, rows: np.ndarray, x: np.ndarray) -> np.ndarray:
        """f₁ of two-outcome worlds at the first outcome's probabilities: world ``rows[i]`` at ``x[i]`` (shape
        ``(B, m)``), a row function of :mod:`core.solve.search`."""
        world = self.at(rows, x.ndim)
        if hasattr(world, "value"):
            return world.value(x)
        return world(np.stack([x, 1.0 - x], axis=-1))[..., 0]

    def at(self, which: np.ndarray, ndim: int | None = None) -> Any:
        """A world evaluating the points whose leading batch axes are ``which``'s shape, point i with world
        ``which[i]``; ``ndim`` is the number of batch axes of those points, if more than ``which`` has."""
        which = np.asarray(which, dtype=int)
        if self._columns is None:
            return _EachWorld(self._objects, which)
        if not self._columns:  # one world, or all alike
            return self._template
        world = copy(self._template)  # a copy bypasses validation: every value is one of a valid world
        shape = which.shape + (1,) * ((ndim or which.ndim) - which.ndim)
        for name, column in self._columns.items():
            object.__setattr__(world, name, column[which].reshape(shape + column.shape[1:]))
        return world


class _EachWorld:
    """Point i evaluated by ``worlds[which[i]]``, world by world."""

    def __init__(self, worlds: list[World], which: np.ndarray) -> None:
        self.worlds, self.which = worlds, which
        self.n = worlds[0].n

    def __call__(self, p: np.ndarray) -> np.ndarray:
        return self._each("__call__", p)

    def jacobian(self, p: np.ndarray) -> np.ndarray:
        return self._each("jacobian", p)

    def action_probs(self, p: np.ndarray) -> np.ndarray:
        return self._each("action_probs", p)

    def expected_utility(self, p: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        if weights is None:
            return self._each("expected_utility", p)
        return self._each("expected_utility", np.concatenate([p, weights], axis=-1), split=p.shape[-1])

    def _each(self, method: str, p: np.ndarray, split: int | None = None) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        if self.which.size == 0:
            return getattr(self.worlds[0], method)(p if split is None else p[..., :split])
        which = self.which.reshape(-1)
        points = p.reshape((-1,) + p.shape[self.which.ndim:])
        order = np.argsort(which, kind="stable")
        bounds = np.flatnonzero(np.diff(which[order], prepend=-1, append=len(self.worlds)))
        out = None
        for lo, hi in pairwise(bounds):
            mine = order[lo:hi]
            call = getattr(self.worlds[which[mine[0]]], method)
            mine_points = points[mine]
            value = call(mine_points) if split is None else call(mine_points[..., :split], mine_points[..., split:])
            if out is None:
                out = np.empty((len(which),) + np.shape(value)[1:])
            out[mine] = value
        return out.reshape(self.which.shape + out.shape[1:])
