"""The Studies page in a real browser: it draws, and a worst world's link opens that world on its explorer page."""

import pytest
from playwright.sync_api import expect

from core.model.scenario import Scenario
from core.studies import StudySpec, scenario_at
from tests.browser.helpers import (LOAD_TIMEOUT_MS, assert_no_exception, open_page, path, poll, query, wait_for_app,
                                   wait_for_plots)

OPEN = "open in the explorer"


@pytest.mark.parametrize(("outcomes", "explorer", "heading"), [(3, "/triangle", "Three outcomes"),
                                                               (5, "/scoring-rules", "Scoring rules side by side")])
def test_worst_world_link_opens_that_world(app_url, page, outcomes, explorer, heading):
    open_page(page, f"{app_url}/studies?study_outcomes={outcomes}&study_worlds=600&study_seed=2",
              timeout_ms=3 * LOAD_TIMEOUT_MS)
    wait_for_plots(page, 2)  # the histograms and the scatter with the bound
    link = page.get_by_role("link", name=OPEN).first
    row = link.locator("xpath=ancestor::tr")
    index = int(row.locator("td").first.inner_text())
    with page.context.expect_page() as opened:
        link.click()
    world_page = opened.value
    wait_for_app(world_page, 3 * LOAD_TIMEOUT_MS)
    assert_no_exception(world_page)
    expect(world_page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert path(world_page) == explorer
    # The app rewrites the address from the scenario it loaded: it must still be the world of that row.
    expected = scenario_at(StudySpec(outcomes=outcomes), 2, index)
    assert poll(lambda: Scenario.from_query_params(query(world_page)) == expected)
    world_page.close()
