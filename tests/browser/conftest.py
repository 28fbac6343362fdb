"""Fixtures for the real-browser tests: a Streamlit server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import (
    CHROMIUM_PATH,
    RERUN_TIMEOUT_MS,
    VIEWPORT,
    AppServer,
    AppStartError,
    chromium_available,
    running_app,
)

_servers: list[AppServer] = []

# An assertion on the page waits as long as a rerun may take (Playwright's default is 5 s): the suite runs on two
# workers, each with a server and a browser, on a machine that may have two cores.
expect.set_options(timeout=RERUN_TIMEOUT_MS)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with `browser`, so `-m "not browser"` skips them all."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """If a browser test fails because the server died, say so (with its stderr) in the report."""
    report = yield
    if report.failed and _servers and (death := _servers[-1].death()):
        report.sections.append(("Streamlit server", death))
    return report


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port and yield its base URL."""
    try:
        with running_app() as server:
            _servers.append(server)
            yield server.url
    except AppStartError as err:
        pytest.fail(str(err))
    finally:
        _servers.clear()


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by the session; skips (visibly, see .ci/run) if there is no browser."""
    if not chromium_available():
        pytest.skip(
            f"no browser: Chromium not found at {CHROMIUM_PATH} "
            "(apt-get install -y chromium, or set CHROMIUM_PATH)"
        )
    # Imported here so that collecting the other tests does not require Playwright.
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no shared cookies or storage between tests)."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
