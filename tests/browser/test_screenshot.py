"""The README's screenshot of the two-outcome page, taken in a real browser.

Always saved to tests/browser/artifacts/binary.png; with UPDATE_README_SCREENSHOT=1 also to docs/binary-page.png.
"""

import os
import shutil

from playwright.sync_api import expect

from tests.browser.helpers import REPO_ROOT, open_page, wait_for_plots

ARTIFACT = REPO_ROOT / "tests" / "browser" / "artifacts" / "binary.png"
README_IMAGE = REPO_ROOT / "docs" / "binary-page.png"
VIEWPORT = {"width": 1400, "height": 1000}


def test_binary_page_screenshot(app_url, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        open_page(page, f"{app_url}/binary")
        wait_for_plots(page, 3)
        # The first screen shows the sentence, the metric cards and the two charts.
        expect(page.get_by_test_id("stMetric")).to_have_count(4)
        for plot in page.locator(".js-plotly-plot").all()[:2]:
            expect(plot).to_be_in_viewport()
        # Crop just above the next section (the results table), which would otherwise show cut in half.
        next_section = page.get_by_role("heading", name="Fixed points and the optimum").bounding_box()
        height = min(VIEWPORT["height"], int(next_section["y"]) - 8) if next_section else VIEWPORT["height"]
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACT), clip={"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height})
        assert ARTIFACT.stat().st_size > 10_000
    finally:
        context.close()
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1":
        README_IMAGE.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACT, README_IMAGE)
