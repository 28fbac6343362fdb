"""The scenario: outcomes, world and scoring rule in one validated, immutable, serializable object.

It round-trips exactly through a versioned JSON document (:meth:`Scenario.to_dict`) and through flat
URL query parameters (:meth:`Scenario.to_query_params`). Floats are written with ``repr``, the
shortest text that reads back to the same float. Nothing read is ever evaluated as code.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from typing import Any, Mapping

from core.model.rules import ScoringRule
from core.model.worlds import WORLD_KINDS, World

FORMAT_VERSION = 1
MIN_OUTCOMES, MAX_OUTCOMES = 2, 6
MAX_ACTIONS = 8
MAX_NAME = 40
#: A scenario document is a few kB at most (6 outcomes, 8 actions); a larger one is refused before parsing.
MAX_DOCUMENT_BYTES = 1_000_000
#: URL keys that belong to the scenario; a page may add its own keys beside them.
SCENARIO_KEYS = frozenset({"outcomes", "world", "rule", "rule_param"}) | {
    f.name for cls in WORLD_KINDS.values() for f in fields(cls)
}


@dataclass(frozen=True)
class Scenario:
    """Outcome names (2 to 6), the world f, and the scoring rule S."""

    outcomes: tuple[str, ...]
    world: World
    rule: ScoringRule

    def __post_init__(self) -> None:
        _check_names("outcomes", self.outcomes, MIN_OUTCOMES, MAX_OUTCOMES)
        if self.world.n != self.n:
            raise ValueError(
                f"world: it has {self.world.n} outcomes but the scenario names {self.n} "
                f"({', '.join(self.outcomes)})"
            )
        if hasattr(self.world, "actions"):
            _check_names("actions", self.world.actions, 2, MAX_ACTIONS)
        self.rule.check_outcomes(self.n)

    @property
    def n(self) -> int:
        return len(self.outcomes)

    # --- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        world = {"kind": self.world.KIND}
        for f in fields(self.world):
            world[f.name] = _to_plain(getattr(self.world, f.name))
        return {
            "version": FORMAT_VERSION,
            "outcomes": list(self.outcomes),
            "world": world,
            "rule": {"kind": self.rule.kind, "param": self.rule.param},
        }

    @classmethod
    def from_dict(cls, doc: Any) -> "Scenario":
        """Read a document written by :meth:`to_dict`; raise ``ValueError`` naming the bad field."""
        if not isinstance(doc, Mapping):
            raise ValueError("scenario: the document must be a JSON object")
        _reject_unknown("scenario", doc, {"version", "outcomes", "world", "rule"})
        version = doc.get("version")
        if isinstance(version, bool) or version != FORMAT_VERSION:
            raise ValueError(f"version: this app reads scenario format {FORMAT_VERSION}, the document has {version!r}")
        for key in ("outcomes", "world", "rule"):
            if key not in doc:
                raise ValueError(f"{key}: missing from the document")
        outcomes = _read_names("outcomes", doc["outcomes"])
        world_doc, rule_doc = doc["world"], doc["rule"]
        if not isinstance(world_doc, Mapping) or not isinstance(rule_doc, Mapping):
            raise ValueError("world, rule: each must be a JSON object")
        world_cls = _world_class(world_doc.get("kind"))
        _reject_unknown("world", world_doc, {"kind"} | {f.name for f in fields(world_cls)})
        values = {f.name: _READERS[f.type](f"world.{f.name}", world_doc[f.name])
                  for f in fields(world_cls) if f.name in world_doc}
        _reject_unknown("rule", rule_doc, {"kind", "param"})
        param = rule_doc.get("param")
        param = None if param is None else _read_float("rule.param", param)
        return cls(outcomes, world_cls(**values), ScoringRule(_read_str("rule.kind", rule_doc.get("kind")), param))

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, allow_nan=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> "Scenario":
        size = len(text.encode() if isinstance(text, str) else text)
        if size > MAX_DOCUMENT_BYTES:
            raise ValueError(f"scenario: the document has {size:,} bytes; at most {MAX_DOCUMENT_BYTES:,} (1 MB) "
                             "are read")
        try:
            doc = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
            raise ValueError(f"scenario: not valid JSON ({err})") from None
        return cls.from_dict(doc)

    # --- URL query parameters -----------------------------------------------------------------

    def to_query_params(self) -> dict[str, str]:
        """Flat string parameters. Every world field is written, so that a link keeps its meaning even
        if a default changes in a later version."""
        params = {"outcomes": ",".join(self.outcomes), "world": self.world.KIND, "rule": self.rule.kind}
        if self.rule.param is not None:
            params["rule_param"] = repr(self.rule.param)
        for f in fields(self.world):
            params[f.name] = _WRITERS[f.type](getattr(self.world, f.name))
        return params

    @classmethod
    def from_query_params(cls, params: Mapping[str, str]) -> "Scenario":
        """Read parameters written by :meth:`to_query_params`; keys that are not the scenario's are ignored."""
        if "world" not in params:
            raise ValueError("link: it carries no scenario (no 'world' parameter)")
        world_cls = _world_class(params["world"])
        values = {f.name: _PARSERS[f.type](f.name, params[f.name]) for f in fields(world_cls) if f.name in params}
        world = world_cls(**values)
        if "outcomes" in params:
            outcomes = _read_names("outcomes", params["outcomes"].split(","))
        else:
            outcomes = tuple(f"outcome {i + 1}" for i in range(world.n))
        param = params.get("rule_param")
        rule = ScoringRule(params.get("rule", "quadratic"), None if param is None else _parse_float("rule_param", param))
        return cls(outcomes, world, rule)


# --- validation and codecs ---------------------------------------------------------------------


def _check_names(field: str, names: tuple[str, ...], lo: int, hi: int) -> None:
    if not lo <= len(names) <= hi:
        raise ValueError(f"{field}: need {lo} to {hi} names, got {len(names)}")
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{field}: every name must be non-empty text")
        if len(name) > MAX_NAME or "," in name or ";" in name:
            raise ValueError(f"{field}: {name!r} is too long or contains ',' or ';'")
    # Names that differ only in spaces at their ends read as the same name (and as the same table column).
    if len({name.strip() for name in names}) != len(names):
        raise ValueError(f"{field}: names must differ (spaces at the ends do not count), got {', '.join(names)}")


def _world_class(kind: Any) -> type:
    if not isinstance(kind, str) or kind not in WORLD_KINDS:
        raise ValueError(f"world.kind: unknown world {kind!r}; choose one of {', '.join(WORLD_KINDS)}")
    return WORLD_KINDS[kind]


def _reject_unknown(where: str, doc: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(doc) - allowed)
    if unknown:
        raise ValueError(f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _to_plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_to_plain(v) for v in value]
    return value


def _read_float(field: str, value: Any) -> float:
    try:
        number = None if isinstance(value, bool) or not isinstance(value, (int, float)) else float(value)
    except OverflowError:  # an integer too large for a float
        number = None
    if number is None or not math.isfinite(number):
        raise ValueError(f"{field}: expected a finite number, got {value!r}")
    return number


def _read_int(field: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{field}: expected a whole number, got {value!r}")
    return value


def _read_str(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected text, got {value!r}")
    return value


def _read_names(field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"{field}: expected a list of names, got {value!r}")
    return tuple(_read_str(field, v) for v in value)


def _read_vector(field: str, value: Any) -> tuple[float, ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{field}: expected a list of numbers, got {value!r}")
    return tuple(_read_float(field, v) for v in value)


def _read_matrix(field: str, value: Any) -> tuple[tuple[float, ...], ...]:
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"{field}: expected a list of rows, got {value!r}")
    rows = tuple(_read_vector(field, row) for row in value)
    if len({len(r) for r in rows}) != 1:
        raise ValueError(f"{field}: all rows must have the same length")
    return rows


def _split(text: str, sep: str) -> list[str]:
    return [part.strip() for part in text.split(sep)]


def _parse_float(field: str, text: str) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{field}: {text!r} is not a number") from None
    return _read_float(field, value)


def _parse_int(field: str, text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise ValueError(f"{field}: {text!r} is not a whole number") from None


def _parse_vector(field: str, text: str) -> tuple[float, ...]:
    return tuple(_parse_float(field, part) for part in _split(text, ","))


def _parse_matrix(field: str, text: str) -> tuple[tuple[float, ...], ...]:
    return _read_matrix(field, [_parse_vector(field, row) for row in _split(text, ";")])


# Field annotations (strings, from ``from __future__ import annotations``) select the codec.
_READERS = {
    "float": _read_float,
    "int": _read_int,
    "str": _read_str,
    "tuple[str, ...]": _read_names,
    "tuple[float, ...]": _read_vector,
    "tuple[tuple[float, ...], ...]": _read_matrix,
}
_PARSERS = {
    "float": _parse_float,
    "int": _parse_int,
    "str": lambda field, text: text,
    "tuple[str, ...]": lambda field, text: tuple(text.split(",")),
    "tuple[float, ...]": _parse_vector,
    "tuple[tuple[float, ...], ...]": _parse_matrix,
}
_WRITERS = {
    "float": lambda v: repr(float(v)),
    "int": str,
    "str": str,
    "tuple[str, ...]": ",".join,
    "tuple[float, ...]": lambda v: ",".join(repr(float(x)) for x in v),
    "tuple[tuple[float, ...], ...]": lambda m: ";".join(",".join(repr(float(x)) for x in row) for row in m),
}
