"""The app starts in a real browser and shows its title."""

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import wait_for_app

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_home_page_shows_title(app_url, page):
    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Prediction fixed points")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
