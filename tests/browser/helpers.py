"""Helpers shared by the browser tests and the latency script: the server, the browser, and waiting.

Waiting for Streamlit: the root element carries the script's run state (``data-test-script-state``). Right after
loading it reads "initial"; during a run "running"; after it "notRunning". After an interaction the state goes to
"running" and back, but a fast rerun can be over before anyone looks, so "the state is notRunning" alone does not
prove the rerun happened. The tests therefore wait for an *effect* of the rerun (the URL, a metric, a chart) and
then for "notRunning" (:func:`settle`), always with bounded timeouts.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from deploy.scale_out import free_port

import numpy as np

if TYPE_CHECKING:  # Playwright is needed to drive a page, not to start the server.
    from playwright.sync_api import Locator, Page

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
VIEWPORT = {"width": 1400, "height": 1000}

SERVER_START_TIMEOUT_S = 60
SERVER_STOP_TIMEOUT_S = 10

APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
ALERT = '[data-testid="stAlert"]'
PLOT = ".js-plotly-plot"

# Bounded waits (ms): the first run of a page computes its analysis; later runs are mostly cached.
LOAD_TIMEOUT_MS = 30_000
RERUN_TIMEOUT_MS = 15_000


class AppStartError(RuntimeError):
    """The Streamlit server did not come up."""


# --- the server ------------------------------------------------------------------------------



def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class AppServer:
    """A running ``python -m deploy.serve`` (``streamlit run app.py``, warmed): its base URL, and what it printed
    if it died."""

    def __init__(self, url: str, proc: subprocess.Popen, err) -> None:
        self.url, self._proc, self._err = url, proc, err

    @property
    def pid(self) -> int:
        return self._proc.pid

    def death(self) -> str | None:
        """None while the server runs; otherwise its exit code and the end of its stderr."""
        if self._proc.poll() is None:
            return None
        self._err.seek(0)
        tail = self._err.read().decode(errors="replace")[-4000:]
        return f"the Streamlit server exited with code {self._proc.returncode}; its stderr ends:\n{tail}"


@contextmanager
def running_app(port: int | None = None, root: Path = REPO_ROOT) -> Iterator[AppServer]:
    """Run `python -m deploy.serve` (`streamlit run app.py`, warmed) in ``root`` (the repository by default) on a
    loopback port (a free one by default) until the block ends.

    Raises :class:`AppStartError` (with the server's stderr) if it does not answer its health check in time.
    """
    port = port or free_port()
    cmd = [
        sys.executable, "-m", "deploy.serve",
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
        proc = subprocess.Popen(cmd, cwd=root, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while not _health_ok(f"{base_url}/_stcore/health"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    err.seek(0)
                    stderr = err.read().decode(errors="replace")
                    state = f"exited with code {proc.returncode}" if proc.poll() is not None else "timed out"
                    raise AppStartError(f"Streamlit server did not come up ({state}): {' '.join(cmd)}\n{stderr}")
                time.sleep(0.25)
            yield AppServer(base_url, proc, err)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=SERVER_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def chromium_available() -> bool:
    return os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)


def launch_chromium(playwright):
    """Headless Debian Chromium with the flags this environment needs."""
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)


# --- waiting ---------------------------------------------------------------------------------


def assert_no_exception(page: Page) -> None:
    exceptions = page.locator(EXCEPTION)
    if exceptions.count():
        raise AssertionError(f"The app shows an exception:\n{exceptions.first.inner_text()}")


def wait_for_app(page: Page, timeout_ms: float = LOAD_TIMEOUT_MS) -> None:
    """Wait until the Streamlit script has finished running, then assert it showed no exception."""
    page.wait_for_selector(APP_IDLE, timeout=timeout_ms)
    assert_no_exception(page)


def open_page(page: Page, url: str, timeout_ms: float = LOAD_TIMEOUT_MS) -> None:
    """Load ``url`` and wait for the first run of the script to finish (without an exception)."""
    page.goto(url)
    wait_for_app(page, timeout_ms)


def settle(page: Page, effect: Callable[[], Any], timeout_ms: float = RERUN_TIMEOUT_MS) -> None:
    """After an interaction: wait for ``effect`` (an ``expect`` or ``wait_for`` call that only passes once
    the rerun has produced its result), then for the script to stop running, then check for exceptions."""
    effect()
    wait_for_app(page, timeout_ms)


# --- reading the page ------------------------------------------------------------------------


def query(page: Page) -> dict[str, str]:
    """The current URL's query parameters (one value each)."""
    return {key: values[-1] for key, values in parse_qs(urlsplit(page.url).query, keep_blank_values=True).items()}


def path(page: Page) -> str:
    return urlsplit(page.url).path


def slider(page: Page, label: str) -> Locator:
    """The slider widget (``stSlider``) with exactly this label."""
    return page.get_by_test_id("stSlider").filter(
        has=page.get_by_test_id("stWidgetLabel").get_by_text(label, exact=True)
    )


def slider_value(page: Page, label: str) -> str:
    """The value a slider shows on its thumb."""
    return slider(page, label).get_by_test_id("stSliderThumbValue").inner_text().strip()


def metric_value(page: Page, label_start: str) -> str:
    """The value of the metric card whose label starts with ``label_start``."""
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(re.compile("^" + re.escape(label_start)))
    )
    return card.get_by_test_id("stMetricValue").inner_text().strip()


def plot_count(page: Page) -> int:
    return page.locator(PLOT).count()


# A chart out of sight draws its newest figure only when it scrolls into view (ui/charts.js keeps it pending):
# polled, this brings one waiting chart into view per call and tells whether every chart has drawn.
CHARTS_DRAWN_JS = """() => {
    const charts = [...document.querySelectorAll('.pfp-chart')];
    const waiting = charts.find(c => c.pfpPending);
    if (waiting) waiting.scrollIntoView({block: 'center'});
    return charts.length && charts.every(c => !c.pfpPending && Array.isArray(c.data) && c.data.length > 0
                                             && c.querySelector('svg.main-svg')) ? charts.length : 0;
}"""


#: What a chart with data draws in its plot area (not just empty axes).
DRAWN_TRACES = "g.trace, g.scatterlayer path, g.heatmaplayer image, g.contourlayer path"


def assert_charts_drawn(page: Page, count: int) -> None:
    """Exactly ``count`` charts, each showing its SVG with traces drawn in it."""
    from playwright.sync_api import expect  # like the types above: this module imports without Playwright

    assert plot_count(page) == count
    for plot in page.locator(PLOT).all():
        expect(plot.locator("svg.main-svg").first).to_be_visible()
        assert plot.locator(DRAWN_TRACES).count()


def wait_for_plots(page: Page, count: int, timeout_ms: float = LOAD_TIMEOUT_MS) -> None:
    """Wait until exactly ``count`` plotly charts have drawn SVG with data in it (scrolling to those that wait
    to be seen), then scroll back to the top of the page, where a reader starts."""
    page.wait_for_function(f"() => ({CHARTS_DRAWN_JS})() === {int(count)}", timeout=timeout_ms, polling=100)
    page.evaluate("() => { for (const el of document.querySelectorAll('*')) if (el.scrollTop) el.scrollTop = 0; }")


# The charts' trace data as JSON text, once every chart has drawn its newest figure. `gd.data` is what the
# server sent; Plotly ≥ 6 sends numeric arrays as base64 blocks ({"dtype": "f8", "bdata": ...}), which
# :func:`decoded` turns back into numbers.
PLOT_DATA_JS = "() => JSON.stringify([...document.querySelectorAll('.js-plotly-plot')].map(p => p.data || []))"
_DTYPES = {"f8": "<f8", "f4": "<f4", "i1": "i1", "u1": "u1", "i2": "<i2", "u2": "<u2", "i4": "<i4", "u4": "<u4"}
COORDINATES = ("x", "y", "z", "a", "b", "c")


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    return None if isinstance(value, float) and math.isnan(value) else value


def decoded(value: Any) -> Any:
    """Plotly's base64 arrays as (nested) lists; NaN (a gap in a line) as None, as JSON.stringify writes it."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=_DTYPES[value["dtype"]])
        if "shape" in value:
            array = array.reshape([int(n) for n in str(value["shape"]).split(",")])
        return _nan_to_none(array.tolist())
    if isinstance(value, list):
        return [decoded(v) for v in value]
    return value


def plot_data(page: Page) -> list[list[dict[str, Any]]]:
    """Every chart's traces in page order: type, name, mode and the coordinate arrays, as plain numbers."""
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=LOAD_TIMEOUT_MS, polling=100)
    plots = json.loads(page.evaluate(PLOT_DATA_JS))
    return [
        [{"type": trace.get("type", "scatter"), "name": trace.get("name"), "mode": trace.get("mode"),
          **{axis: decoded(trace[axis]) for axis in COORDINATES if axis in trace}}
         for trace in traces]
        for traces in plots
    ]


def move_slider(page: Page, label: str, key: str = "ArrowRight", presses: int = 1) -> None:
    """Focus the slider's thumb and press ``key`` ``presses`` times (does not wait for the rerun)."""
    thumb = slider(page, label).get_by_role("slider")
    thumb.focus()
    for _ in range(presses):
        thumb.press(key)


def poll(check: Callable[[], Any], timeout_ms: float = RERUN_TIMEOUT_MS, interval_s: float = 0.05) -> Any:
    """Call ``check`` until it returns a truthy value (returned) or the time is up (the last value returned)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval_s)
