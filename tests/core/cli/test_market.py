"""``python -m core market``: the JSON contract, values derived by hand, and bad input (a subprocess, as a user
runs it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core", "market", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=300)


def test_notebook_quadratic_market_by_hand() -> None:
    # p* = α = 1/4, quadratic rule: x = (2(1 − α)p* − α/k)/(2(1 − α) − 2α/k) (docs/theory.md#markets).
    result = run("--preset", "notebook-quadratic", "--predictors", "4")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["predictors"], doc["pool"], doc["payment"]) == (4, "linear", "own")
    (e,) = doc["equilibria"]
    assert set(e) >= {"reports", "announcement", "f", "distance_to_fixed_point", "exact", "bound"}

    def x(k: int) -> float:
        return (2 * 0.75 * 0.25 - 0.25 / k) / (2 * 0.75 - 0.5 / k)

    assert len(e["reports"]) == 4
    assert all(r["event"] == pytest.approx(x(4), abs=1e-9) for r in e["reports"])
    assert e["announcement"]["event"] == pytest.approx(x(4), abs=1e-9)
    assert e["f"]["event"] == pytest.approx(0.25 + 0.25 * (x(4) - 0.25), abs=1e-9)
    assert e["exact"] is True and e["bound_holds"] == [True] * 4
    assert [c["predictors"] for c in doc["curve"]] == [1, 2, 3, 4]
    for c in doc["curve"]:
        assert c["announcement"]["event"] == pytest.approx(x(c["predictors"]), abs=1e-9)
        assert c["distance_to_fixed_point"] == pytest.approx(abs(x(c["predictors"]) - 0.25), abs=1e-9)
    assert doc["search"] == {"symmetric": True, "complete": True}


def test_zero_sum_weights_and_log_pool() -> None:
    # In f(x) = p* + α(x − p*) a deviation to r moves the world by αw(r − p*) and pays less than honesty
    # whenever αw < 1/2 (here 1/8): the fixed point is the equilibrium.
    result = run("--preset", "notebook-log", "--predictors", "3", "--weights", "2,1,1", "--pool", "log",
                 "--payment", "zero-sum")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["weights"] == [0.5, 0.25, 0.25]
    (e,) = doc["equilibria"]
    assert e["exact"] and e["distance_to_fixed_point"] == pytest.approx(0.0, abs=1e-7)
    assert all(r["event"] == pytest.approx(0.675, abs=1e-7) for r in e["reports"])


def test_a_heavy_trader_breaks_the_zero_sum_fixed_points_of_a_bank_run() -> None:
    # With weight 1/2 in a steep world, one trader can move the world to the other run/no-run state and predict it
    # better than the others: the fixed points are stationary but not equilibria (computed, not assumed).
    result = run("--preset", "bank-run", "--predictors", "3", "--weights", "2,1,1", "--payment", "zero-sum")
    doc = json.loads(result.stdout)
    assert doc["equilibria"] == []
    assert {round(e["announcement"]["run"], 6) for e in doc["not_equilibria"]} == {0.976869, 0.5, 0.023131}
    assert all(max(e["deviation_gain"]) > 0.1 for e in doc["not_equilibria"])


def test_the_market_maker_by_hand() -> None:
    # notebook-log is f(p) = 0.675 + 0.25(p − 0.675) with slope 1/4 < 1/3: its fixed point is a rest point that
    # draws the traders' prices (docs/theory.md#markets), and the curve follows the first k traders.
    result = run("--preset", "notebook-log", "--predictors", "30", "--pool", "lmsr")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["paid_by"] == "log" and doc["not_equilibria"] == []
    (e,) = doc["equilibria"]
    assert len(e["reports"]) == 30 and e["exact"]
    assert e["announcement"] == e["reports"][-1]
    (rest,) = doc["rest_points"]
    assert rest["announcement"]["event"] == pytest.approx(0.675, abs=1e-9) and rest["attracts"] is True
    curve = doc["curve"]
    assert [c["announcement"] for c in curve] == e["reports"]
    d = [c["distance_to_fixed_point"] for c in curve]
    assert d[0] > 0.01 and d[-1] < 1e-9
    ratios = [b / a for a, b in zip(d[3:8], d[4:9])]
    assert ratios == pytest.approx([0.25 / (1 - 2 * 0.25)] * 5, rel=0.05)  # |s/(2s − 1)| = 1/2


@pytest.mark.parametrize("args, field", [
    (["--predictors", "0"], "--predictors"), (["--predictors", "51"], "--predictors"),
    (["--predictors", "two"], "--predictors"), (["--predictors", "2", "--weights", "1"], "--weights"),
    (["--predictors", "2", "--weights", "1,-1"], "--weights"), (["--predictors", "2", "--weights", "a,b"], "--weights"),
    (["--predictors", "2", "--pool", "lmsrr"], "--pool"), (["--predictors", "2", "--payment", "half"], "--payment"),
    (["--predictors", "2", "--pool", "lmsr", "--payment", "zero-sum"], "--payment"),
    (["--predictors", "2", "--pool", "lmsr", "--weights", "1,2"], "--weights"),
])
def test_bad_input_exits_2_naming_the_field(args: list[str], field: str) -> None:
    result = run("--preset", "notebook-log", *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {field}:")


def test_a_world_with_jumps_is_refused() -> None:
    result = run("--preset", "self-defeating", "--predictors", "3")
    assert result.returncode == 2
    assert result.stderr.startswith("error: world: a market needs a world without jumps")
