"""The Sweep page in a real browser: the diagram and the map draw, the view is in the address bar, and
clicking a cell of the map opens that scenario on its page. Screenshots go to tests/browser/artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.helpers import PLOT, REPO_ROOT, open_page, path, plot_data, poll, query, wait_for_app, wait_for_plots

ARTIFACTS = REPO_ROOT / "tests" / "browser" / "artifacts"
VIEWPORT = {"width": 1400, "height": 1100}
FIVE = ("mode=diagram&param=world.beta&from=0.0&to=20.0&num=21&plot=uniform")
MAP = ("mode=map&param=world.p_star&from=0.0&to=1.0&num=21&param2=world.alpha&from2=0.0&to2=0.9&num2=19"
       "&quantity=inaccuracy")


def test_the_diagram_draws_branches_and_bifurcations(app_url, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        open_page(page, f"{app_url}/sweep?preset=five-candidates&{FIVE}", timeout_ms=300_000)  # a shared machine: slow
        wait_for_plots(page, 1)
        expect(page.get_by_role("heading", name="Sweeps", exact=True)).to_be_visible()
        (traces,) = plot_data(page)
        names = {t["name"] for t in traces}
        assert {"fixed points, attracting", "fixed points, saddle", "fold (a pair is born)", "stability change"} <= names
        assert query(page)["param"] == "world.beta" and query(page)["beta"] == "4.0"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sweep-diagram.png"), full_page=True)
    finally:
        context.close()


def test_clicking_a_map_cell_opens_its_scenario(app_url, browser):
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        open_page(page, f"{app_url}/sweep?preset=notebook-log&{MAP}")
        wait_for_plots(page, 1)
        (traces,) = plot_data(page)
        assert traces[0]["type"] == "heatmap" and len(traces[0]["z"]) == 19 and len(traces[0]["z"][0]) == 21
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "sweep-map.png"), full_page=True)
        # Click the middle of the plotting area: the cell nearest it is p* = 0.5, α = 0.45.
        area = page.locator(PLOT).first.locator("g.draglayer .nsewdrag").bounding_box()
        page.mouse.move(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
        page.mouse.click(area["x"] + area["width"] / 2, area["y"] + area["height"] / 2)
        poll(lambda: path(page).endswith("/binary"))
        wait_for_app(page)
        assert path(page).endswith("/binary")
        assert (float(query(page)["p_star"]), float(query(page)["alpha"]), query(page)["rule"]) == (0.5, 0.45, "log")
    finally:
        context.close()


def test_a_gallery_sweep_opens_from_the_home_page(app_url, page):
    open_page(page, app_url)
    page.locator('a[href*="gallery=optimum-vs-slope"]').click()
    poll(lambda: path(page).endswith("/sweep") and query(page).get("param") == "world.alpha")
    wait_for_app(page)
    wait_for_plots(page, 1)
    assert (query(page)["param"], query(page)["from"], query(page)["to"], query(page)["num"]) == (
        "world.alpha", "-0.3", "0.95", "200")
