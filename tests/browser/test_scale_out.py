"""Several app servers behind nginx (deploy/scale_out.py): the load test's short form through it. No errors, no
cross-talk between sessions (the load driver checks every step), every session's websocket on one server, and
the sessions spread over more than one. Timing is reported by the long form, never asserted."""

from __future__ import annotations

import pytest

from deploy.scale_out import scale_out
from tests.browser.load import run_load, sticky_lines


def test_sessions_stay_on_one_server_behind_nginx(browser):
    # ``browser`` only to skip visibly when there is no Chromium; the load driver launches its own.
    with scale_out(3) as farm:
        report = run_load(farm.url, sessions=8, seconds=20)
        print("\n".join(report.lines() + sticky_lines(farm)))
        routes = farm.routes()
    assert not report.errors, "\n".join(report.errors)
    assert report.steps >= 8
    # One route per browser context (the warm-up's included), each on exactly one server.
    assert len(routes) >= 8
    assert all(len(servers) == 1 for servers in routes.values()), routes
    # Random routes over 3 servers: all 9 on one has probability 3⁻⁸.
    assert len(set().union(*routes.values())) >= 2


def test_a_bad_number_of_servers_is_refused():
    with pytest.raises(ValueError, match="^--servers"):
        with scale_out(0):
            pass
