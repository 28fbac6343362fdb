"""The pages' "Download as notebook / as Python script" in a real browser: the file downloaded is the export of the
address the page shows (its scenario and settings), and it runs (the notebook in a real kernel), printing the
numbers of the page it came from. (tests/pages/test_export.py compares those numbers with the page's, table by
table.)"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

import pytest

from core.analysis import analyze
from core.export import export, read_link, settings
from core.model.presets import get_preset
from tests.browser.helpers import open_page, plot_data, wait_for_plots
from tests.notebooks import json_values, printed, run_notebook


def _shown(page) -> tuple:
    """The scenario, page and settings of the address the browser shows (the app keeps it up to date)."""
    return read_link(page.url)


@pytest.mark.parametrize("page_path, query", [
    ("binary", "preset=bank-run"), ("triangle", "preset=route-choice"),
    ("dynamics", "preset=coordination&dyn_method=repeated&dyn_steps=100"),
    ("sweep", "preset=notebook-log&mode=diagram&param=world.alpha&from=0&to=0.4&num=9")])
def test_the_downloaded_notebook_is_the_export_of_the_address_and_runs(app_url, page, tmp_path, page_path: str,
                                                                        query: str):
    open_page(page, f"{app_url}/{page_path}?{query}")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as notebook").click()
    target = tmp_path / "view.ipynb"
    info.value.save_as(target)
    scenario, view, params = _shown(page)
    assert view == page_path
    asked = dict(parse_qsl(query))
    preset = asked.pop("preset")
    assert scenario == get_preset(preset).scenario
    shown = settings(scenario, view, params)
    assert all(shown[key] == settings(scenario, view, {key: text})[key] for key, text in asked.items())
    assert target.read_text() == export(scenario, view, "ipynb", params)
    text = printed(run_notebook(target.read_text()))
    if page_path in ("binary", "triangle"):
        assert json_values(text) == [analyze(scenario).report()]
    else:
        assert text.strip()


def test_the_script_download_is_offered(app_url, page):
    open_page(page, f"{app_url}/binary?preset=notebook-log")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as Python script").click()
    assert info.value.suggested_filename == "two-outcomes.py"
    scenario, view, params = _shown(page)
    assert open(info.value.path()).read() == export(scenario, view, "py", params)


def test_the_sweeps_figure_downloads_as_the_figure_drawn(app_url, page):
    open_page(page, f"{app_url}/sweep?preset=notebook-log&mode=diagram&param=world.alpha&from=0&to=0.4&num=9")
    wait_for_plots(page, 1)
    (traces,) = plot_data(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the figure (HTML)").click()
    assert info.value.suggested_filename == "sweep-world.alpha.html"
    html = open(info.value.path()).read()
    assert html.startswith("<!doctype html>")
    drawn = {json.loads(f'"{name}"') for name in re.findall(r'"name":"((?:[^"\\]|\\.)*)"', html)}
    assert traces and {t["name"] for t in traces} <= drawn
