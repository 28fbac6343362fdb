"""Helpers shared by the browser tests."""

from playwright.sync_api import Page

# Streamlit marks its root element with the script's run state. Right after loading it reads "initial"
# (no run yet), so waiting for "notRunning" means the first run of the script has finished.
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'


def wait_for_app(page: Page, timeout_ms: float = 30_000) -> None:
    """Wait until the Streamlit script has finished running, then assert it showed no exception."""
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        raise AssertionError(f"The app shows an exception:\n{exceptions.first.inner_text()}")
