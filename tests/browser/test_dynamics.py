"""The Dynamics page in a real browser: it draws its charts on two and three outcomes (screenshots saved to
tests/browser/artifacts/dynamics-*.png), and the address bar follows the step-size slider."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    EXCEPTION,
    REPO_ROOT,
    assert_charts_drawn,
    move_slider,
    open_page,
    plot_data,
    poll,
    query,
    settle,
    slider,
    wait_for_plots,
)

ETA = "step size η"
ARTIFACTS = REPO_ROOT / "tests" / "browser" / "artifacts"
#: Two outcomes: the threshold strip, the paths, the cobweb. Three: the threshold strip, trajectories, basins.
CHARTS = 3
#: A first view runs a map of 20,301 starts; on a shared machine that can take longer than the default waits.
WAIT_MS = 120_000


def open_dynamics(page: Page, url: str) -> None:
    open_page(page, url, timeout_ms=WAIT_MS)  # fails if an stException element is shown
    expect(page.get_by_role("heading", name="Dynamics", exact=True)).to_be_visible()
    wait_for_plots(page, CHARTS, timeout_ms=WAIT_MS)


@pytest.mark.parametrize(("preset", "traces"), [
    ("notebook-quadratic", {"stop-gradient ascent", "full gradient ascent", "repeated prediction"}),
    ("coordination", {"paths", "starts"}),
])
def test_the_dynamics_page_renders(app_url, page, preset, traces):
    open_dynamics(page, f"{app_url}/dynamics?preset={preset}")
    expect(page.locator(EXCEPTION)).to_have_count(0)
    assert_charts_drawn(page, CHARTS)
    names = {t.get("name") for chart in plot_data(page) for t in chart}
    assert traces <= names
    expect(page.get_by_text(re.compile(r"^From the [\d,]+ starts of the map"))).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dynamics-{preset}.png"), full_page=True)


def test_the_link_follows_the_step_size(app_url, page):
    open_dynamics(page, f"{app_url}/dynamics?preset=notebook-quadratic")
    assert query(page)["dyn_eta"] == "0.05"
    before = plot_data(page)[1]
    move_slider(page, ETA, "ArrowRight", presses=5)
    expect(slider(page, ETA).get_by_test_id("stSliderThumbValue")).to_have_text("0.055")
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]dyn_eta=0\.055(&|$)"), timeout=WAIT_MS),
           timeout_ms=WAIT_MS)
    assert poll(lambda: plot_data(page)[1] != before, timeout_ms=WAIT_MS), "the paths did not follow the step size"
