"""The sidebar's "Share and save" panel: download the scenario as JSON, open a scenario file."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.model.presets import get_preset
from core.model.scenario import Scenario
from tests.browser.helpers import metric_value, move_slider, open_page, query, settle, slider_value, wait_for_plots

DEFAULT = get_preset("notebook-quadratic").scenario
BANK_RUN = get_preset("bank-run").scenario


def open_panel(page: Page) -> None:
    """Open the panel. On a busy machine a click that lands while the page is still settling can be lost, so
    click again while the expander is still closed (its <details> has no ``open``), then expect its content."""
    panel = page.get_by_test_id("stSidebar").get_by_test_id("stExpander").filter(has_text="Share and save")
    details = panel.locator("details")
    for _ in range(3):
        if details.get_attribute("open") is None:
            panel.get_by_text("Share and save", exact=True).click()
        try:
            expect(details).to_have_attribute("open", re.compile(".*"), timeout=3000)
            break
        except AssertionError:
            continue
    expect(panel.get_by_test_id("stFileUploader")).to_be_visible()


def upload(page: Page, file: Path) -> None:
    page.get_by_test_id("stSidebar").get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(file))


def test_download_gives_the_current_scenario(app_url, page, tmp_path):
    open_page(page, f"{app_url}/binary")
    open_panel(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the scenario (JSON)").click()
    download = info.value
    assert download.suggested_filename == "scenario.json"
    saved = tmp_path / "scenario.json"
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    json.loads(text)  # plain JSON
    assert Scenario.from_json(text) == DEFAULT == Scenario.from_query_params(query(page))


def test_a_bad_file_is_refused_and_changes_nothing(app_url, page, tmp_path):
    open_page(page, f"{app_url}/binary")
    wait_for_plots(page, 3)
    before = (metric_value(page, "Inaccuracy"), metric_value(page, "Distance to nearest"), page.url)
    open_panel(page)
    bad = tmp_path / "broken.json"
    bad.write_text('{"outcomes": ["a", "b"], "world": ', encoding="utf-8")
    upload(page, bad)
    error = page.get_by_test_id("stSidebar").get_by_test_id("stAlert").filter(
        has_text="That file is not a scenario this app can read")
    settle(page, lambda: expect(error).to_be_visible())
    expect(error).to_contain_text("Nothing was changed")
    assert (metric_value(page, "Inaccuracy"), metric_value(page, "Distance to nearest"), page.url) == before


def test_a_good_file_switches_the_scenario(app_url, page, tmp_path):
    open_page(page, f"{app_url}/binary")
    wait_for_plots(page, 3)
    before = metric_value(page, "Inaccuracy")
    open_panel(page)
    good = tmp_path / "bank-run.json"
    good.write_text(BANK_RUN.to_json(), encoding="utf-8")
    upload(page, good)
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]world=logistic(&|$)")))
    assert Scenario.from_query_params(query(page)) == BANK_RUN
    # The editor shows the new world's sliders, and the page recomputed.
    assert float(slider_value(page, "steepness k")) == pytest.approx(BANK_RUN.world.steepness)
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stAlert")).to_have_count(0)
    assert metric_value(page, "Inaccuracy") != before


def expect_share_link_is_the_address(page: Page) -> None:
    """The panel's link reads the page's own address (it follows the address bar within a moment)."""
    expect(page.get_by_test_id("stSidebar").locator(".pfp-link a")).to_have_text(page.url)


def test_the_copy_link_is_the_address_bar(app_url, page):
    """The panel's link is the page's own address, view settings included, also after moving to another page."""
    open_page(page, f"{app_url}/binary?start=0.3&steps=5")
    open_panel(page)
    assert "start=0.3" in page.url  # the view settings are in the address on the first run
    expect_share_link_is_the_address(page)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Scoring rules").click()
    settle(page, lambda: expect(page).to_have_url(re.compile(r"/scoring-rules\?")))
    expect_share_link_is_the_address(page)
    assert "start" not in query(page)  # no stale start/steps from the previous page
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Two outcomes").click()
    settle(page, lambda: expect(page).to_have_url(re.compile(r"/binary\?.*steps=")))
    expect_share_link_is_the_address(page)


def test_the_copy_button_puts_the_address_on_the_clipboard(app_url, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        open_page(page, f"{app_url}/binary?preset=bank-run")
        open_panel(page)
        button = page.get_by_test_id("stSidebar").get_by_role("button", name="Copy link")
        button.click()
        expect(page.get_by_test_id("stSidebar").get_by_role("button", name="Copied")).to_be_visible()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == page.url and Scenario.from_query_params(query(page)) == BANK_RUN
    finally:
        context.close()


def test_the_copy_link_follows_the_cobweb_controls(app_url, page):
    """The cobweb's controls rerun only their own section (an st.fragment, without app.py's closing steps); the
    address bar and the copy link still follow them, and the scenario stays in the link."""
    open_page(page, f"{app_url}/binary?start=0.3&steps=5")
    wait_for_plots(page, 3)
    open_panel(page)
    move_slider(page, "rounds", "ArrowRight", 2)
    settle(page, lambda: expect(page).to_have_url(re.compile(r"[?&]steps=7(&|$)")))
    assert slider_value(page, "rounds") == "7"
    expect_share_link_is_the_address(page)
    assert "start=0.3" in page.url
    assert Scenario.from_query_params(query(page)) == DEFAULT
