"""What only a real browser shows about the layout: the world's table fits on a wide screen, and on a phone
the charts' legends stay clear of the axis titles. Screenshots go to tests/browser/artifacts/."""

from pathlib import Path
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from core.model.scenario import MAX_ACTIONS, MAX_OUTCOMES
from tests.browser.helpers import open_page, wait_for_plots

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
#: The largest policy world: 6 outcomes, 8 actions, so 1 + 2 × 6 columns.
OUTCOMES = ["jam on A", "jam on B", "no jam", "fog", "rain", "snow"][:MAX_OUTCOMES]
WIDEST = {"outcomes": ",".join(OUTCOMES), "world": "policy", "rule": "quadratic", "policy": "softmax", "beta": "3.0",
          "actions": ",".join(f"action {i + 1}" for i in range(MAX_ACTIONS)),
          "Q": ";".join(["0.5,0.1,0.1,0.1,0.1,0.1"] * MAX_ACTIONS),
          "U": ";".join(",".join(str((i * j) % 7) for j in range(MAX_OUTCOMES)) for i in range(MAX_ACTIONS))}
BOXES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => {
    const box = el => { if (!el) return null; const b = el.getBoundingClientRect();
                        return {left: b.left, top: b.top, right: b.right, bottom: b.bottom}; };
    return {legend: box(plot.querySelector('g.legend')), xtitle: box(plot.querySelector('text.xtitle'))};
})"""


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_the_whole_table_shows_at_1440_px(app_url, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        open_page(page, f"{app_url}/scoring-rules?{urlencode(WIDEST)}")
        page.get_by_test_id("stSidebar").get_by_test_id("stPopover").get_by_role("button").click()
        grid = page.get_by_test_id("stPopoverBody").get_by_test_id("stDataFrame")
        expect(grid).to_be_visible()
        # The grid builds its (hidden, accessible) header row after the canvas appears: wait for the last column.
        expect(grid.locator("[role=columnheader]")).to_have_count(1 + 2 * len(OUTCOMES), timeout=15_000)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "table-1440.png"))
        box = grid.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1440
        # The grid draws on a canvas inside a scroller: every column shows when nothing is left to scroll to.
        content, visible = grid.locator(".dvn-scroller").evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert content <= visible, f"the table needs {content} px and shows {visible} px"
        headers = grid.evaluate("e => [...e.querySelectorAll('[role=columnheader]')].map(h => h.textContent)")
        assert headers == ["action"] + [f"{kind}({name})" for kind in "PU" for name in OUTCOMES]
    finally:
        context.close()


@pytest.mark.parametrize("path, charts, with_legend", [("binary?preset=self-defeating", 3, 3),
                                                       ("binary?preset=ramp", 3, 3),
                                                       ("scoring-rules?preset=notebook-log", 2, 1)])
def test_legends_clear_the_axis_titles_on_a_phone(app_url, browser, path, charts, with_legend):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_page(page, f"{app_url}/{path}")
        wait_for_plots(page, charts)
        ARTIFACTS.mkdir(exist_ok=True)
        plots = page.locator(".js-plotly-plot")
        for i in range(charts):
            plots.nth(i).scroll_into_view_if_needed()
            plots.nth(i).screenshot(path=str(ARTIFACTS / f"phone-{path.split('?')[1].split('=')[1]}-{i}.png"))
        checked = 0
        for boxes in page.evaluate(BOXES_JS):
            if boxes["legend"] and boxes["xtitle"]:
                assert not overlap(boxes["legend"], boxes["xtitle"]), boxes
                checked += 1
        assert checked == with_legend
    finally:
        context.close()


def test_a_wide_table_scrolls_in_its_own_box_on_a_phone(app_url, browser):
    """The scoring-rules table is wider than a phone: it scrolls sideways inside its box, and the page itself
    stays as wide as the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_page(page, f"{app_url}/scoring-rules?preset=notebook-log")
        table = page.locator("table.pfp-table")
        expect(table).to_have_count(1)
        widths = table.evaluate("t => ({table: t.scrollWidth, box: t.parentElement.clientWidth, "
                                "scrolls: getComputedStyle(t.parentElement).overflowX, page: "
                                "document.documentElement.scrollWidth})")
        assert widths["table"] > widths["box"] and widths["scrolls"] == "auto", widths
        assert widths["page"] <= 390, widths
    finally:
        context.close()
