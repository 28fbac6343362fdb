"""Every page of ui/pages.py renders in a real browser: its heading, no exception, and its Plotly charts drawn."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_charts_drawn, open_page, wait_for_plots
from ui.pages import HOME, PAGES

#: How many Plotly charts each page draws on the preset below (a new page needs an entry here).
CHARTS = {"home": 0, "binary": 3, "triangle": 1, "decisions": 3, "scoring-rules": 2, "dynamics": 3, "sweep": 1,
          "studies": 2, "theory": 0, "markets": 3}
#: A preset each page can show (the others open on the default scenario, two outcomes).
PRESET = {"triangle": "coordination", "decisions": "decision-example"}


def test_every_page_is_listed() -> None:
    assert set(CHARTS) == {spec.key for spec in PAGES}


@pytest.mark.parametrize("spec", PAGES, ids=[spec.key for spec in PAGES])
def test_page_renders(app_url, page, spec):
    path = "/" if spec.key == HOME else f"/{spec.key}"
    if spec.key in PRESET:
        path += f"?preset={PRESET[spec.key]}"
    open_page(page, app_url + path)  # fails if an stException element is shown
    expect(page.get_by_role("heading", name=spec.heading, exact=True)).to_be_visible()
    charts = CHARTS[spec.key]
    if charts:
        wait_for_plots(page, charts)  # each has trace data and has drawn its SVG
    assert_charts_drawn(page, charts)
