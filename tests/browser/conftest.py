"""Fixtures for the real-browser tests: a Streamlit server and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

# `playwright install` cannot download browsers here, so Playwright drives the distribution's Chromium.
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium refuses to start with its sandbox.
    "--disable-gpu",
    # Nothing may reach the network: no update checks, no sync, no QUIC probes.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]

SERVER_START_TIMEOUT_S = 60
SERVER_STOP_TIMEOUT_S = 10


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser with `browser`, so `-m "not browser"` skips them all."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    # Port 0 lets the OS pick an unused port. It is released before Streamlit binds it, a tiny race that
    # is acceptable for a test server on the loopback interface.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Start `streamlit run app.py` on a free loopback port and yield its base URL."""
    port = _free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
    ]  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    # The server's output goes to temporary files, not pipes: a pipe nobody reads can fill up and block
    # the server, and the files are still there to report if the server never comes up.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _health_ok(f"{base_url}/_stcore/health"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    err.seek(0)
                    stderr = err.read().decode(errors="replace")
                    state = f"exited with code {proc.returncode}" if proc.poll() is not None else "timed out"
                    pytest.fail(f"Streamlit server did not come up ({state}): {' '.join(cmd)}\n{stderr}")
                time.sleep(0.25)
            yield base_url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=SERVER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium shared by the session; skips (visibly, see .ci/run) if there is no browser."""
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        pytest.skip(
            f"no browser: Chromium not found at {CHROMIUM_PATH} "
            "(apt-get install -y chromium, or set CHROMIUM_PATH)"
        )
    # Imported here so that collecting the other tests does not require Playwright.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser):
    """A fresh page in its own context (no shared cookies or storage between tests)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
