"""The pages' "Download as notebook / as Python script" in a real browser: the file downloaded runs (the notebook in
a real kernel) and prints the numbers of the page it came from."""

from __future__ import annotations

import pytest

from core.analysis import analyze
from core.model.presets import get_preset
from tests.browser.helpers import open_page
from tests.notebooks import run_notebook


@pytest.mark.parametrize("page_path, preset", [("binary", "bank-run"), ("triangle", "route-choice")])
def test_the_downloaded_notebook_reproduces_the_page(app_url, page, tmp_path, page_path: str, preset: str):
    open_page(page, f"{app_url}/{page_path}?preset={preset}")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as notebook").click()
    target = tmp_path / "view.ipynb"
    info.value.save_as(target)
    report, _ = run_notebook(target.read_text())
    assert report == analyze(get_preset(preset).scenario).report()


def test_the_script_download_is_offered(app_url, page):
    open_page(page, f"{app_url}/binary?preset=notebook-log")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as Python script").click()
    assert info.value.suggested_filename == "two-outcome-results.py"
    text = open(info.value.path()).read()
    assert "Scenario.from_json(" in text and "analysis.report()" in text
