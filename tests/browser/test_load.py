"""The short form of the load test (tests/browser/load.py): a few sessions at once on the shared server,
no errors and no cross-talk. Timing is reported by the long form, never asserted."""

from tests.browser.load import run_load


def test_concurrent_sessions_never_see_each_others_scenario(app_url, browser):
    # ``browser`` only to skip visibly when there is no Chromium; the load driver launches its own.
    report = run_load(app_url, sessions=6, seconds=20)
    print("\n".join(report.lines()))  # shown with -s; the long form is in the README
    assert not report.errors, "\n".join(report.errors)
    assert report.steps >= 6  # every session did at least its first step
