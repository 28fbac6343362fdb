"""Hypothesis strategies for valid worlds, scoring rules and scenarios (shared by the core's tests).

Every strategy builds only objects that the constructors must accept; the numbers are drawn by
hypothesis directly (not computed), so that exact round trips of floats are exercised with awkward
values (subnormals, -0.0, many digits).
"""

from __future__ import annotations

import re
from dataclasses import fields

import numpy as np
from hypothesis import strategies as st

from core.model.rules import RULE_KINDS, ScoringRule
from core.model.scenario import MAX_ACTIONS, MAX_NAME, MAX_OUTCOMES, MIN_OUTCOMES, SCENARIO_KEYS, Scenario
from core.model.worlds import MIN_RAMP, POLICY_KINDS, WORLD_KINDS, LinearWorld, LogisticWorld, MatrixWorld, PolicyWorld, RampWorld

unit = st.floats(min_value=0.0, max_value=1.0)

#: A message names what is wrong first: a field of the document or link ("world.beta: …", "U: …"), or the
#: document or link as a whole.
_FIELDS = sorted(SCENARIO_KEYS | {"version", "actions", "world", "rule", "link", "kind", "param", "scenario"}
                 | {f.name for cls in WORLD_KINDS.values() for f in fields(cls)}, key=len, reverse=True)
FIELD_PREFIX = (r"^(world, rule|((world|rule)\.)?(" + "|".join(map(re.escape, _FIELDS)) + r")(\.[0-9]+)*): ")

# Any text a user might type as a name, except the separators the URL format reserves (',' and ';')
# and lone surrogates (not text). Leading and trailing spaces are allowed: they must survive too.
_name_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters=",;")
name = st.text(_name_chars, min_size=1, max_size=MAX_NAME).filter(lambda s: s.strip() != "")


def name_lists(size: int) -> st.SearchStrategy[tuple[str, ...]]:
    """Distinct names as a scenario takes them: spaces at the ends do not count (" 0" and "0" are one name)."""
    return st.lists(name, min_size=size, max_size=size, unique_by=str.strip).map(tuple)


@st.composite
def distributions(draw: st.DrawFn, n: int) -> tuple[float, ...]:
    """A point of the simplex with n outcomes (zeros included), as a tuple of floats."""
    raw = draw(st.lists(unit, min_size=n, max_size=n).filter(lambda xs: sum(xs) > 0.05))
    total = sum(raw)
    return tuple(x / total for x in raw)


@st.composite
def policy_worlds(draw: st.DrawFn, n: int | None = None, u_max: float = 100.0, beta_max: float = 50.0,
                  policies: tuple[str, ...] = tuple(POLICY_KINDS), min_ramp: float = MIN_RAMP) -> PolicyWorld:
    n = draw(st.integers(MIN_OUTCOMES, MAX_OUTCOMES)) if n is None else n
    policy = draw(st.sampled_from(policies))
    m = 2 if policy == "threshold" else draw(st.integers(2, MAX_ACTIONS))
    utility = st.floats(min_value=-u_max, max_value=u_max)
    return PolicyWorld(
        actions=draw(name_lists(m)),
        Q=tuple(draw(distributions(n)) for _ in range(m)),
        U=tuple(tuple(draw(st.lists(utility, min_size=n, max_size=n))) for _ in range(m)),
        policy=policy,
        beta=draw(st.floats(min_value=0.0, max_value=beta_max)),
        epsilon=draw(unit),
        threshold=draw(unit),
        threshold_outcome=draw(st.integers(0, n - 1)),
        ramp_width=draw(st.just(0.0) | st.floats(min_value=min_ramp, max_value=1.0)),
    )


@st.composite
def linear_worlds(draw: st.DrawFn) -> LinearWorld:
    p_star = draw(unit)
    # f(0) = p*(1 - α) ≤ 1 needs α ≥ 1 - 1/p*; f(1) = p* + α(1 - p*) ≥ 0 needs α ≥ -p*/(1 - p*).
    lo = -5.0
    if p_star > 0:
        lo = max(lo, 1.0 - 1.0 / p_star)
    if p_star < 1:
        lo = max(lo, -p_star / (1.0 - p_star))
    return LinearWorld(p_star, draw(st.floats(min_value=lo, max_value=0.999)))


@st.composite
def ramp_worlds(draw: st.DrawFn) -> RampWorld:
    a = draw(st.floats(min_value=0.0, max_value=1.0 - 2 * MIN_RAMP))
    b = draw(st.floats(min_value=a + 2 * MIN_RAMP, max_value=1.0))
    return RampWorld(a, b, draw(unit), draw(unit))


@st.composite
def logistic_worlds(draw: st.DrawFn, steepness_max: float = 100.0) -> LogisticWorld:
    return LogisticWorld(
        center=draw(st.floats(min_value=-2.0, max_value=3.0)),
        steepness=draw(st.floats(min_value=-steepness_max, max_value=steepness_max)),
        low=draw(unit),
        high=draw(unit),
    )


@st.composite
def matrix_worlds(draw: st.DrawFn, n: int | None = None) -> MatrixWorld:
    n = draw(st.integers(MIN_OUTCOMES, MAX_OUTCOMES)) if n is None else n
    columns = [draw(distributions(n)) for _ in range(n)]
    a = tuple(tuple(columns[j][i] for j in range(n)) for i in range(n))
    return MatrixWorld(a, draw(distributions(n)), draw(unit))


def worlds(kind: str | None = None) -> st.SearchStrategy:
    by_kind = {
        "policy": policy_worlds(),
        "linear": linear_worlds(),
        "ramp": ramp_worlds(),
        "logistic": logistic_worlds(),
        "matrix": matrix_worlds(),
    }
    return by_kind[kind] if kind is not None else st.one_of(*by_kind.values())


@st.composite
def rules(draw: st.DrawFn, n: int = 2) -> ScoringRule:
    kinds = [k for k, spec in RULE_KINDS.items() if n == 2 or not spec.binary_only]
    kind = draw(st.sampled_from(kinds))
    spec = RULE_KINDS[kind]
    if spec.param_name is None:
        return ScoringRule(kind)
    param = draw(st.none() | st.floats(min_value=spec.param_min, max_value=spec.param_min + 50.0,
                                       exclude_min=True))
    return ScoringRule(kind, param)


@st.composite
def scenarios(draw: st.DrawFn, kind: str | None = None) -> Scenario:
    world = draw(worlds(kind))
    return Scenario(draw(name_lists(world.n)), world, draw(rules(world.n)))


def interior_points(rng: np.random.Generator, n: int, size: int, margin: float = 1e-3) -> np.ndarray:
    """Random points of the simplex with every coordinate at least about ``margin``."""
    p = rng.dirichlet(np.ones(n), size=size)
    p = np.maximum(p, margin)
    return p / p.sum(axis=-1, keepdims=True)


# JSON values of every shape, to throw at any field.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**400), 10**400) | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)

#: Text that a hand-edited or malicious link may carry in any parameter: numbers at and beyond every limit
#: (NaN, infinities, overflow, huge beta and K), separators of the URL format in odd places, text that looks
#: like code, very long text, and arbitrary text.
NASTY_TEXTS = ("nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309", "1e100", "-1e100", "1e6",
               "1000.0001", "500", "-1", "-0.0", "0", "1", "2", "0.5", "5e-324", "", " ", ",", ";", ",,", ";;",
               "0.5,0.5", "0.5;0.5", "1,0;0,1", "0.9,0.1;0.1,0.9;0.5,0.5", "１", "0x10", "1_0", "True", "None",
               "[1, 2]", '{"a": 1}', "__import__('os').system('true')", "a" * 5000, "9" * 400,
               "\u0000", "é,ü", "a,a", " a,a", "a, a", "policy", "threshold", "softmax", "matrix", "log",
               "exponential")
nasty_text = st.sampled_from(NASTY_TEXTS) | st.text(max_size=30) | st.floats().map(repr) | st.integers().map(str)
