"""Many users at once: one Streamlit server, N concurrent browser sessions (one Chromium, one context each).

Each session owns a scenario nobody else has (a preset whose outcome names carry the session's tag, "s7 jam"),
and for a bounded time it opens links, moves sliders and picks presets. After every step it checks that the
address bar and the sidebar show *its* scenario (sessions must never see each other's), and that no exception
is shown. The report gives the errors (must be zero), the median and 95th-percentile latency of a step (from
the action until the page is idle again; on a small machine the browsers themselves load the CPU, so these
measure client and server together), and the server's memory (RSS) after a warm-up page load and at the end,
per session.

    python -m tests.browser.load --sessions 24 --seconds 90
    python -m tests.browser.load --sessions 24 --seconds 90 --servers 3     # behind nginx (deploy/scale_out.py)

The test suite runs a short form (tests/browser/test_load.py).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from core.model.presets import PRESETS
from core.model.scenario import Scenario
from deploy.scale_out import Farm, scale_out
from tests.browser.helpers import APP_IDLE, CHROMIUM_ARGS, CHROMIUM_PATH, EXCEPTION, VIEWPORT, running_app

#: Generous: with two dozen browsers on two cores a step can take seconds.
STEP_TIMEOUT_MS = 90_000
NAMES = "Outcome names (comma-separated)"
#: Sessions start this far apart (seconds).
RAMP_UP_S = 0.5


@dataclass
class LoadReport:
    sessions: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)  # action -> seconds
    errors: list[str] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (time since start, MB)

    @property
    def steps(self) -> int:
        return sum(map(len, self.latencies.values()))

    def percentile(self, q: float) -> float:
        values = sorted(v for vs in self.latencies.values() for v in vs)
        return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")

    def lines(self) -> list[str]:
        counts = ", ".join(f"{name} {len(v)}" for name, v in sorted(self.latencies.items()))
        all_values = [v for vs in self.latencies.values() for v in vs]
        out = [f"sessions {self.sessions}, {self.seconds:.0f} s: {self.steps} steps ({counts})",
               f"errors {len(self.errors)}",
               f"latency median {statistics.median(all_values) if all_values else float('nan'):.2f} s, "
               f"95th percentile {self.percentile(0.95):.2f} s"]
        if len(self.rss_mb) >= 2:
            first, last, peak = self.rss_mb[0][1], self.rss_mb[-1][1], max(m for _, m in self.rss_mb)
            out.append(f"server memory {first:.0f} -> {last:.0f} MB (peak {peak:.0f}), "
                       f"{(last - first) / self.sessions:+.1f} MB per session")
        out += [f"  error: {e}" for e in self.errors[:20]]
        return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+) kB", text, re.M).group(1)) / 1024


def tagged(scenario: Scenario, tag: str) -> Scenario:
    """The scenario with the session's tag in front of every outcome name."""
    return replace(scenario, outcomes=tuple(f"{tag} {name}"[:40] for name in scenario.outcomes))


def url_scenario(url: str) -> Scenario:
    return Scenario.from_query_params({k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()})


async def _idle(page) -> None:
    await page.wait_for_selector(APP_IDLE, timeout=STEP_TIMEOUT_MS)
    if await page.locator(EXCEPTION).count():
        raise AssertionError("the page shows an exception: " + (await page.locator(EXCEPTION).first.inner_text())[:200])


async def _until(check, timeout_ms: float = STEP_TIMEOUT_MS) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not await check():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not change in time")
        await asyncio.sleep(0.05)


async def _shows(page, scenario: Scenario) -> None:
    """The address bar and the sidebar's names field show ``scenario`` (and nobody else's).

    Polled: right after a run the field can still be empty while the browser draws it."""
    await _until(lambda: _url_is(page, scenario))
    names = page.get_by_test_id("stSidebar").get_by_label(NAMES)
    expected = ", ".join(scenario.outcomes)
    try:
        await _until(lambda: _value_is(names, expected))
    except TimeoutError:
        shown = [await f.input_value() for f in await names.all()]
        raise AssertionError(f"cross-talk? the sidebar shows outcomes {shown!r}, "
                             f"expected {expected!r}") from None


async def _value_is(field, expected: str) -> bool:
    # While Streamlit swaps one page's elements for another's, the stale field and the new one can both be in
    # the sidebar for a moment: not yet shown, then.
    return await field.count() == 1 and await field.input_value() == expected


async def _url_is(page, scenario: Scenario) -> bool:
    try:
        return url_scenario(page.url) == scenario
    except ValueError:
        return False


async def _session(index: int, browser, base_url: str, deadline: float, report: LoadReport, seed: int) -> None:
    rng = random.Random(seed * 1000 + index)
    tag = f"s{index}"
    names = list(PRESETS)
    await asyncio.sleep(index * RAMP_UP_S)  # people arrive one after another, not all in the same instant
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    page = await context.new_page()

    async def step(action: str, run) -> None:
        start = time.monotonic()
        try:
            await run()
            await _idle(page)
            report.latencies.setdefault(action, []).append(time.monotonic() - start)
        except Exception as err:  # every failure is a finding to report, not a crash of the driver
            report.errors.append(f"session {index}, {action}: {type(err).__name__}: {str(err)[:300]}")

    async def open_link() -> None:
        preset = PRESETS[names[(index + rng.randrange(len(names))) % len(names)]]
        mine = tagged(preset.scenario, tag)
        # "commit", not "load": the app is ready when its script has run (_idle), which is waited for anyway.
        await page.goto(f"{base_url}/{preset.page}?{urlencode(mine.to_query_params())}", wait_until="commit")
        await _idle(page)
        await _shows(page, mine)

    async def move_slider() -> None:
        before = url_scenario(page.url)
        sidebar = page.get_by_test_id("stSidebar")
        thumb = sidebar.get_by_test_id("stSlider").first.get_by_role("slider")
        await thumb.focus()
        # The thumb is a range input: its value and range are the input's own.
        value, low, high = [float(v) for v in (await thumb.input_value(), await thumb.get_attribute("min"),
                                               await thumb.get_attribute("max"))]
        # Away from the end the thumb is at (a key press at the end of the range changes nothing); decided from
        # the slider's own range, not from how fast the browser reacts, which under load can take seconds.
        keys = rng.choice([("ArrowRight", "ArrowLeft"), ("ArrowLeft", "ArrowRight")])
        if value == (high if keys[0] == "ArrowRight" else low):
            keys = keys[::-1]
        await thumb.press(keys[0])
        refused = sidebar.get_by_test_id("stAlertContentError")
        # Wait for the run the move caused (however long it takes under load), or for the editor to refuse it.
        await _until(lambda: _changed_or_refused(page, before, refused))
        if not await _url_changed(page, before):  # an edit the editor refuses: back past the start, the other way
            await thumb.press(keys[1])
            await thumb.press(keys[1])
            await _until(lambda: _url_changed(page, before))
        await _idle(page)
        if url_scenario(page.url).outcomes != before.outcomes:
            raise AssertionError(f"cross-talk? after a slider move the link has outcomes "
                                 f"{url_scenario(page.url).outcomes}, expected {before.outcomes}")
        await _shows(page, url_scenario(page.url))

    async def pick_preset() -> None:
        preset = PRESETS[rng.choice(names)]
        await page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.click()
        await page.get_by_role("option", name=preset.title, exact=True).click()
        await _idle(page)
        await _shows(page, preset.scenario)

    await step("link", open_link)
    while time.monotonic() < deadline:
        action = rng.choice(["link", "slider", "slider", "slider", "preset"])
        await step(action, {"link": open_link, "slider": move_slider, "preset": pick_preset}[action])
        if action == "preset":  # back to a scenario only this session has
            await step("link", open_link)
    await context.close()


async def _changed_or_refused(page, before: Scenario, refused) -> bool:
    return await _url_changed(page, before) or await refused.count() > 0


async def _url_changed(page, before: Scenario) -> bool:
    try:
        return url_scenario(page.url) != before
    except ValueError:
        return False


async def _sample_memory(pid: int | None, start: float, stop: asyncio.Event, report: LoadReport) -> None:
    while pid is not None and not stop.is_set():
        report.rss_mb.append((time.monotonic() - start, rss_mb(pid)))
        try:
            await asyncio.wait_for(stop.wait(), timeout=2.0)
        except asyncio.TimeoutError:
            pass
    if pid is not None:
        report.rss_mb.append((time.monotonic() - start, rss_mb(pid)))


async def _run(base_url: str, pid: int | None, sessions: int, seconds: float, seed: int) -> LoadReport:
    from playwright.async_api import async_playwright

    report = LoadReport(sessions, seconds)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        # Warm up (imports, the home page's analyses of every preset) so that the memory baseline is a served
        # app's, and the growth measured is what the sessions add.
        warm = await browser.new_context(viewport=VIEWPORT)
        warm.set_default_timeout(STEP_TIMEOUT_MS)
        await (await warm.new_page()).goto(base_url, wait_until="commit")
        await _idle(warm.pages[0])
        await warm.close()
        start = time.monotonic()
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sample_memory(pid, start, stop, report))
        deadline = start + seconds
        await asyncio.gather(*(_session(i, browser, base_url, deadline, report, seed) for i in range(sessions)))
        stop.set()
        await sampler
        await browser.close()
    return report


def run_load(base_url: str, pid: int | None = None, sessions: int = 6, seconds: float = 20.0,
             seed: int = 0) -> LoadReport:
    """Drive ``sessions`` browser sessions against the server at ``base_url`` for about ``seconds``.

    Runs in a thread of its own, so that it also works beside a synchronous Playwright (as in pytest)."""
    result: list[LoadReport] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(_run(base_url, pid, sessions, seconds, seed)))
        except BaseException as err:  # handed to the caller's thread
            failure.append(err)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--servers", type=int, default=1,
                        help="more than 1: that many app servers behind nginx (deploy/scale_out.py)")
    args = parser.parse_args(argv)
    if args.servers > 1:
        with scale_out(args.servers) as farm:
            report = run_load(farm.url, None, args.sessions, args.seconds, args.seed)
            lines = report.lines() + sticky_lines(farm)
    else:
        with running_app() as server:
            report = run_load(server.url, server.pid, args.sessions, args.seconds, args.seed)
            lines = report.lines()
    print("\n".join(lines))
    return 1 if report.errors else 0


def sticky_lines(farm: Farm) -> list[str]:
    """How the sessions spread over the servers, and whether each stayed on one (from nginx's log)."""
    routes = farm.routes()
    per_server = {s.split("//")[1]: 0 for s in farm.servers}
    for upstreams in routes.values():
        for u in upstreams:
            per_server[u] = per_server.get(u, 0) + 1
    moved = sum(len(u) > 1 for u in routes.values())
    return [f"servers {len(farm.servers)}: sessions per server {sorted(per_server.values(), reverse=True)}, "
            f"sessions that changed server {moved}"]


if __name__ == "__main__":
    raise SystemExit(main())
