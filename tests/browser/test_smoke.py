"""The app starts in a real browser on its home page and shows its content: the heading, the introduction,
and a card for every preset with a link that opens it on its page."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import expect

from core.markets import MARKET_GALLERY
from core.model.presets import PRESETS
from tests.browser.helpers import open_page, plot_count
from ui.pages import HOME, page as page_spec

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def test_home_page_shows_its_content(app_url, page):
    open_page(page, app_url)  # fails if an exception is shown
    expect(page.get_by_role("heading", name=page_spec(HOME).heading, exact=True)).to_be_visible()
    expect(page.get_by_text("A forecast can change what it forecasts.")).to_be_visible()
    expect(page.get_by_role("heading", name="Start from an example")).to_be_visible()
    # One link per preset card (the sweeps gallery below links to the Sweeps page with ?gallery=, the markets
    # gallery to the Markets page with a preset and the market's view).
    markets = page.get_by_test_id("stPageLink").locator('a[href*="preset="][href*="markets"]')
    expect(markets).to_have_count(len(MARKET_GALLERY))
    for market in markets.all():
        query = parse_qs(urlsplit(market.get_attribute("href")).query)
        assert (query["preset"][0], query["k"][0]) in {(m.preset, str(m.k)) for m in MARKET_GALLERY.values()}
    links = page.get_by_test_id("stPageLink").locator('a[href*="preset="]:not([href*="markets"])')
    expect(links).to_have_count(len(PRESETS))
    for preset in PRESETS.values():
        expect(page.get_by_text(preset.title, exact=True)).to_be_visible()
    # The cards fill three columns, so the links come column by column: compare them as a set.
    shown = set()
    for link in links.all():
        href = urlsplit(link.get_attribute("href"))  # relative: "binary?preset=…"
        shown.add((href.path.rstrip("/").rpartition("/")[2], link.inner_text().removeprefix("play_arrow").strip(),
                   tuple(parse_qs(href.query)["preset"])))
    assert shown == {(p.page, f"Open on the {page_spec(p.page).title} page", (p.name,)) for p in PRESETS.values()}
    # Each card's line counts the preset's outcomes (regression: an honest optimum lost the whole line).
    expect(page.get_by_text(" outcomes · ", exact=False)).to_have_count(len(PRESETS))
    assert plot_count(page) == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
