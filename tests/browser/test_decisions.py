"""The decisions page in a real browser: it draws its charts, its training view goes into the address bar, and
the link brings back the same training."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    EXCEPTION,
    LOAD_TIMEOUT_MS,
    VIEWPORT,
    assert_charts_drawn,
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

EPSILON = "exploration ε while training"
CHARTS = 3  # the reports, and two learning curves (distance from the truth, the human's utility)
LEARNING = slice(1, 3)


def open_decisions(page: Page, url: str) -> None:
    open_page(page, url)  # fails if an stException element is shown
    expect(page.get_by_role("heading", name="Decisions", exact=True)).to_be_visible()
    wait_for_plots(page, CHARTS)


def test_the_decisions_page_renders(app_url, page):
    open_decisions(page, f"{app_url}/decisions?preset=decision-three")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert_charts_drawn(page, CHARTS)
    reports, distance, utility = plot_data(page)
    assert [t["name"] for t in reports] == ["truth Q", "honest", "single predictor", "zero-sum pair"]
    assert reports[0]["x"] == ["treatment A", "treatment B", "treatment C"]
    assert reports[0]["y"] == pytest.approx([0.2, 0.5, 0.6])
    # 4 default variants: one distance line per action (3), one utility line each.
    assert len(distance) == 4 * 3 and len(utility) == 4
    assert "preset" not in query(page) and query(page)["train_eps"] == "0.0"
    expect(page.get_by_text("None", exact=True)).to_have_count(0)  # no stray output (Streamlit's magic)


def test_the_exploration_slider_goes_into_the_link_and_comes_back(app_url, page, browser):
    open_decisions(page, f"{app_url}/decisions?preset=decision-three")
    assert slider_value(page, EPSILON) == "0.00"
    default_learning = plot_data(page)[LEARNING]
    before = query(page)

    move_slider(page, EPSILON, "ArrowRight", presses=5)
    expect(slider(page, EPSILON).get_by_test_id("stSliderThumbValue")).to_have_text("0.05")
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]train_eps=0\.05(&|$)")))
    assert float(query(page)["train_eps"]) == pytest.approx(0.05)
    # Only the exploration setting changed in the link.
    assert {k: v for k, v in query(page).items() if k != "train_eps"} == {
        k: v for k, v in before.items() if k != "train_eps"}
    # The learning curves follow (Plotly redraws after the run ends): exploration teaches every action.
    assert poll(lambda: plot_data(page)[LEARNING] != default_learning), "the learning charts did not change"
    link = page.url

    context = browser.new_context(viewport=VIEWPORT)  # a new Streamlit session
    try:
        other = context.new_page()
        open_decisions(other, link)
        assert path(other) == "/decisions"
        assert slider_value(other, EPSILON) == slider_value(page, EPSILON) == "0.05"
        assert query(other) == query(page)
        reopened = plot_data(other)
        original = poll(lambda: (lambda d: d if d == reopened else None)(plot_data(page)))
        assert original == reopened
        assert reopened[LEARNING] != default_learning
        # Every learning line: the same variant and action, the same numbers.
        lines = [(t["name"], t["y"]) for chart in reopened[LEARNING] for t in chart]
        assert len(lines) == 4 * 3 + 4
        assert lines == [(t["name"], t["y"]) for chart in original[LEARNING] for t in chart]
    finally:
        context.close()


def test_the_dishonest_equilibrium_shows_for_the_risky_safe_preset(app_url, page):
    """tests/core/decisions/test_equilibria.py derives it: under the mean rule both predictors saying "risky" always
    fails is an equilibrium, and the human gets 0.6 instead of 0.8. The preset's link opens the mean rule."""
    open_page(page, f"{app_url}/decisions?preset=decision-risky-safe&pair=mean")
    expect(page.get_by_role("heading", name="Decisions", exact=True)).to_be_visible()
    wait_for_plots(page, CHARTS + 1)  # the reports, the equilibrium's values, two learning curves
    expect(page.locator(EXCEPTION)).to_have_count(0)
    expect(page.get_by_text("But it is not the only equilibrium under the mean rule")).to_be_visible()
    expect(page.get_by_text("gets 0.6 instead of 0.8 (a loss of 0.2)")).to_be_visible()
    expect(page.get_by_text("at most 0.5 < 0.6")).to_be_visible()
    figures = plot_data(page)
    assert [t["name"] for t in figures[1]] == ["true value q", "value the human sees",
                                               "one predictor alone can move it within"]
    assert query(page)["pair"] == "mean"

    page.get_by_text("the more optimistic report").click()  # the optimistic rule: no dishonest equilibrium
    # The rerun also retrains (under the new rule): allow it the time of a first load.
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]pair=optimistic(&|$)"), timeout=LOAD_TIMEOUT_MS),
           timeout_ms=LOAD_TIMEOUT_MS)
    expect(page.get_by_text("No dishonest equilibrium exists")).to_be_visible()
    expect(page.get_by_text("But it is not the only equilibrium")).to_have_count(0)
    wait_for_plots(page, CHARTS)
