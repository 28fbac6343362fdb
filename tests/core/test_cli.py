"""Tests of the command line ``python -m core`` (run as a user runs it: a subprocess in the repository)."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.cli import main as cli_main
from core.model.presets import PRESETS
from core.model.rules import ScoringRule
from core.model.scenario import MAX_DOCUMENT_BYTES, Scenario
from core.model.worlds import LinearWorld, PolicyWorld
from tests.core.scenario_strategies import FIELD_PREFIX, json_values

REPO_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core", *args], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout)


def analyze_json(*args: str) -> dict[str, Any]:
    result = run("analyze", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_presets_lists_every_preset() -> None:
    result = run("presets")
    assert result.returncode == 0, result.stderr
    first_words = [line.split()[0] for line in result.stdout.splitlines() if line.strip()]
    assert first_words == list(PRESETS)
    for line in result.stdout.splitlines():
        name = line.split()[0]
        assert f"n={PRESETS[name].scenario.n}" in line


def test_analyze_notebook_quadratic_preset() -> None:
    report = analyze_json("--preset", "notebook-quadratic")
    assert {"scenario", "fixed_points", "performative_optimum", "bounds", "honest_optimum"} <= set(report)
    assert Scenario.from_dict(report["scenario"]) == PRESETS["notebook-quadratic"].scenario

    # docs/theory.md#worked-example: p* = 1/4, α = 1/4 under Brier gives p̂ = 0.125, f(p̂) = 0.21875, inaccuracy 0.09375.
    opt = report["performative_optimum"]
    assert {"p", "f", "score", "inaccuracy", "distance_to_fixed_point"} <= set(opt)
    assert opt["p"]["event"] == pytest.approx(0.125, abs=1e-6)
    assert opt["p"]["no event"] == pytest.approx(0.875, abs=1e-6)
    assert opt["f"]["event"] == pytest.approx(0.21875, abs=1e-6)
    assert opt["inaccuracy"] == pytest.approx(0.09375, abs=1e-6)
    # |p̂ − p*| = 0.25 − 0.125; S(p̂, f(p̂)) = 2·(0.21875·0.125 + 0.78125·0.875) − (0.125² + 0.875²) = 0.640625.
    assert opt["distance_to_fixed_point"] == pytest.approx(0.125, abs=1e-6)
    assert opt["score"] == pytest.approx(0.640625, abs=1e-6)

    # One fixed point, p* = 1/4, attracting (slope 1/4), G = 1/16 + 9/16 = 0.625; no human in this world.
    (fp,) = report["fixed_points"]
    assert {"p", "stability", "kind", "score", "human_utility"} <= set(fp)
    assert fp["p"] == pytest.approx({"event": 0.25, "no event": 0.75}, abs=1e-9)
    assert fp["stability"] == "attracting"
    assert fp["kind"] == "regular"
    assert fp["score"] == pytest.approx(0.625, abs=1e-9)
    assert fp["human_utility"] is None

    # Bounds: L = 1/4, sup|g/g′| = 1/2: inaccuracy ≤ 1/8, distance ≤ L/(1 − L)·1/2 = 1/6.
    bounds = report["bounds"]
    assert bounds["lipschitz"] == pytest.approx(0.25)
    assert bounds["sup_g_ratio"] == pytest.approx(0.5)
    assert bounds["inaccuracy"] == pytest.approx(0.125)
    assert bounds["distance_to_fixed_point"] == pytest.approx(1 / 6)
    assert report["honest_optimum"]["by_score"]["p"]["event"] == pytest.approx(0.25, abs=1e-9)


def test_analyze_a_file_written_by_to_json(tmp_path: Path) -> None:
    # A constant world (α = 0) under the log rule: the truth 0.3 is both the fixed point and the optimum.
    scenario = Scenario(("rain", "dry"), LinearWorld(0.3, 0.0), ScoringRule("log"))
    path = tmp_path / "constant.json"
    path.write_text(scenario.to_json(), encoding="utf-8")
    report = analyze_json(str(path))
    assert Scenario.from_dict(report["scenario"]) == scenario
    assert report["performative_optimum"]["p"]["rain"] == pytest.approx(0.3, abs=1e-6)
    assert report["performative_optimum"]["inaccuracy"] == pytest.approx(0.0, abs=1e-6)
    assert [fp["p"]["rain"] for fp in report["fixed_points"]] == pytest.approx([0.3], abs=1e-9)


def test_analyze_a_policy_world_reports_the_human(tmp_path: Path) -> None:
    # The self-defeating forecast: the only fixed point is mixed at 1/2 with the human mixing (1/2, 1/2);
    # the human's utility there is 0.5·(0.1·1) + 0.5·(0.1·0.5 + 0.9·0.5) = 0.3, and G = 1/4 + 1/4 = 0.5.
    path = tmp_path / "jam.json"
    path.write_text(PRESETS["self-defeating"].scenario.to_json(), encoding="utf-8")
    report = analyze_json(str(path))
    (fp,) = report["fixed_points"]
    assert fp["kind"] == "mixed"
    assert fp["p"]["jam"] == pytest.approx(0.5, abs=1e-9)
    assert fp["mixing"] == pytest.approx({"drive": 0.5, "take the train": 0.5}, abs=1e-9)
    assert fp["human_utility"] == pytest.approx(0.3, abs=1e-9)
    assert fp["score"] == pytest.approx(0.5, abs=1e-9)


def _bad_inputs(tmp: Path) -> dict[str, list[str]]:
    (tmp / "not-json.json").write_text("{'version': 1}", encoding="utf-8")
    (tmp / "wrong-version.json").write_text('{"version": 2, "outcomes": [], "world": {}, "rule": {}}')
    doc = PRESETS["notebook-log"].scenario.to_dict()
    doc["world"]["alpha"] = 10**400
    (tmp / "huge-number.json").write_text(json.dumps(doc))
    (tmp / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp / "binary.json").write_bytes(b"\x00\xff\xfe garbage")
    # The reproducer: a three-outcome softmax world under the log rule with one utility of 1e308.
    doc = PRESETS["coordination"].scenario.to_dict()
    doc["world"]["U"][0][0] = 1e308
    (tmp / "huge-utility.json").write_text(json.dumps(doc))
    (tmp / "too-large.json").write_bytes(b" " * (MAX_DOCUMENT_BYTES + 1))
    return {
        "missing file": ["analyze", str(tmp / "no-such-file.json")],
        "directory": ["analyze", str(tmp)],
        "invalid JSON": ["analyze", str(tmp / "not-json.json")],
        "wrong version": ["analyze", str(tmp / "wrong-version.json")],
        "huge number": ["analyze", str(tmp / "huge-number.json")],
        "deep nesting": ["analyze", str(tmp / "deep.json")],
        "binary garbage": ["analyze", str(tmp / "binary.json")],
        "unknown preset": ["analyze", "--preset", "no-such-preset"],
        "huge utility": ["analyze", str(tmp / "huge-utility.json")],
        "too large": ["analyze", str(tmp / "too-large.json")],
    }


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("missing file", "No such file"),
        ("directory", "directory"),
        ("invalid JSON", "not valid JSON"),
        ("wrong version", "version: this app reads scenario format 1"),
        ("huge number", "world.alpha: expected a finite number"),
        ("deep nesting", "not valid JSON"),
        ("binary garbage", "not valid JSON"),
        ("unknown preset", "unknown preset 'no-such-preset'"),
        ("huge utility", "world: U must hold finite numbers of size at most 1e+06"),
        ("too large", "has 1,000,001 bytes; at most 1,000,000 (1 MB) are read"),
    ],
)
def test_bad_input_gives_exit_code_2_and_one_error_line(case: str, fragment: str, tmp_path: Path) -> None:
    result = run(*_bad_inputs(tmp_path)[case])
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_bench_prints_a_table() -> None:
    # The analysis suite only: the sweeps suite times sweeps of hundreds of values, minutes on a busy machine.
    result = run("bench", "--repeat", "1", "--only", "analysis")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "median ms" in lines[0]
    body = "\n".join(lines[1:])
    for needle in ("2 outcomes", "3 outcomes", "5 outcomes", "10,000 predictions"):
        assert needle in body, f"no row for {needle!r}"
    for line in lines[1:]:  # every row ends in a number of milliseconds (optionally a target)
        numbers = [w for w in line.split() if w.replace(".", "", 1).isdigit()]
        assert numbers, line


def test_bench_compares_the_analysis_with_a_naive_scipy_user() -> None:
    from core.bench.naive import PRESETS

    result = run("bench", "--repeat", "1", "--only", "naive")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert sum(line.startswith("naive scipy user, ") for line in lines) == len(PRESETS)
    assert sum(line.startswith("  the full analysis, the same") for line in lines) == len(PRESETS)
    per_preset = [line for line in lines if line.startswith("  ") and "x faster, " in line]
    assert [line.split(":")[0].strip() for line in per_preset] == list(PRESETS)
    (mean,) = [line for line in lines if "geometric mean" in line]
    assert float(mean.split("faster")[0].split()[-1].rstrip("x")) > 1
    assert mean.endswith(f"at least as accurate on {len(PRESETS)} of {len(PRESETS)}")


# --- python -m core decisions ---------------------------------------------------------------------------------


def decisions_json(*args: str) -> dict[str, Any]:
    result = run("decisions", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_decisions_risky_safe_under_the_mean_rule() -> None:
    """The risky/safe example (tests/core/decisions/test_equilibria.py): honest reports take "risky" (0.8, and the
    log score's expected score there is 0.8 ln 0.8 + 0.2 ln 0.2); the pair's dishonest equilibrium says "risky"
    always fails and takes "safe" (0.6)."""
    report = decisions_json("--preset", "decision-risky-safe", "--pair", "mean")
    assert report["pair_rule"] == "mean"
    assert [m["name"] for m in report["mechanisms"]] == ["honest", "single", "zero_sum"]
    entropy = 0.8 * math.log(0.8) + 0.2 * math.log(0.2)
    for m in report["mechanisms"]:
        assert set(m) >= {"name", "reports", "action_probs", "human_utility", "score"}
        assert list(m["reports"]) == ["risky", "safe"]
        assert list(m["reports"]["risky"]) == ["good", "bad"]
        assert m["action_probs"] == pytest.approx({"risky": 1.0, "safe": 0.0})
        assert m["human_utility"] == pytest.approx(0.8, abs=1e-9)
    honest = report["mechanisms"][0]
    assert honest["reports"]["risky"] == pytest.approx({"good": 0.8, "bad": 0.2})
    assert honest["score"] == pytest.approx(entropy, abs=1e-9)
    found = report["dishonest_equilibrium"]
    assert found is not None
    assert len(found["reports"]) == 2
    for reports in found["reports"]:
        assert reports["risky"]["good"] < 1e-8
        assert reports["safe"] == pytest.approx({"good": 0.5, "bad": 0.5})
    assert found["action_probs"] == pytest.approx({"risky": 0.0, "safe": 1.0})
    assert found["human_utility"] == pytest.approx(0.6, abs=1e-12)
    assert found["honest_utility"] == pytest.approx(0.8, abs=1e-12)
    assert 0 <= found["best_deviation_gain"] <= 1e-6
    assert found["epsilon"] == 0.05 and found["deviation_gain_at_epsilon"] > 0.01
    assert report["dishonest_equilibrium_search"]["exact"] is True


def test_decisions_optimistic_rule_has_no_dishonest_equilibrium() -> None:
    report = decisions_json("--preset", "decision-risky-safe")  # the optimistic rule by default
    assert report["pair_rule"] == "optimistic"
    assert report["dishonest_equilibrium"] is None
    assert report["dishonest_equilibrium_search"]["exact"] is True
    # docs/theory.md#conditional-predictions's example: the single predictor steers to action 1 (−0.6365 > ln ½ = −0.6931).
    example = decisions_json("--preset", "decision-example")
    single = example["mechanisms"][1]
    assert single["action_probs"] == pytest.approx({"action 1": 1.0, "action 2": 0.0})
    assert single["score"] == pytest.approx((1 / 3) * math.log(1 / 3) + (2 / 3) * math.log(2 / 3), abs=1e-6)


def _bad_decisions(tmp: Path) -> dict[str, list[str]]:
    threshold = Scenario(("event", "no event"), PolicyWorld(policy="threshold"), ScoringRule("quadratic"))
    (tmp / "threshold.json").write_text(threshold.to_json(), encoding="utf-8")
    (tmp / "broken.json").write_text("{", encoding="utf-8")
    return {
        "not a policy world": ["decisions", "--preset", "bank-run"],
        "threshold policy": ["decisions", str(tmp / "threshold.json")],
        "bad file": ["decisions", str(tmp / "broken.json")],
        "missing file": ["decisions", str(tmp / "no-such-file.json")],
        "bad pair rule": ["decisions", "--preset", "decision-example", "--pair", "median"],
    }


@pytest.mark.parametrize(("case", "fragment"), [
    ("not a policy world", "world: the decision setting needs a human response policy"),
    ("threshold policy", "world.policy: the decision setting needs a best-response or softmax human"),
    ("bad file", "not valid JSON"),
    ("missing file", "No such file"),
    ("bad pair rule", "--pair: choose one of optimistic, mean, not 'median'"),
])
def test_decisions_bad_input_gives_exit_code_2_and_one_line(case: str, fragment: str, tmp_path: Path) -> None:
    result = run(*_bad_decisions(tmp_path)[case])
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and fragment in line


@settings(max_examples=30, deadline=None, derandomize=True)
@given(path=st.sampled_from(["version", "outcomes", "world", "rule", "world.kind", "world.U", "world.beta",
                             "world.alpha", "world.threshold_outcome", "rule.kind", "rule.param"]),
       value=json_values | st.sampled_from([1e308, -1e308, 1e6, 1000.5, -1, 0, 2]))
def test_analyze_any_document_answers_or_exits_2_with_one_line(path: str, value: Any, tmp_path_factory) -> None:
    """In process (a subprocess per example would be slow): a report, or exit code 2 and one line naming the
    field; never a traceback (any other exception fails this test)."""
    doc = PRESETS["coordination" if "U" in path or "beta" in path else "notebook-log"].scenario.to_dict()
    *parents, last = path.split(".")
    target = doc
    for part in parents:
        target = target[part]
    target[last] = value
    file = tmp_path_factory.mktemp("doc") / "scenario.json"
    file.write_text(json.dumps(doc))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(["analyze", str(file)])
    if code == 0:
        report = json.loads(out.getvalue())
        assert "NaN" not in out.getvalue() and report["performative_optimum"]["p"]
    else:
        assert code == 2 and out.getvalue() == ""
        (line,) = err.getvalue().splitlines()
        assert re.match("error: " + FIELD_PREFIX[1:], line), line
