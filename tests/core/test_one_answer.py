"""One answer, computed one way: every sweep value, every map cell and every study row equals ``analyze`` of the
scenario it links to (to 1e-9, with the same fixed points and stabilities), for every family of worlds, policy and
rule, 2 to 6 outcomes, ramp widths including 0 and ε including 0 and 1.

The views solve many worlds together (core.solve.solutions.solve_batch) and ``analyze`` solves one; these
tests hold them to the same numbers, so a link from any view opens a page that shows what the view showed.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from core.analysis import Analysis, analyze
from core.model.rules import ScoringRule
from core.model.worlds import PolicyWorld
from core.model.rules import RULE_KINDS
from core.model.scenario import Scenario
from core.studies import StudySpec, run_chunk
from core.sweeps.diagram import sweep
from core.sweeps.fields import numeric_fields, parse_field
from core.sweeps.grid import QUANTITIES, sweep_grid
from tests.core.scenario_strategies import (linear_worlds, logistic_worlds, matrix_worlds, name_lists, policy_worlds,
                                            ramp_worlds, rules)

TOL = 1e-9
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def small_scenarios(draw: st.DrawFn) -> Scenario:
    """Every family; policy worlds with utilities and β small enough for a search to stay quick (the numerics at
    the caps are tested elsewhere), ε and the ramp width drawn at their ends as often as inside."""
    n = draw(st.integers(2, 6))
    ends = st.sampled_from([0.0, 1.0]) | st.floats(0.0, 1.0)
    families = [policy_worlds(n=n, u_max=2.0, beta_max=8.0)]
    if n == 2:
        families += [linear_worlds(), ramp_worlds(), logistic_worlds(steepness_max=30.0)]
    families.append(matrix_worlds(n=min(n, 4)))
    world = draw(st.one_of(*families))
    if hasattr(world, "epsilon"):
        from dataclasses import replace
        world = replace(world, epsilon=draw(ends), ramp_width=draw(st.sampled_from([0.0, 0.05]) | st.floats(1e-3, 1.0)))
    return Scenario(draw(name_lists(world.n)), world, draw(rules(world.n)))


def assert_same(analysis: Analysis, fixed_points, optimum_p, inaccuracy) -> None:
    """The view's fixed points (p and stability), optimum and inaccuracy are the analysis's."""
    assert [fp.stability for fp in fixed_points] == [fp.stability for fp in analysis.fixed_points]
    assert [fp.kind for fp in fixed_points] == [fp.kind for fp in analysis.fixed_points]
    for mine, theirs in zip(fixed_points, analysis.fixed_points):
        np.testing.assert_allclose(mine.p, theirs.p, atol=TOL, rtol=0)
    np.testing.assert_allclose(optimum_p, analysis.optimum.p, atol=TOL, rtol=0)
    assert inaccuracy == pytest.approx(analysis.inaccuracy, abs=TOL)


def close(value: float, expected: float | None) -> bool:
    if expected is None or not np.isfinite(expected):
        return not np.isfinite(value)
    return abs(value - expected) <= TOL


@st.composite
def field_and_values(draw: st.DrawFn, scenario: Scenario) -> tuple[str, float, float]:
    """A number field of the scenario and a short range starting at its value."""
    names = [n for n in numeric_fields(scenario) if not n.startswith(("world.Q", "world.U"))]
    assume(names)
    name = draw(st.sampled_from(names))
    start = float(parse_field(scenario, name).get(scenario))
    step = draw(st.sampled_from([0.01, 0.1, 0.3]))
    return name, start, start + step * (1.0 if start < 0.5 or abs(start) > 1 else -1.0)


@SLOW
@given(data=st.data())
def test_every_sweep_value_is_the_analysis_of_its_scenario(data) -> None:
    scenario = data.draw(small_scenarios())
    name, start, stop = data.draw(field_and_values(scenario))
    try:
        diagram = sweep(scenario, name, start, stop, 3)
    except ValueError:
        assume(False)  # the range leaves the valid scenarios: the sweep refuses it, naming the field
    field = parse_field(scenario, name)
    for k, value in enumerate(diagram.values):
        analysis = analyze(field.set(scenario, float(value)))
        assert_same(analysis, diagram.fixed_points[k], diagram.optimum[k], diagram.inaccuracy[k])
        expected = -1 if analysis.best_by_score is None else analysis.best_by_score
        assert diagram.best_by_score[k] == expected
        if diagram.best_for_human is not None:
            assert diagram.best_for_human[k] == (-1 if analysis.best_for_human is None else analysis.best_for_human)


@SLOW
@given(data=st.data())
def test_every_map_cell_is_the_analysis_of_its_scenario(data) -> None:
    scenario = data.draw(small_scenarios())
    x = data.draw(field_and_values(scenario))
    y = data.draw(field_and_values(scenario))
    assume(x[0] != y[0])
    quantities = [q for q in QUANTITIES if q != "human_utility" or hasattr(scenario.world, "expected_utility")]
    quantity = data.draw(st.sampled_from(quantities))
    try:
        m = sweep_grid(scenario, (x[0], x[1], x[2], 2), (y[0], y[1], y[2], 2), quantity)
    except ValueError:
        assume(False)
    for i, yv in enumerate(m.ys):
        for j, xv in enumerate(m.xs):
            try:
                cell = m.cell(float(xv), float(yv))
            except ValueError:
                assert np.isnan(m.values[i, j])  # no scenario there
                continue
            assert close(m.values[i, j], _quantity(analyze(cell), quantity)), (quantity, cell.to_dict())


def _quantity(analysis: Analysis, quantity: str) -> float | None:
    """What a map shows of an analysis, read from the analysis as the results table reads it."""
    bounds = analysis.bounds
    if quantity == "fixed_points":
        return float(len(analysis.fixed_points))
    if quantity == "human_utility":
        return analysis.optimum_human_utility
    if quantity == "inaccuracy":
        return analysis.inaccuracy
    if quantity == "distance":
        return analysis.distance_to_fixed_point
    value = analysis.inaccuracy if quantity == "inaccuracy_ratio" else analysis.distance_to_fixed_point
    bound = None if bounds is None else (bounds.inaccuracy if quantity == "inaccuracy_ratio"
                                         else bounds.distance_to_fixed_point)
    return None if bound is None or bound == 0 or value is None else value / bound


@SLOW
@given(sampler=st.sampled_from(["matrix", "policy"]), outcomes=st.integers(2, 6),
       rule=st.sampled_from([k for k, spec in RULE_KINDS.items() if not spec.binary_only and spec.param_name is None]),
       policy=st.sampled_from(["softmax", "best_response"]), seed=st.integers(0, 2 ** 16))
def test_every_study_row_is_the_analysis_of_its_scenario(sampler, outcomes, rule, policy, seed) -> None:
    if sampler == "policy":
        outcomes = min(outcomes, 4)  # a policy study searches world by world: keep the example quick
    spec = StudySpec(sampler=sampler, outcomes=outcomes, rule=rule, policy=policy, beta=(0.0, 6.0))
    out = run_chunk(spec, seed, 0, 3, scenarios=True)
    for i in range(3):
        analysis = analyze(Scenario.from_dict(json.loads(out["scenario"][i])))
        np.testing.assert_allclose(out["p_hat"][i], analysis.optimum.p, atol=TOL, rtol=0)
        np.testing.assert_allclose(out["f_hat"][i], analysis.optimum.f, atol=TOL, rtol=0)
        assert out["inaccuracy"][i] == pytest.approx(analysis.inaccuracy, abs=TOL)
        assert out["fixed_points"][i] == len(analysis.fixed_points)
        assert close(out["distance"][i], analysis.distance_to_fixed_point)
        bound = None if analysis.bounds is None else analysis.bounds.inaccuracy
        assert close(out["bound"][i], bound)


def test_a_map_from_a_hard_step_solves_each_cell_as_its_own_kind() -> None:
    # The ramp width from 0: the first column is a step world (support enumeration), the others are smooth;
    # no cell divides by the width, and each is its own analysis.
    withdraw = PolicyWorld(actions=("stay", "withdraw"), Q=((0.1, 0.9), (0.8, 0.2)), U=((0.0, 1.0), (1.0, 0.0)),
                           policy="threshold", threshold=0.4, ramp_width=0.0)
    scenario = Scenario(("run", "no run"), withdraw, ScoringRule("log"))
    with np.errstate(all="raise"):
        m = sweep_grid(scenario, ("world.ramp_width", 0.0, 0.2, 3), ("world.threshold", 0.3, 0.6, 2), "fixed_points")
    for i, yv in enumerate(m.ys):
        for j, xv in enumerate(m.xs):
            assert m.values[i, j] == len(analyze(m.cell(float(xv), float(yv))).fixed_points)
