"""Running studies in chunks, their summary and table, and the ``study`` command."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from core.model.scenario import Scenario
from core.studies import StudySpec, evaluate, sample
from core.studies.runner import run_study, summarize, worst_rows
from tests.core.test_cli import REPO_ROOT, run


def test_results_do_not_depend_on_the_chunking() -> None:
    spec = StudySpec(outcomes=4, rule="log")
    one = run_study(spec, 700, 3, chunk=700)
    for size in (1, 64, 333):
        other = run_study(spec, 700, 3, chunk=size)
        for key in one:
            assert np.array_equal(one[key], other[key], equal_nan=True), key


def test_progress_reaches_the_total() -> None:
    seen: list[tuple[int, int]] = []
    run_study(StudySpec(), 2500, 0, chunk=1000, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]


def test_summary_describes_the_rows() -> None:
    spec = StudySpec(outcomes=3)
    result = run_study(spec, 2000, 1)
    summary = summarize(spec, 1, result)
    assert summary["count"] == 2000
    inacc = result["inaccuracy"]
    stats = summary["quantities"]["inaccuracy"]
    assert stats["mean"] == pytest.approx(inacc.mean()) and stats["max"] == inacc.max()
    assert stats["median"] == pytest.approx(np.sort(inacc)[999:1001].mean())
    assert stats["p95"] == pytest.approx(np.quantile(inacc, 0.95))
    assert summary["bound_tight_share"] == pytest.approx(np.mean(result["inaccuracy"] >= 0.99 * result["bound"]))
    assert summary["bound_failures"] == 0
    worst = summary["worst"]
    assert worst["ratio"] == result["ratio"].max()
    # The worst world's scenario document reproduces it alone.
    again = Scenario.from_dict(worst["scenario"])
    alone = evaluate(spec, {"A": np.array([again.world.A]), "c": np.array([again.world.c]),
                            "alpha": np.array([again.world.alpha])})
    assert alone["inaccuracy"][0] == worst["inaccuracy"]


def test_policy_summary_has_no_bound() -> None:
    spec = StudySpec(sampler="policy", outcomes=2, policy="best_response")
    summary = summarize(spec, 0, run_study(spec, 6, 0))
    assert summary["bound_tight_share"] is None and summary["worst"]["by"] == "inaccuracy"
    assert summary["quantities"]["bound"]["count"] == 0


def test_study_command_writes_rows_that_reopen(tmp_path) -> None:
    out = tmp_path / "rows.parquet"
    result = run("study", "--outcomes", "3", "--worlds", "300", "--seed", "4", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["count"] == 300
    assert "300/300 worlds" in result.stderr
    table = pd.read_parquet(out)
    assert len(table) == 300
    assert {"scenario", "inaccuracy", "distance", "norm_T", "bound"} <= set(table.columns)
    spec = StudySpec(outcomes=3)
    params = sample(spec, 4, 0, 300)
    for i in (0, 123, 299):
        scenario = Scenario.from_json(table["scenario"][i])
        assert np.array_equal(np.array(scenario.world.A), params["A"][i])
    csv = tmp_path / "rows.csv"
    result = run("study", "--outcomes", "3", "--worlds", "300", "--seed", "4", "--out", str(csv), "--quiet")
    assert result.returncode == 0 and result.stderr == ""
    assert json.loads(result.stdout) == summary
    again = pd.read_csv(csv)
    np.testing.assert_array_equal(again["inaccuracy"].to_numpy(), table["inaccuracy"].to_numpy())


def test_a_streamed_study_writes_every_chunk_in_order_and_keeps_only_the_summarys_columns(tmp_path) -> None:
    from core.studies.runner import SUMMARY_COLUMNS, frame, stream_study

    spec = StudySpec(outcomes=4)
    whole = run_study(spec, 2500, 3, scenarios=True)
    written: list[dict] = []
    kept = stream_study(spec, 2500, 3, written.append, scenarios=True, chunk=600)
    assert [len(c["index"]) for c in written] == [600, 600, 600, 600, 100]
    pd.testing.assert_frame_equal(pd.concat([frame(c) for c in written], ignore_index=True), frame(whole),
                                  check_exact=True)
    assert set(kept) == set(SUMMARY_COLUMNS)
    assert all(np.array_equal(kept[key], whole[key], equal_nan=True) for key in SUMMARY_COLUMNS)
    assert summarize(spec, 3, kept) == summarize(spec, 3, whole)
    # The command line streams too; without the scenarios on request.
    out = tmp_path / "rows.parquet"
    result = run("study", "--outcomes", "4", "--worlds", "2500", "--seed", "3", "--out", str(out), "--quiet",
                 "--no-scenarios")
    assert result.returncode == 0, result.stderr
    table = pd.read_parquet(out)
    assert "scenario" not in table.columns
    pd.testing.assert_frame_equal(table, frame(run_study(spec, 2500, 3)), check_exact=True)
    assert json.loads(result.stdout) == summarize(spec, 3, whole)


@pytest.mark.parametrize("args, field", [
    (["--worlds", "0"], "worlds"), (["--seed", "-1"], "seed"), (["--rule", "nope"], "rule"),
    (["--sampler", "urn"], "sampler"), (["--outcomes", "9"], "outcomes"), (["--out", "rows.txt"], "--out"),
])
def test_study_command_bad_input_is_one_line(args: list[str], field: str) -> None:
    result = run("study", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0]


@pytest.mark.parametrize("address", ["nonsense://x", "tcp://127.0.0.1:1", ""])
def test_a_bad_scheduler_address_is_one_line(address: str) -> None:
    result = run("study", "--worlds", "10", "--scheduler", address)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: scheduler:")


def test_nothing_imports_dask_without_a_cluster() -> None:
    code = ("import sys; import core, core.cli, core.studies, ui.pages; from core.cli import main; "
            "main(['study', '--worlds', '50', '--quiet']); "
            "assert not {'dask', 'distributed'} & set(sys.modules), sorted(m for m in sys.modules if 'dask' in m)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["count"] == 50


def test_worst_rows_are_those_of_a_full_stable_sort() -> None:
    # The partial ranking against its definition: every row sorted, worst first, NaN last, ties the lower row
    # first, on columns full of ties, NaNs and infinities.
    rng = np.random.default_rng(0)
    for trial in range(500):
        n = int(rng.integers(1, 40))
        ratio = rng.choice([0.1, 0.2, np.nan, np.inf, rng.random()], size=n) if trial % 2 else np.full(n, np.nan)
        result = {"ratio": ratio, "inaccuracy": rng.choice([0.1, 0.5, np.nan], size=n)}
        count = int(rng.integers(0, n + 3))
        key, rows = worst_rows(result, count)
        assert key == ("ratio" if trial % 2 and np.isfinite(ratio).any() else "inaccuracy")
        column = result[key]
        expected = sorted(range(n), key=lambda i: (-column[i] if not np.isnan(column[i]) else np.inf, i))[:count]
        assert rows.tolist() == expected
