"""Every page renders in a real browser: no exception, and the chart pages draw their Plotly charts."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PLOT, open_page, plot_count, wait_for_plots

# (URL path, heading, number of Plotly charts the page draws)
PAGES = [
    ("/", "Prediction fixed points", 0),
    ("/binary", "Two outcomes", 3),
    ("/triangle?preset=coordination", "Three outcomes", 1),
    ("/scoring-rules", "Scoring rules side by side", 2),
    ("/theory", "Theory", 0),
]


@pytest.mark.parametrize(("path", "heading", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_page_renders(app_url, page, path, heading, charts):
    open_page(page, app_url + path)  # fails if an stException element is shown
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    if charts:
        wait_for_plots(page, charts)  # each has trace data and has drawn its SVG
        for plot in page.locator(PLOT).all():
            expect(plot.locator("svg.main-svg").first).to_be_visible()
            # Something was actually drawn: traces in the plot area, not just empty axes.
            assert plot.locator("g.trace, g.scatterlayer path, g.heatmaplayer image, g.contourlayer path").count()
    assert plot_count(page) == charts
