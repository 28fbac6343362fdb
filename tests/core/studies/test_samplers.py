"""Seeded samplers: the same seed gives the same worlds, however the indices are split."""

from __future__ import annotations

import numpy as np
import pytest

from core.model.scenario import Scenario
from core.studies import StudySpec, sample, scenario_of
from core.studies.samplers import BLOCK


@pytest.mark.parametrize("sampler", ["matrix", "policy"])
def test_any_slice_is_the_same_worlds(sampler: str) -> None:
    spec = StudySpec(sampler=sampler, outcomes=4)
    whole = sample(spec, 9, 0, 3 * BLOCK + 17)
    for start, stop in [(0, 1), (5, 6), (BLOCK - 3, BLOCK + 4), (2 * BLOCK, 3 * BLOCK + 17), (100, 100)]:
        part = sample(spec, 9, start, stop)
        for key, value in whole.items():
            assert np.array_equal(part[key], value[start:stop])


def test_seeds_differ_and_repeat() -> None:
    spec = StudySpec()
    assert np.array_equal(sample(spec, 1, 0, 10)["A"], sample(spec, 1, 0, 10)["A"])
    assert not np.array_equal(sample(spec, 1, 0, 10)["A"], sample(spec, 2, 0, 10)["A"])


def test_matrix_worlds_are_column_stochastic_and_alpha_is_as_asked() -> None:
    params = sample(StudySpec(outcomes=6, concentration=0.3), 0, 0, 500)
    np.testing.assert_allclose(params["A"].sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(params["c"].sum(axis=1), 1.0, atol=1e-12)
    assert (params["A"] >= 0).all() and ((params["alpha"] >= 0) & (params["alpha"] <= 1)).all()
    assert params["alpha"].std() > 0.2
    assert (sample(StudySpec(alpha=0.3), 0, 0, 20)["alpha"] == 0.3).all()


def test_policy_worlds() -> None:
    params = sample(StudySpec(sampler="policy", outcomes=3, actions=4, beta=(2.0, 3.0)), 0, 0, 300)
    assert params["Q"].shape == (300, 4, 3) and params["U"].shape == (300, 4, 3)
    np.testing.assert_allclose(params["Q"].sum(axis=2), 1.0, atol=1e-12)
    assert ((params["beta"] >= 2) & (params["beta"] <= 3)).all()


@pytest.mark.parametrize("sampler", ["matrix", "policy"])
def test_scenario_documents_round_trip_to_the_same_world(sampler: str) -> None:
    spec = StudySpec(sampler=sampler, outcomes=3, rule="log")
    params = sample(spec, 4, 0, 3)
    for i in range(3):
        scenario = scenario_of(spec, params, i)
        again = Scenario.from_json(scenario.to_json())
        assert again == scenario
        p = np.array([0.1, 0.6, 0.3])
        assert np.array_equal(again.world(p), scenario.world(p))


@pytest.mark.parametrize("kwargs, field", [
    ({"sampler": "urn"}, "sampler"), ({"outcomes": 7}, "outcomes"), ({"rule": "nope"}, "rule"),
    ({"outcomes": 3, "rule": "exponential"}, "rule"), ({"concentration": 0.0}, "concentration"),
    ({"alpha": 1.5}, "alpha"), ({"beta": (3.0, 1.0)}, "beta"), ({"policy": "coin"}, "policy"),
    ({"actions": 1}, "actions"),
])
def test_bad_specs_name_the_field(kwargs: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field):
        StudySpec(**kwargs)
