"""The address bar follows the sidebar, a shared link reopens the same view, and bad links are harmless."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.model.presets import get_preset
from core.model.scenario import Scenario
from tests.browser.helpers import (
    ALERT,
    EXCEPTION,
    VIEWPORT,
    metric_value,
    move_slider,
    open_page,
    path,
    plot_data,
    poll,
    query,
    settle,
    slider,
    slider_value,
    wait_for_plots,
)

DEFAULT = get_preset("notebook-quadratic").scenario
DEFAULT_INACCURACY = "0.09375"  # the notebook's worked example: p̂ = 0.125, f(p̂) = 0.21875
SLOPE = "slope α"
BAD_LINK = "This link's scenario could not be read"


def scenario_in_url(page: Page) -> Scenario:
    return Scenario.from_query_params(query(page))


def move_slope(page: Page, presses: int = 3) -> str:
    """On /binary, press → on the slope slider; wait until the URL carries the new value; return it."""
    before = slider_value(page, SLOPE)
    move_slider(page, SLOPE, "ArrowRight", presses)
    expect(slider(page, SLOPE).get_by_test_id("stSliderThumbValue")).not_to_have_text(before)
    shown = slider_value(page, SLOPE)
    settle(page, lambda: expect(page).to_have_url(re.compile(rf"[?&]alpha={re.escape(shown)}(&|$)")))
    return shown


def test_moving_a_slider_rewrites_the_url(app_url, page):
    open_page(page, f"{app_url}/binary")
    assert slider_value(page, SLOPE) == "0.25"
    assert float(query(page)["alpha"]) == 0.25
    shown = move_slope(page, presses=3)
    assert shown == "0.28"
    assert float(query(page)["alpha"]) == pytest.approx(0.28)
    assert scenario_in_url(page).world.alpha == pytest.approx(0.28)
    # The rest of the link still describes the same scenario, and the view settings stay in it.
    assert query(page)["world"] == "linear" and query(page)["rule"] == "quadratic"
    assert {"start", "steps"} <= query(page).keys()
    # The page recomputed: the inaccuracy is no longer the default's.
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(DEFAULT_INACCURACY)


def test_a_shared_link_reopens_the_same_view(app_url, page, browser):
    open_page(page, f"{app_url}/binary")
    wait_for_plots(page, 3)
    default_figures = plot_data(page)
    move_slope(page, presses=4)
    expect(page.get_by_test_id("stMetricValue").first).not_to_have_text(DEFAULT_INACCURACY)
    # The figures follow the slider (Plotly redraws after the script run ends).
    assert poll(lambda: plot_data(page) != default_figures), "the charts did not change with the slider"
    link = page.url

    context = browser.new_context(viewport=VIEWPORT)  # a new Streamlit session
    try:
        other = context.new_page()
        open_page(other, link)
        wait_for_plots(other, 3)
        assert path(other) == "/binary"
        assert slider_value(other, SLOPE) == slider_value(page, SLOPE) == "0.29"
        assert metric_value(other, "Inaccuracy") == metric_value(page, "Inaccuracy")
        assert query(other) == query(page)
        reopened = plot_data(other)
        original = poll(lambda: (lambda d: d if d == reopened else None)(plot_data(page)))
        assert original == reopened == plot_data(other)
        assert reopened != default_figures
        # In particular the markers (fixed point, optimum) sit at the same places.
        markers = [(t["name"], t["x"], t["y"]) for fig in reopened for t in fig if t["mode"] == "markers"]
        assert markers and markers == [(t["name"], t["x"], t["y"])
                                       for fig in original for t in fig if t["mode"] == "markers"]
    finally:
        context.close()


@pytest.mark.parametrize("bad_query", ["world=nonsense", "world=linear&alpha=abc"])
def test_a_bad_link_warns_and_shows_the_default(app_url, page, bad_query):
    open_page(page, f"{app_url}/binary?{bad_query}")  # fails if an stException element is shown
    warning = page.locator(ALERT).filter(has_text=BAD_LINK)
    expect(warning).to_have_count(1)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Showing the default scenario instead")
    assert "Traceback" not in page.locator("body").inner_text()
    expect(page.locator(EXCEPTION)).to_have_count(0)
    # The page still works, with the default scenario, and the address bar now holds that scenario.
    wait_for_plots(page, 3)
    assert metric_value(page, "Inaccuracy") == DEFAULT_INACCURACY
    assert slider_value(page, SLOPE) == "0.25"
    assert scenario_in_url(page) == DEFAULT


def test_the_cobweb_view_comes_back_from_the_link(app_url, page):
    open_page(page, f"{app_url}/binary?start=0.3&steps=5")
    wait_for_plots(page, 3)
    assert slider_value(page, "start: P(event)") == "0.30"
    assert slider_value(page, "rounds") == "5"
    assert float(query(page)["start"]) == 0.3 and query(page)["steps"] == "5"
    expect(page.locator(ALERT).filter(has_text="not valid")).to_have_count(0)
    cobweb = next(t for t in plot_data(page)[2] if t["mode"] == "lines+markers")
    assert cobweb["x"][0] == pytest.approx(0.3)


def test_a_bad_cobweb_setting_warns_and_uses_the_default(app_url, page):
    open_page(page, f"{app_url}/binary?start=abc&steps=5")
    wait_for_plots(page, 3)
    expect(page.locator(ALERT).filter(has_text="'start' setting")).to_have_count(1)
    assert slider_value(page, "start: P(event)") == "0.90"
    assert slider_value(page, "rounds") == "5"
    assert float(query(page)["start"]) == 0.9


@pytest.mark.parametrize(
    ("card", "label", "page_path", "heading", "preset", "world"),
    [
        ("Three-way coordination", "Open on the Three outcomes page", "/triangle", "Three outcomes",
         "coordination", "policy"),
        ("Bank run", "Open on the Two outcomes page", "/binary", "Two outcomes", "bank-run", "logistic"),
    ],
    ids=["coordination", "bank-run"],
)
def test_a_gallery_link_opens_its_preset(app_url, page, card, label, page_path, heading, preset, world):
    open_page(page, app_url)
    # The card's own container: the innermost block that holds its title (its ancestors come first).
    block = page.get_by_test_id("stVerticalBlock").filter(
        has=page.get_by_text(card, exact=True)).last
    link = block.get_by_role("link", name=label)
    expect(link).to_have_count(1)
    link.click()
    settle(page, lambda: expect(page).to_have_url(re.compile(rf"{re.escape(page_path)}\?.*world={world}")))
    assert path(page) == page_path
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert "preset" not in query(page)  # consumed: the link now describes the scenario itself
    assert scenario_in_url(page) == get_preset(preset).scenario


def test_a_page_that_refuses_the_scenario_still_leaves_its_link(app_url, page, browser):
    """/decisions?preset=bank-run: the page ends early (bank-run is no decision problem), yet the address bar
    carries bank-run, and opening that address again shows the same refusal for the same scenario."""
    open_page(page, f"{app_url}/decisions?preset=bank-run")
    expect(page.get_by_test_id("stAlert").filter(has_text="This page needs a human")).to_be_visible()
    poll(lambda: "world" in query(page))
    assert path(page) == "/decisions" and "preset" not in query(page)
    assert scenario_in_url(page) == get_preset("bank-run").scenario
    other = browser.new_context(viewport=VIEWPORT).new_page()
    try:
        open_page(other, page.url)
        expect(other.get_by_test_id("stAlert").filter(has_text="This page needs a human")).to_be_visible()
        assert scenario_in_url(other) == get_preset("bank-run").scenario
    finally:
        other.context.close()
