"""Charts in a real browser (ui/charts.py): a slider move updates each chart in place, keeps the reader's zoom,
and a chart out of sight draws its new figure when it scrolls into view."""

from __future__ import annotations

from tests.browser.helpers import PLOT, move_slider, open_page, plot_data, poll, wait_for_plots

MAP_TRACE = "f(p): what happens"
RANGES_JS = """() => { const l = document.querySelector('.js-plotly-plot')._fullLayout;
                       return [l.xaxis.range, l.yaxis.range]; }"""
FULL_RANGE = [[-0.02, 1.02], [-0.02, 1.02]]  # the map's axes (figures/binary.py)


def _to_top(page) -> None:
    page.get_by_role("heading", name="Two outcomes", exact=True).evaluate("h => h.scrollIntoView({block: 'start'})")


def _map_curve(page) -> list[float]:
    (trace,) = [t for t in plot_data(page)[0] if t["name"] == MAP_TRACE]
    return trace["y"]


def test_a_slider_move_updates_the_charts_in_place(app_url, page):
    open_page(page, f"{app_url}/binary?preset=bank-run")
    wait_for_plots(page, 3)
    _to_top(page)
    # Mark the plot elements, and zoom the map by dragging a box over its lower-left quarter, as a reader does.
    page.evaluate("""() => document.querySelectorAll('.js-plotly-plot').forEach((p, i) => { p.dataset.mark = i; })""")
    area = page.locator(PLOT).first.locator("g.draglayer .nsewdrag").bounding_box()
    page.mouse.move(area["x"] + 0.1 * area["width"], area["y"] + 0.9 * area["height"])
    page.mouse.down()
    page.mouse.move(area["x"] + 0.5 * area["width"], area["y"] + 0.5 * area["height"], steps=8)
    page.mouse.up()
    zoomed = poll(lambda: page.evaluate(RANGES_JS) != FULL_RANGE and page.evaluate(RANGES_JS))
    assert zoomed, "the drag did not zoom"
    before = _map_curve(page)
    move_slider(page, "steepness k")
    assert poll(lambda: _map_curve(page) != before), "the map did not change"
    wait_for_plots(page, 3)  # the cobweb, out of sight, draws once scrolled to
    marks = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(p => p.dataset.mark)")
    assert marks == ["0", "1", "2"]  # the same elements: updated, not rebuilt
    assert page.evaluate(RANGES_JS) == zoomed  # the zoom survived the new figure (layout.uirevision)


def test_a_chart_out_of_sight_waits_until_it_is_seen(app_url, page):
    page.set_viewport_size({"width": 1400, "height": 700})  # the cobweb well below the fold
    open_page(page, f"{app_url}/binary?preset=bank-run")
    wait_for_plots(page, 3)
    _to_top(page)
    cobweb = page.locator(".pfp-chart").nth(2)
    assert not cobweb.is_visible() or not cobweb.evaluate(
        "c => { const r = c.getBoundingClientRect(); return r.top < innerHeight + 100; }"), "the cobweb is in sight"
    before = cobweb.evaluate("c => JSON.stringify(c.data[1].y)")
    move_slider(page, "steepness k")
    assert poll(lambda: cobweb.evaluate("c => !!c.pfpPending")), "the cobweb should wait while out of sight"
    assert cobweb.evaluate("c => JSON.stringify(c.data[1].y)") == before
    cobweb.scroll_into_view_if_needed()
    assert poll(lambda: cobweb.evaluate("c => !c.pfpPending && JSON.stringify(c.data[1].y)") not in (False, before))
