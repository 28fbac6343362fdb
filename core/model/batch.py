"""Many worlds evaluated together, each point by its own world: what sweeps and batched searches need.

A :class:`WorldBatch` holds K worlds with the same number of outcomes. ``batch.at(which)`` is a world that
evaluates point i of a batch of points with world ``which[i]`` (``which`` has the leading batch axes of the
points; further batch axes, such as a grid shared by every world, are shared).

The worlds' maths broadcasts over their number fields (``PER_POINT`` of each world class: every field of the
binary world functions, α of a matrix world, β, ε, the threshold and the ramp width of a policy world). So
when the worlds differ only there, ``at(which)`` is a copy of the first world whose differing fields hold one
value per point, and all the points are evaluated in one call, with the same arithmetic as each world alone.
Worlds that differ in anything else (a policy world's Q or U, their kind) are evaluated one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from copy import copy
from dataclasses import fields
from itertools import pairwise
from typing import Any

import numpy as np

from core.model.worlds import World


class WorldBatch:
    """K worlds with the same number of outcomes ``n``, evaluated point by point with ``at(which)``."""

    def __init__(self, worlds: Sequence[World]) -> None:
        self.worlds = list(worlds)
        first = self.worlds[0]
        if any(w.n != first.n for w in self.worlds):
            raise ValueError("WorldBatch: the worlds must have the same number of outcomes")
        self.n: int = first.n
        # The fields that differ between the worlds, one value per world; None if one of them cannot be held
        # per point (then the worlds are called one by one).
        self._columns: dict[str, np.ndarray] | None = {} if len(self.worlds) == 1 else None
        if len(self.worlds) > 1 and all(type(w) is type(first) for w in self.worlds):
            differ = [f.name for f in fields(first)
                      if any(getattr(w, f.name) != getattr(first, f.name) for w in self.worlds)]
            if set(differ) <= set(first.PER_POINT):
                self._columns = {name: np.array([getattr(w, name) for w in self.worlds], dtype=float)
                                 for name in differ}

    def __len__(self) -> int:
        return len(self.worlds)

    def at(self, which: np.ndarray, ndim: int | None = None) -> Any:
        """A world evaluating the points whose leading batch axes are ``which``'s shape, point i with world
        ``which[i]``; ``ndim`` is the number of batch axes of those points, if more than ``which`` has."""
        which = np.asarray(which, dtype=int)
        if self._columns is None:
            return _EachWorld(self.worlds, which)
        if not self._columns:  # one world, or all alike
            return self.worlds[0]
        world = copy(self.worlds[0])  # a copy bypasses validation: every value is one of a valid world
        shape = which.shape + (1,) * ((ndim or which.ndim) - which.ndim)
        for name, column in self._columns.items():
            object.__setattr__(world, name, column[which].reshape(shape))
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

    def _each(self, method: str, p: np.ndarray) -> np.ndarray:
        p = np.asarray(p, dtype=float)
        if self.which.size == 0:
            return getattr(self.worlds[0], method)(p)
        which = self.which.reshape(-1)
        points = p.reshape((-1,) + p.shape[self.which.ndim:])
        order = np.argsort(which, kind="stable")
        bounds = np.flatnonzero(np.diff(which[order], prepend=-1, append=len(self.worlds)))
        out = None
        for lo, hi in pairwise(bounds):
            mine = order[lo:hi]
            value = getattr(self.worlds[which[mine[0]]], method)(points[mine])
            if out is None:
                out = np.empty((len(which),) + value.shape[1:])
            out[mine] = value
        return out.reshape(self.which.shape + out.shape[1:])
