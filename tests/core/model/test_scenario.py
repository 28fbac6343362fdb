"""Tests of core.model.scenario: exact round trips through JSON and URL parameters, and strict reading."""

from __future__ import annotations

import builtins
import copy
import json
import re
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import FORMAT_VERSION, SCENARIO_KEYS, Scenario
from core.model.worlds import WORLD_KINDS, LinearWorld, MatrixWorld, PolicyWorld

from tests.core.scenario_strategies import FIELD_PREFIX, json_values, scenarios

# --- round trips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip_through_json(name: str) -> None:
    scenario = PRESETS[name].scenario
    assert Scenario.from_json(scenario.to_json()) == scenario
    assert Scenario.from_dict(scenario.to_dict()) == scenario


@pytest.mark.parametrize("name", list(PRESETS))
def test_presets_round_trip_through_query_params(name: str) -> None:
    scenario = PRESETS[name].scenario
    params = scenario.to_query_params()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    assert set(params) <= SCENARIO_KEYS
    assert Scenario.from_query_params(params) == scenario


@pytest.mark.parametrize("kind", list(WORLD_KINDS))
def test_random_scenarios_round_trip_both_ways(kind: str) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(scenarios(kind))
    def check(scenario: Scenario) -> None:
        text = scenario.to_json()
        assert json.loads(text)["version"] == FORMAT_VERSION
        assert Scenario.from_json(text) == scenario
        params = scenario.to_query_params()
        assert all(isinstance(v, str) for v in params.values())
        # Floats compare exactly: every one must come back with all its digits.
        assert Scenario.from_query_params(params) == scenario

    check()


def test_query_params_carry_every_world_field() -> None:
    # Every field is written (a link keeps its meaning if a default changes later).
    scenario = Scenario(("rain", "sun"), LinearWorld(), ScoringRule("log"))
    assert scenario.to_query_params() == {"outcomes": "rain,sun", "world": "linear", "rule": "log",
                                          "p_star": "0.25", "alpha": "0.25"}
    changed = Scenario(("rain", "sun"), LinearWorld(alpha=0.5), ScoringRule("power", 2.5))
    assert changed.to_query_params() == {"outcomes": "rain,sun", "world": "linear", "rule": "power",
                                         "rule_param": "2.5", "p_star": "0.25", "alpha": "0.5"}
    policy = PRESETS["self-defeating"].scenario.to_query_params()
    assert set(policy) == {"outcomes", "world", "rule"} | {f.name for f in fields(PolicyWorld)}
    assert policy["U"] == "0.0,1.0;0.5,0.5" and policy["actions"] == "drive,take the train"


def test_query_params_defaults_when_left_out() -> None:
    scenario = Scenario.from_query_params({"world": "linear"})
    assert scenario == Scenario(("outcome 1", "outcome 2"), LinearWorld(), ScoringRule("quadratic"))
    # Keys that are not the scenario's (a page's own) are ignored.
    assert Scenario.from_query_params({"world": "linear", "page": "binary", "zoom": "x"}) == scenario


def test_names_keep_their_spaces_through_a_link() -> None:
    # A name may start or end with a space; the link must give back exactly the same name.
    scenario = Scenario((" rain", "sun "), PolicyWorld(actions=("stay in ", " go out")), ScoringRule("log"))
    assert Scenario.from_query_params(scenario.to_query_params()) == scenario


def test_numpy_numbers_round_trip() -> None:
    # The sidebar editor reads its tables with pandas/numpy, so worlds arrive holding numpy floats.
    q = tuple(tuple(row) for row in np.array([[0.9, 0.1], [0.1, 0.9]]))
    world = PolicyWorld(Q=q, U=tuple(tuple(row) for row in np.eye(2)), beta=np.float64(2.5), policy="softmax")
    assert world == PolicyWorld(Q=((0.9, 0.1), (0.1, 0.9)), U=((1.0, 0.0), (0.0, 1.0)), beta=2.5, policy="softmax")
    for scenario in (Scenario(("a", "b"), world, ScoringRule("log")),
                     Scenario(("a", "b"), LinearWorld(np.float64(0.3), np.float64(0.25)), ScoringRule("log")),
                     Scenario(("a", "b", "c"), MatrixWorld(tuple(map(tuple, np.eye(3))), tuple(np.full(3, 1 / 3)), 0.5),
                              ScoringRule("log"))):
        params = scenario.to_query_params()
        assert all("np." not in v for v in params.values()), params
        assert Scenario.from_query_params(params) == scenario
        assert Scenario.from_json(scenario.to_json()) == scenario


# --- documents that must be refused ---------------------------------------------------------------------


def _base() -> dict[str, Any]:
    return copy.deepcopy(PRESETS["self-defeating"].scenario.to_dict())


def _edit(path: str, value: Any) -> dict[str, Any]:
    """A valid document with one entry replaced (``value`` is ``DELETE`` to remove it)."""
    doc = _base()
    *parents, last = path.split(".")
    target = doc
    for key in parents:
        target = target[key]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return doc


DELETE = object()

BAD_DOCUMENTS = [
    ("version", 2, r"^version: this app reads scenario format 1, the document has 2"),
    ("version", DELETE, r"^version: .* has None"),
    ("version", "1", r"^version: .* has '1'"),
    ("version", True, r"^version: .* has True"),
    ("outcomes", DELETE, r"^outcomes: missing from the document"),
    ("world", DELETE, r"^world: missing from the document"),
    ("rule", DELETE, r"^rule: missing from the document"),
    ("outcomes", "jam,clear", r"^outcomes: expected a list of names"),
    ("outcomes", ["jam", 3], r"^outcomes: expected text, got 3"),
    ("outcomes", ["jam"], r"^outcomes: need 2 to 6 names, got 1"),
    ("outcomes", ["jam", "jam"], r"^outcomes: names must differ"),
    ("outcomes", ["jam", "clear,sunny"], r"^outcomes: 'clear,sunny' is too long or contains ','"),
    ("outcomes", ["jam", "clear;sunny"], r"^outcomes: .*contains ',' or ';'"),
    ("outcomes", ["jam", "x" * 41], r"^outcomes: 'x+' is too long"),
    ("outcomes", ["jam", "   "], r"^outcomes: every name must be non-empty text"),
    ("outcomes", ["a", "b", "c"], r"^world: it has 2 outcomes but the scenario names 3"),
    ("world", [], r"^world, rule: each must be a JSON object"),
    ("world.kind", "spline", r"^world\.kind: unknown world 'spline'"),
    ("world.kind", DELETE, r"^world\.kind: unknown world None"),
    ("world.gamma", 0.5, r"^world: unknown field 'gamma'"),
    ("extra", 1, r"^scenario: unknown field 'extra'"),
    ("rule.weight", 1, r"^rule: unknown field 'weight'"),
    ("world.beta", "5", r"^world\.beta: expected a finite number, got '5'"),
    ("world.beta", True, r"^world\.beta: expected a finite number, got True"),
    ("world.beta", None, r"^world\.beta: expected a finite number, got None"),
    ("world.beta", [5], r"^world\.beta: expected a finite number"),
    ("world.beta", 10**400, r"^world\.beta: expected a finite number"),
    ("world.beta", -1.0, r"^world: beta \(rationality\) must lie in \[0, 1000\]"),
    ("world.beta", 1e100, r"^world: beta \(rationality\) must lie in \[0, 1000\]"),
    ("world.U", [[0.0, 1e308], [0.5, 0.5]], r"^world: U must hold finite numbers of size at most 1e\+06"),
    ("world.threshold_outcome", -1, r"^world: threshold_outcome must index an outcome \(0\.\.1\)"),
    ("outcomes", ["a", " a"], r"^outcomes: names must differ \(spaces at the ends do not count\)"),
    ("world.threshold_outcome", 0.0, r"^world\.threshold_outcome: expected a whole number, got 0\.0"),
    ("world.threshold_outcome", False, r"^world\.threshold_outcome: expected a whole number"),
    ("world.policy", 1, r"^world\.policy: expected text, got 1"),
    ("world.policy", "eval", r"^world: unknown policy 'eval'"),
    ("world.Q", [[0.9, 0.1], [1.0]], r"^world\.Q: all rows must have the same length"),
    ("world.Q", [0.9, 0.1], r"^world\.Q: expected a list of numbers, got 0\.9"),
    ("world.Q", [], r"^world\.Q: expected a list of rows"),
    ("world.Q", [[0.9, 0.1], []], r"^world\.Q: expected a list of numbers, got \[\]"),
    ("world.Q", [[0.9, "0.1"], [0.1, 0.9]], r"^world\.Q: expected a finite number, got '0\.1'"),
    ("world.Q", [[0.9, 0.2], [0.1, 0.9]], r"^world: Q row 1 \(drive\) must sum to 1"),
    ("world.actions", ["drive", "drive"], r"^actions: names must differ"),
    ("world.actions", ["drive", 2], r"^world\.actions: expected text, got 2"),
    ("rule.kind", "brier", r"^rule: unknown scoring rule 'brier'"),
    ("rule.kind", DELETE, r"^rule\.kind: expected text, got None"),
    ("rule.param", 2.0, r"^rule: the quadratic rule takes no parameter"),
    ("rule.param", "2", r"^rule\.param: expected a finite number, got '2'"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_DOCUMENTS,
                         ids=[f"{p}={v if v is not DELETE else 'deleted'}"[:60] for p, v, _ in BAD_DOCUMENTS])
def test_bad_documents_name_the_field(path: str, value: Any, message: str) -> None:
    doc = _edit(path, value)
    with pytest.raises(ValueError, match=message):
        Scenario.from_dict(doc)
    # The same through the JSON text (where a Python value has a JSON spelling).
    with pytest.raises(ValueError, match=message):
        Scenario.from_json(json.dumps(doc))


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused(literal: str) -> None:
    text = json.dumps(_base()).replace('"beta": 5.0', f'"beta": {literal}')
    assert literal in text
    with pytest.raises(ValueError, match=r"^world\.beta: expected a finite number"):
        Scenario.from_json(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"^scenario: not valid JSON"),
        ("{'version': 1}", r"^scenario: not valid JSON"),
        ("[1, 2]", r"^scenario: the document must be a JSON object"),
        ("null", r"^scenario: the document must be a JSON object"),
        (b"\xff\xfe\x00garbage", r"^scenario: not valid JSON"),
        # Nesting deeper than the parser's recursion limit is a bad document too, not a crash.
        ("[" * 100_000 + "]" * 100_000, r"^scenario: not valid JSON"),
    ],
    ids=["empty", "python-literal", "list", "null", "bad-bytes", "deep-nesting"],
)
def test_bad_json_texts(text: str | bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scenario.from_json(text)


def test_exponential_rule_refused_for_three_outcomes() -> None:
    doc = PRESETS["linear-three"].scenario.to_dict()
    doc["rule"] = {"kind": "exponential", "param": 10.0}
    with pytest.raises(ValueError, match=r"^rule: the exponential rule is defined for two outcomes only"):
        Scenario.from_dict(doc)


def test_too_many_actions() -> None:
    doc = _base()
    doc["world"]["actions"] = [f"a{i}" for i in range(9)]
    doc["world"]["Q"] = [[0.5, 0.5]] * 9
    doc["world"]["U"] = [[0.0, 0.0]] * 9
    with pytest.raises(ValueError, match=r"^actions: need 2 to 8 names, got 9"):
        Scenario.from_dict(doc)


DOCUMENT_PATHS = ["version", "outcomes", "world", "rule", "world.kind", "world.actions", "world.Q", "world.U",
                  "world.policy", "world.beta", "world.epsilon", "world.threshold", "world.threshold_outcome",
                  "world.ramp_width", "rule.kind", "rule.param"]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(DOCUMENT_PATHS), json_values)
def test_any_value_in_any_field_gives_a_scenario_or_a_value_error(path: str, value: Any) -> None:
    """Whatever a document holds, reading it either gives a scenario that round-trips exactly (through JSON
    and through a link), or a ValueError whose message starts by naming the part of the document at fault."""
    try:
        scenario = Scenario.from_dict(_edit(path, value))
    except ValueError as err:
        assert re.match(FIELD_PREFIX, str(err)), str(err)
        return
    assert Scenario.from_json(scenario.to_json()) == scenario
    assert Scenario.from_query_params(scenario.to_query_params()) == scenario


# --- links -----------------------------------------------------------------------------------------------

GOOD_LINK = {"outcomes": "jam,clear", "world": "policy", "actions": "drive,take the train",
             "U": "0.0,1.0;0.5,0.5", "rule": "quadratic"}


def _link(**changes: str | None) -> dict[str, str]:
    link = dict(GOOD_LINK)
    for key, value in changes.items():
        if value is None:
            link.pop(key, None)
        else:
            link[key] = value
    return link


def test_good_link_reads() -> None:
    assert Scenario.from_query_params(GOOD_LINK) == PRESETS["self-defeating"].scenario


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"world": None}, r"^link: it carries no scenario \(no 'world' parameter\)"),
        ({"world": "spline"}, r"^world\.kind: unknown world 'spline'"),
        ({"beta": "abc"}, r"^beta: 'abc' is not a number"),
        ({"beta": ""}, r"^beta: '' is not a number"),
        ({"beta": "nan"}, r"^beta: expected a finite number"),
        ({"beta": "-inf"}, r"^beta: expected a finite number"),
        ({"beta": "1e999"}, r"^beta: expected a finite number"),
        ({"threshold_outcome": "1.5"}, r"^threshold_outcome: '1\.5' is not a whole number"),
        ({"U": "0.0,1.0;0.5"}, r"^U: all rows must have the same length"),
        ({"U": "0.0,,1.0;0.5,0.5"}, r"^U: '' is not a number"),
        ({"U": "0.0,1.0;0.5,x"}, r"^U: 'x' is not a number"),
        ({"U": "0.0,1.0"}, r"^world: U must have the shape of Q"),
        ({"Q": "0.9,0.1,0.0"}, r"^world: Q must have one row per action"),
        ({"rule": "brier"}, r"^rule: unknown scoring rule 'brier'"),
        ({"rule_param": "x"}, r"^rule_param: 'x' is not a number"),
        ({"rule_param": "2.0"}, r"^rule: the quadratic rule takes no parameter"),
        ({"outcomes": "jam,clear,fog"}, r"^world: it has 2 outcomes but the scenario names 3"),
        ({"outcomes": "jam,jam"}, r"^outcomes: names must differ"),
        ({"outcomes": "jam,"}, r"^outcomes: every name must be non-empty text"),
        ({"actions": "drive,drive"}, r"^actions: names must differ"),
        ({"policy": "eval"}, r"^world: unknown policy 'eval'"),
    ],
    ids=lambda v: "-".join(f"{k}={w}" for k, w in v.items()) if isinstance(v, dict) else "",
)
def test_bad_links(changes: dict[str, str | None], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Scenario.from_query_params(_link(**changes))


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(list(WORLD_KINDS)),
       st.dictionaries(st.sampled_from(sorted(SCENARIO_KEYS - {"world"})), st.text(max_size=30), max_size=6))
def test_any_link_gives_a_scenario_or_a_value_error(kind: str, params: dict[str, str]) -> None:
    try:
        scenario = Scenario.from_query_params({"world": kind, **params})
    except ValueError as err:
        assert re.match(FIELD_PREFIX, str(err)), str(err)
        return
    assert Scenario.from_query_params(scenario.to_query_params()) == scenario
    assert Scenario.from_json(scenario.to_json()) == scenario


def test_nothing_is_ever_evaluated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = tmp_path / "evaluated"
    payload = f"__import__('pathlib').Path({str(marker)!r}).touch() or 1"

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("eval/exec was called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    for kind, cls in WORLD_KINDS.items():
        for key in ["outcomes", "world", "rule", "rule_param"] + [f.name for f in fields(cls)]:
            with pytest.raises(ValueError):
                Scenario.from_query_params({"world": kind, key: payload})
    for path in DOCUMENT_PATHS:
        with pytest.raises(ValueError):
            Scenario.from_dict(_edit(path, payload))
    # A number-like payload is not a number either.
    with pytest.raises(ValueError, match=r"^beta: \"__import__\('os'\)\" is not a number"):
        Scenario.from_query_params({**GOOD_LINK, "beta": "__import__('os')"})
    assert not marker.exists()
