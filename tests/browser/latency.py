"""How long the app takes to answer a slider, in a real browser: ``python -m tests.browser.latency``.

Starts the app as the browser tests do, opens each page below in headless Chromium, and ten times presses → on a
slider. Each time it measures, in the browser's own clock, from the key press to the moment the script has
finished its rerun *and* the chart shows the new data (the coordinates of a trace that moves with the slider:
the curve f(p) on /binary, the field of arrows f(p) − p on /triangle, have changed).
Every press gives a new value, so each rerun computes a scenario the cache has not seen. One unmeasured press
first warms up the page. Prints a table of the median, min and max in milliseconds.

Not a test: speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass

from tests.browser.helpers import (
    APP_IDLE,
    RERUN_TIMEOUT_MS,
    VIEWPORT,
    chromium_available,
    launch_chromium,
    open_page,
    running_app,
    slider,
    slider_value,
    wait_for_app,
    wait_for_plots,
)

@dataclass(frozen=True)
class Case:
    name: str
    path: str
    slider: str
    charts: int  # Plotly charts on the page
    trace: str  # the trace, in the first chart, whose coordinates must change


CASES = [
    Case("binary: slope α", "/binary", "slope α", 3, "f(p): what happens"),
    Case("triangle: rationality β", "/triangle?preset=coordination", "rationality β", 1,
         "f(p) − p (where repeated prediction goes)"),
]

# Remember the time of every key press (capture phase: before the slider handles it).
INSTALL_JS = """() => {
    if (!window.__latency) {
        window.__latency = {pressed: 0};
        document.addEventListener('keydown', () => { window.__latency.pressed = performance.now(); }, true);
    }
}"""
# The trace's coordinates as text: they change exactly when Plotly has been given the new figure.
TRACE_JS = """name => {
    const plot = document.querySelector('.js-plotly-plot');
    const trace = plot && (plot.data || []).find(t => t.name === name);
    return trace ? JSON.stringify([trace.x, trace.y]) : null;
}"""
# Polled until the run has finished and the trace moved; returns the milliseconds since the key press.
DONE_JS = """([name, before, idle]) => {
    if (!document.querySelector(idle)) return false;
    const now = (""" + TRACE_JS + """)(name);
    return now !== null && now !== before ? performance.now() - window.__latency.pressed : false;
}"""


def measure(page, case: Case, presses: int) -> list[float]:
    """Press → ``presses`` times on the case's slider; the latency of each press in ms."""
    page.evaluate(INSTALL_JS)
    thumb = slider(page, case.slider).get_by_role("slider")
    times = []
    for _ in range(presses):
        before = page.evaluate(TRACE_JS, case.trace)
        if before is None:
            raise RuntimeError(f"{case.name}: the first chart has no trace named {case.trace!r}")
        value = slider_value(page, case.slider)
        thumb.focus()
        thumb.press("ArrowRight")
        handle = page.wait_for_function(DONE_JS, arg=[case.trace, before, APP_IDLE], polling=5,
                                        timeout=RERUN_TIMEOUT_MS)
        times.append(float(handle.json_value()))
        wait_for_app(page)
        if slider_value(page, case.slider) == value:
            raise RuntimeError(f"{case.name}: the slider did not move from {value}")
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="measured key presses per page (default 10)")
    args = parser.parse_args(argv)
    if not chromium_available():
        print("no browser: install chromium or set CHROMIUM_PATH", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    rows = []
    with running_app() as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for case in CASES:
                context = browser.new_context(viewport=VIEWPORT)
                try:
                    page = context.new_page()
                    open_page(page, server.url + case.path)
                    wait_for_plots(page, case.charts)
                    measure(page, case, 1)  # warm-up: not counted
                    start = slider_value(page, case.slider)
                    times = measure(page, case, args.repeats)
                    rows.append((case, start, slider_value(page, case.slider), times))
                finally:
                    context.close()
        finally:
            browser.close()

    print(f"Key press on a slider → rerun finished and chart updated (ms, {args.repeats} presses each)")
    header = f"{'page: slider':<26} {'values':<16} {'median':>8} {'min':>8} {'max':>8}"
    print(header)
    print("-" * len(header))
    for case, first, last, times in rows:
        print(f"{case.name:<26} {first + ' → ' + last:<16} {statistics.median(times):>8.0f} "
              f"{min(times):>8.0f} {max(times):>8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
