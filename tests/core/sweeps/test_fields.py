"""Dotted field names: parsing, reading, setting (re-validated; Q rows, A columns and c stay on the simplex)."""

from __future__ import annotations

import numpy as np
import pytest

from core.model.presets import get_preset
from core.sweeps.fields import numeric_fields, parse_field, parse_range

COORDINATION = get_preset("coordination").scenario
NOTEBOOK = get_preset("notebook-quadratic").scenario


def test_names_of_a_policy_world() -> None:
    names = numeric_fields(COORDINATION)
    assert {"world.beta", "world.epsilon", "world.Q.0.1", "world.U.2.2"} <= set(names)
    assert "rule.param" not in names  # the log rule has no parameter
    assert "world.threshold_outcome" not in names  # a whole number, not a continuous field
    assert "rule.param" in numeric_fields(get_preset("exponential-k10").scenario)


def test_set_a_number_field() -> None:
    field = parse_field(COORDINATION, "world.beta")
    assert field.get(COORDINATION) == 8.0
    assert field.set(COORDINATION, 3.5).world.beta == 3.5
    assert parse_field(NOTEBOOK, "world.alpha").set(NOTEBOOK, -0.2).world.alpha == -0.2


def test_a_q_entry_rescales_the_rest_of_its_row() -> None:
    # Row 0 is (0.8, 0.1, 0.1): setting Q[0, 1] = 0.5 leaves 0.5 for the others, in their old ratio 8 : 1.
    new = parse_field(COORDINATION, "world.Q.0.1").set(COORDINATION, 0.5)
    assert np.allclose(new.world.Q[0], (0.5 * 8 / 9, 0.5, 0.5 / 9))
    assert new.world.Q[1:] == COORDINATION.world.Q[1:]


def test_an_a_entry_rescales_its_column_and_c_its_vector() -> None:
    three = get_preset("linear-three").scenario
    new = parse_field(three, "world.A.0.1").set(three, 0.4)
    column = np.array(new.world.A)[:, 1]
    assert column[0] == 0.4 and column.sum() == pytest.approx(1.0)
    assert sum(parse_field(three, "world.c.2").set(three, 0.6).world.c) == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["world.gamma", "world.Q.9.0", "world.Q.0", "beta", "rule.kind", "world.beta.0", ""])
def test_bad_names_are_refused_with_their_name(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name}: not a numeric field"):
        parse_field(COORDINATION, name)


def test_invalid_values_name_the_field() -> None:
    with pytest.raises(ValueError, match=r"^world.Q.0.1 = 1.5: .*\[0, 1\]"):
        parse_field(COORDINATION, "world.Q.0.1").set(COORDINATION, 1.5)
    with pytest.raises(ValueError, match=r"^world.alpha = 1: .*alpha must be < 1"):
        parse_field(NOTEBOOK, "world.alpha").set(NOTEBOOK, 1.0)
    with pytest.raises(ValueError, match="^world.beta: expected a finite number"):
        parse_field(COORDINATION, "world.beta").set(COORDINATION, float("nan"))


@pytest.mark.parametrize("start, stop, num", [(1.0, 1.0, 5), (2.0, 1.0, 5), (0.0, float("inf"), 5), (0.0, 1.0, 1),
                                              (0.0, 1.0, 10_000)])
def test_bad_ranges_name_the_field(start: float, stop: float, num: int) -> None:
    with pytest.raises(ValueError, match="^world.beta: "):
        parse_range(COORDINATION, "world.beta", start, stop, num, 2000)


def test_default_field_and_range_are_valid() -> None:
    from core.sweeps.fields import default_field, default_range

    assert default_field(COORDINATION) == "world.beta" and default_range(COORDINATION, "world.beta") == (0.0, 16.0)
    assert default_field(NOTEBOOK) == "world.alpha" and default_range(NOTEBOOK, "world.alpha") == (0.0, 0.5)
    # p* = 0.675 would give [0, 1.35]: the top end stops at 1, the last valid value.
    log = get_preset("notebook-log").scenario
    assert default_range(log, "world.p_star") == (0.0, 1.0)
    # ε = 0: [−1, 1] shrinks to [0, 1]; a Q entry of 0.8: [0, 1.6] to [0, 1].
    assert default_range(COORDINATION, "world.epsilon") == (0.0, 1.0)
    assert default_range(COORDINATION, "world.Q.0.0") == (0.0, 1.0)
