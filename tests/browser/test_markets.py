"""The Markets page in a real browser: it draws its three charts, the number of predictors goes into the address
bar and moves the announcement, and the link brings back the same market."""

import re

import pytest
from playwright.sync_api import Page, expect

from core.markets import Market, analyze_market
from core.model.presets import get_preset

from tests.browser.helpers import (EXCEPTION, assert_charts_drawn, move_slider, open_page, plot_data, query, settle,
                                   slider, slider_value, wait_for_plots)

K = "number of predictors k"
CHARTS = 3  # the announcement on the picture, the distance against k, the learning curves
ANNOUNCEMENT = "market's announcement A, at f(A)"


def symmetric(k: int) -> float:
    """notebook-quadratic (p* = α = 1/4), quadratic rule: (2(1 − α)p* − α/k)/(2(1 − α) − 2α/k)."""
    return (2 * 0.75 * 0.25 - 0.25 / k) / (2 * 0.75 - 0.5 / k)


def announcement(page: Page) -> float:
    (trace,) = [t for t in plot_data(page)[0] if t["name"] == ANNOUNCEMENT]
    return trace["x"][0]


def open_markets(page: Page, url: str) -> None:
    open_page(page, url)
    expect(page.get_by_role("heading", name="Markets", exact=True)).to_be_visible()
    wait_for_plots(page, CHARTS)


def test_the_slider_moves_the_announcement_and_the_link_brings_it_back(app_url, page, browser):
    open_markets(page, f"{app_url}/markets?preset=notebook-quadratic&k=4")
    assert_charts_drawn(page, CHARTS)
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert slider_value(page, K) == "4"
    assert announcement(page) == pytest.approx(symmetric(4), abs=1e-9)

    move_slider(page, K, "ArrowRight", presses=2)
    expect(slider(page, K).get_by_test_id("stSliderThumbValue")).to_have_text("6")
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]k=6(&|$)")))
    wait_for_plots(page, CHARTS)
    assert announcement(page) == pytest.approx(symmetric(6), abs=1e-9)
    expect(page.get_by_text(re.compile(r"^With 6 equal predictors the market's forecast is"))).to_be_visible()

    link = page.url
    other = browser.new_page()
    try:
        open_markets(other, link)
        assert slider_value(other, K) == "6"
        assert query(other)["k"] == "6" and query(other)["pool"] == "linear"
        assert announcement(other) == pytest.approx(symmetric(6), abs=1e-9)
    finally:
        other.close()


def test_a_bad_link_value_gets_a_message_and_the_page_still_draws(app_url, page):
    open_markets(page, f"{app_url}/markets?preset=notebook-quadratic&k=500&pool=maker")
    expect(page.get_by_text(re.compile(r"The link's 'k' setting \('500'\) is not valid"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"The link's 'pool' setting \('maker'\) is not valid"))).to_be_visible()
    assert slider_value(page, K) == "10"
    assert announcement(page) == pytest.approx(symmetric(10), abs=1e-9)
    expect(page.locator(EXCEPTION)).to_have_count(0)


def test_choosing_the_market_maker_shows_the_traders_prices(app_url, page):
    # notebook-log, 5 traders in turn: the price after each, as the core computes it.
    scenario = get_preset("notebook-log").scenario
    expected = analyze_market(Market.equal(scenario.world, scenario.rule, 5, "lmsr")).chosen.reports[:, 0]
    open_markets(page, f"{app_url}/markets?preset=notebook-log&k=5")
    page.get_by_text("market maker (LMSR): traders in turn").click()
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]pool=lmsr(&|$)")))
    wait_for_plots(page, 2)
    expect(page.get_by_text(re.compile(r"^After 5 traders in turn the market maker's price is"))).to_be_visible()
    (trace,) = [t for t in plot_data(page)[0] if t["name"] == "the price after each trader"]
    assert trace["x"] == pytest.approx(list(expected), abs=1e-12)
    expect(page.locator(EXCEPTION)).to_have_count(0)
