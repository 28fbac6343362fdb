"""The Dynamics page: renders on two and three outcomes, its sentence is the computation's, its view is in the
link (and comes back), and bad link values warn and fall back."""

from __future__ import annotations

import numpy as np
import pytest

from core.explain import describe_dynamics
from core.learning.dynamics import end_labels, interior_grid, simulate
from core.learning.stability import candidates
from tests.pages.helpers import figure, open_app, params_of, preset_analysis, rerun, table, warnings
from core.learning.views import MAP_STARTS

VIEW = {"dyn_method": "full-gradient", "dyn_eta": "0.2", "dyn_steps": "150", "dyn_seed": "5"}
WIDGETS = {"dyn_method": "selectbox", "dyn_eta": "slider", "dyn_steps": "slider", "dyn_seed": "number_input",
           "dyn_start": "slider"}


def widget(at, key: str):
    return getattr(at, WIDGETS[key])(key=key)


def sentence(at) -> str:
    (info,) = at.info
    return info.value


def expected_sentence(preset: str, method: str, eta: float, steps: int, seed: int) -> str:
    result = preset_analysis(preset)
    found = candidates(result, method)
    n = result.scenario.n
    run = simulate(result.scenario.world, result.scenario.rule, method, interior_grid(n, MAP_STARTS[n]), eta,
                   steps, attractors=np.array([p for _, p, _ in found]), seed=seed)
    labels = end_labels(run, [label for label, _, _ in found])
    names = {"stop-gradient": "stop-gradient ascent", "full-gradient": "full gradient ascent"}
    return describe_dynamics(names[method], eta, steps, labels, {lab: p for lab, p, _ in found},
                             result.scenario.outcomes)


def test_two_outcomes_render_and_say_what_the_theory_says() -> None:
    at = open_app("dynamics", {"preset": "notebook-quadratic"})
    assert not warnings(at)
    for key in ("threshold", "paths", "cobweb"):
        assert figure(at, key)["data"]
    # By hand (docs/theory.md#learning-dynamics, Brier g′ = 4, f′ = 1/4): stop-gradient ascent with η = 0.05 < 2/3 contracts every start
    # towards p* = 1/4 by the factor 1 − 3η per round.
    assert sentence(at).endswith("100% end at fixed point 1 (P(event) = 0.25).")
    assert sentence(at) == expected_sentence("notebook-quadratic", "stop-gradient", 0.05, 300, 0)
    rows = table(at)
    assert list(rows["end point"]) == ["fixed point 1"]
    assert rows["largest step η*"][0] == pytest.approx(2 / 3)
    assert bool(rows["predicted: converges"][0]) and rows["observed: share of nearby runs that converge"][0] == 1


def test_three_outcomes_draw_paths_and_basins() -> None:
    at = open_app("dynamics", {"preset": "coordination"})
    assert not warnings(at)
    assert sentence(at) == expected_sentence("coordination", "stop-gradient", 0.05, 300, 0)
    basins = figure(at, "basins")
    shares = [t["name"] for t in basins["data"] if t.get("name", "").endswith("%)")]
    assert any(name.startswith("fixed point 1 (") for name in shares)
    assert figure(at, "trajectories")["data"]
    rows = table(at)
    assert len(rows) == len(preset_analysis("coordination").fixed_points)
    # Every share of the map adds up to what the basins legend shows, and to at most 1.
    assert rows["share of the map's starts ending here"].sum() <= 1 + 1e-9


def test_more_outcomes_give_the_sentence_and_the_table() -> None:
    at = open_app("dynamics", {"preset": "five-candidates"})
    assert sentence(at).startswith("From the ") and len(table(at)) >= 1


def test_the_link_round_trips() -> None:
    first = open_app("dynamics", {"preset": "notebook-log", **VIEW, "dyn_start": "0.4"})
    assert not warnings(first)
    assert widget(first, "dyn_method").value == "full-gradient"
    assert widget(first, "dyn_eta").value == 0.2 and widget(first, "dyn_steps").value == 150
    assert widget(first, "dyn_seed").value == 5 and widget(first, "dyn_start").value == 0.4
    params = params_of(first)
    assert {k: params[k] for k in VIEW} == VIEW and params["dyn_start"] == "0.4"
    second = open_app("dynamics", params)
    assert params_of(second) == params
    assert sentence(second) == sentence(first)
    assert figure(second, "paths") == figure(first, "paths")


def test_a_control_goes_into_the_link() -> None:
    at = open_app("dynamics", {"preset": "notebook-quadratic"})
    widget(at, "dyn_method").set_value("repeated")
    widget(at, "dyn_steps").set_value(40)
    rerun(at)
    assert params_of(at)["dyn_method"] == "repeated" and params_of(at)["dyn_steps"] == "40"
    assert "repeated prediction after 40 rounds" in sentence(at)


@pytest.mark.parametrize("bad", [{"dyn_method": "bogus"}, {"dyn_eta": "-1"}, {"dyn_eta": "nan"}, {"dyn_eta": "x"},
                                 {"dyn_steps": "99999999"}, {"dyn_steps": "2.5"}, {"dyn_seed": "-3"},
                                 {"dyn_start": "1.5"}])
def test_bad_link_values_warn_and_use_the_default(bad: dict[str, str]) -> None:
    baseline = open_app("dynamics", {"preset": "notebook-quadratic"})
    at = open_app("dynamics", {"preset": "notebook-quadratic", **bad})  # no exception
    (key, text), = bad.items()
    found = warnings(at)
    assert len(found) == 1 and f"'{key}'" in found[0] and repr(text) in found[0]
    assert widget(at, key).value == widget(baseline, key).value
    assert params_of(at) == params_of(baseline)
    assert not warnings(rerun(at))  # warned once
