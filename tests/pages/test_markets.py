"""The Markets page shows the equilibria derived by hand in docs/theory.md#markets, keeps its view in the link,
and answers bad values and unsuitable scenarios with a message."""

from __future__ import annotations

import numpy as np
import pytest

from core.markets import MARKET_GALLERY, Market, analyze_market
from core.model.presets import PRESETS
from tests.pages.helpers import charts, figure, open_app, params_of, rerun, scenario_of, table, warnings, \
    trace_points

ANNOUNCEMENT = "market's announcement A, at f(A)"


def symmetric(p_star: float, alpha: float, k: int) -> float:
    """Quadratic rule, linear world, k equal predictors, linear pool: (2(1 − α)p* − α/k)/(2(1 − α) − 2α/k)."""
    return (2 * (1 - alpha) * p_star - alpha / k) / (2 * (1 - alpha) - 2 * alpha / k)


def test_the_notebook_market_by_hand() -> None:
    # notebook-quadratic: p* = α = 1/4.
    at = open_app("markets", {"preset": "notebook-quadratic", "k": "4"})
    assert not warnings(at)
    x = symmetric(0.25, 0.25, 4)
    frame = table(at, 0)
    (row,) = frame.to_dict("records")
    assert row[""] == "equilibrium" and row["exact"] == "yes" and row["holds"] == "yes"
    assert row["A(event)"] == pytest.approx(x, abs=1e-9)
    assert row["f(A)(event)"] == pytest.approx(0.25 + 0.25 * (x - 0.25), abs=1e-9)
    assert row["distance to fixed point"] == pytest.approx(0.25 - x, abs=1e-9)
    (text,) = [i.value for i in at.main.info]
    share = (0.25 - x) / (0.25 - symmetric(0.25, 0.25, 1))
    assert text.startswith(f"With 4 equal predictors the market's forecast is {0.25 - x:.3g} from the fixed point, "
                           f"{share:.0%} of one predictor's distance.")
    assert set(charts(at)) == {"market_map", "market_curve", "market_learning"}
    np.testing.assert_allclose(trace_points(figure(at, "market_map"), ANNOUNCEMENT), [[x, 0.25 + 0.25 * (x - 0.25)]],
                               atol=1e-9)


def test_the_distance_chart_follows_one_over_k() -> None:
    at = open_app("markets", {"preset": "notebook-quadratic", "k": "10"})
    points = trace_points(figure(at, "market_curve"), "distance of A to the fixed point")
    ks, d = points[:, 0].astype(int), points[:, 1]
    assert ks[0] == 1 and ks[-1] == 50 and 10 in ks
    np.testing.assert_allclose(d, [0.25 - symmetric(0.25, 0.25, k) for k in ks], atol=1e-9)


def test_zero_sum_reports_the_fixed_point_and_the_view_round_trips() -> None:
    at = open_app("markets", {"preset": "notebook-log", "k": "7", "pool": "log", "payment": "zero-sum",
                              "market_steps": "300", "market_lr": "0.05", "market_seed": "3"})
    assert not warnings(at)
    assert at.slider(key="market_k").value == 7
    assert at.radio(key="market_pool").value == "log"
    assert at.radio(key="market_payment").value == "zero-sum"
    (row,) = table(at, 0).to_dict("records")
    assert row["A(event)"] == pytest.approx(0.675, abs=1e-9)  # notebook-log's fixed point p* = 0.675
    (text,) = [i.value for i in at.main.info]
    assert text.startswith("With 7 equal predictors the market's forecast is a fixed point")
    params = params_of(at)
    assert {key: params[key] for key in ("k", "pool", "payment", "market_steps", "market_seed")} == {
        "k": "7", "pool": "log", "payment": "zero-sum", "market_steps": "300", "market_seed": "3"}
    assert float(params["market_lr"]) == 0.05
    # Moving the slider changes the view and the link.
    at.slider(key="market_k").set_value(12)
    rerun(at)
    assert params_of(at)["k"] == "12"


def test_the_learning_table_against_the_core() -> None:
    at = open_app("markets", {"preset": "notebook-quadratic", "k": "10", "market_steps": "2000"})
    frame = table(at, 1).set_index("method")
    found = analyze_market(Market.equal(PRESETS["notebook-quadratic"].scenario.world,
                                        PRESETS["notebook-quadratic"].scenario.rule, 10))
    assert frame.loc["stop-gradient ascent", "final distance"] == pytest.approx(0.0, abs=1e-9)
    assert frame.loc["full gradient ascent", "A(event)"] == pytest.approx(found.chosen.announcement[0], abs=1e-9)
    assert set(frame["settled"]) <= {"yes", "no: still moving"}
    assert frame.loc["stop-gradient ascent", "settled"] == "yes"


def test_the_market_maker_shows_its_traders_and_its_rest_point() -> None:
    at = open_app("markets", {"preset": "notebook-log", "k": "10", "pool": "lmsr", "payment": "zero-sum"})
    assert not warnings(at)
    scenario = PRESETS["notebook-log"].scenario
    found = analyze_market(Market.equal(scenario.world, scenario.rule, 10, "lmsr"))
    frame = table(at, 0)
    assert list(frame[""]) == ["after 10 traders", "rest point"]
    after, rest = frame.to_dict("records")
    assert after["A(event)"] == pytest.approx(found.chosen.announcement[0], abs=1e-12)
    assert after["distance to fixed point"] == pytest.approx(found.chosen.distance_to_fixed_point, abs=1e-12)
    assert after["bound on |f(pₖ) − pₖ|"] == pytest.approx(found.chosen.bound[-1], abs=1e-12)
    assert (after["exact"], after["holds"], after["attracts"]) == ("yes", "yes", "—")
    assert rest["A(event)"] == pytest.approx(0.675, abs=1e-9) and rest["attracts"] == "yes"
    texts = [i.value for i in at.main.info]
    assert any(t.startswith("The market maker pays each trader the change in its log score") for t in texts)
    assert any(t.startswith("After 10 traders in turn the market maker's price is") and
               "The fixed point 0.675 is a rest point" in t for t in texts)
    # No payment to choose, no simultaneous learning; the link says what is shown.
    assert not [r for r in at.radio if r.key == "market_payment"]
    assert set(charts(at)) == {"market_map", "market_curve"}
    assert {key: params_of(at)[key] for key in ("k", "pool", "payment")} == {"k": "10", "pool": "lmsr",
                                                                           "payment": "own"}
    points = trace_points(figure(at, "market_map"), "the price after each trader")
    np.testing.assert_allclose(points[:, 0], found.chosen.reports[:, 0], atol=1e-12)


@pytest.mark.parametrize("key, value", [("k", "0"), ("k", "51"), ("k", "ten"), ("pool", "maker"),
                                        ("payment", "half"), ("market_lr", "nan"), ("market_steps", "-5")])
def test_a_bad_view_value_gets_a_message_and_keeps_the_scenario(key: str, value: str) -> None:
    at = open_app("markets", {"preset": "notebook-log", key: value})
    (warning,) = warnings(at)
    assert warning.startswith(f"The link's '{key}' setting ({value!r}) is not valid; using ")
    assert scenario_of(at) == PRESETS["notebook-log"].scenario
    assert table(at, 0) is not None


@pytest.mark.parametrize("preset, why", [("self-defeating", "the human's response jumps"),
                                         ("five-candidates", "two or three outcomes (this scenario has 5)"),
                                         ("decision-example", "the human's response jumps")])
def test_a_scenario_the_page_cannot_show_gets_a_message(preset: str, why: str) -> None:
    at = open_app("markets", {"preset": preset})
    (warning,) = warnings(at)
    assert warning.startswith("This page needs a world without jumps (softmax or a ramp), a proper scoring rule")
    assert why in warning
    assert not charts(at)
    at.button(key="load_market").click()
    rerun(at)
    assert scenario_of(at) == PRESETS["notebook-log"].scenario
    assert not warnings(at) and charts(at)


@pytest.mark.parametrize("name", list(MARKET_GALLERY))
def test_every_gallery_market_opens(name: str) -> None:
    entry = MARKET_GALLERY[name]
    at = open_app("markets", {"preset": entry.preset, **entry.view})
    assert not warnings(at)
    assert scenario_of(at) == PRESETS[entry.preset].scenario
    assert at.slider(key="market_k").value == entry.k
    learning = set() if entry.pool == "lmsr" else {"market_learning"}
    assert set(charts(at)) == {"market_map", "market_curve"} | learning


def test_the_market_maker_story_holds() -> None:
    # "each about halves the price's distance to the fixed point, which no trader moves once it is there": the
    # ratio tends to |M′| = |s/(2s − 1)| = 1/2 (docs/theory.md#markets), within 10% from the second trader on.
    entry = MARKET_GALLERY["notebook-maker"]
    scenario = PRESETS[entry.preset].scenario
    found = analyze_market(Market.equal(scenario.world, scenario.rule, entry.k, entry.pool))
    d = np.abs(found.chosen.reports[:, 0] - 0.675)
    np.testing.assert_allclose(d[2:] / d[1:-1], 0.5, rtol=0.1)
    assert 0.4 < d[1] / d[0] < 0.6
    (rest,) = found.rest_points
    assert rest.exact and rest.attracts


def test_the_bank_run_story_holds() -> None:
    # "each bends its report far less than a lone forecaster would": 20 traders vs 1, distance to the fixed point.
    scenario = PRESETS["bank-run"].scenario
    alone, twenty = (analyze_market(Market.equal(scenario.world, scenario.rule, k)).chosen for k in (1, 20))
    assert alone.exact and twenty.exact
    assert twenty.distance_to_fixed_point < alone.distance_to_fixed_point / 10
