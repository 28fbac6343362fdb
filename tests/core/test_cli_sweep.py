"""``python -m core sweep``: the JSON contract of a diagram, the CSV of a map, and bad input (exit code 2)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from tests.core.test_cli import run


def test_a_diagram_as_json() -> None:
    result = run("sweep", "--preset", "notebook-quadratic", "--param", "world.alpha", "--from", "0", "--to", "0.4",
                 "--num", "5")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [v["value"] for v in doc["values"]] == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])
    for entry in doc["values"]:
        alpha = entry["value"]
        (fp,) = entry["fixed_points"]
        assert fp["p"] == {"event": pytest.approx(0.25), "no event": pytest.approx(0.75)}
        assert fp["stability"] == "attracting"
        # docs/theory.md#performative-optimum: p̂ = (2(1 − α)p* − α)/(2 − 4α), clipped to [0, 1], with p* = 1/4.
        p_hat = max((2 * (1 - alpha) * 0.25 - alpha) / (2 - 4 * alpha), 0.0)
        assert entry["optimum"]["p"]["event"] == pytest.approx(p_hat, abs=1e-8)
        assert entry["optimum"]["f"]["event"] == pytest.approx(0.25 + alpha * (p_hat - 0.25), abs=1e-8)
        assert entry["optimum"]["inaccuracy"] == pytest.approx((1 - alpha) * abs(0.25 - p_hat), abs=1e-8)
    assert doc["bifurcations"] == []


def test_bifurcations_of_the_bank_run(tmp_path: Path) -> None:
    out = tmp_path / "sweep.json"
    result = run("sweep", "--preset", "bank-run", "--param", "world.steepness", "--from", "1", "--to", "10",
                 "--num", "10", "--out", str(out))
    assert result.returncode == 0 and result.stdout == "", result.stderr
    (event,) = json.loads(out.read_text())["bifurcations"]
    assert event["kind"] == "stability" and event["value"] == pytest.approx(4 / 0.96, abs=1e-6)


def test_a_map_as_csv() -> None:
    result = run("sweep", "--preset", "notebook-quadratic", "--param", "world.p_star", "--from", "0", "--to", "1",
                 "--num", "3", "--grid", "--param2", "world.alpha", "--from2", "0", "--to2", "0.4", "--num2", "2",
                 "--quantity", "fixed_points")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["world.p_star", "world.alpha", "fixed_points"]
    assert [(float(x), float(y)) for x, y, _ in rows[1:]] == [(x, y) for y in (0.0, 0.4) for x in (0.0, 0.5, 1.0)]
    assert np.all(np.array([float(r[2]) for r in rows[1:]]) == 1.0)


@pytest.mark.parametrize("args, fragment", [
    (["--param", "world.beta", "--from", "0", "--to", "1"], "world.beta: not a numeric field"),
    (["--param", "world.alpha", "--from", "1", "--to", "0"], "world.alpha: the range needs"),
    (["--param", "world.alpha", "--from", "0", "--to", "1.5", "--num", "4"], "world.alpha = 1: "),  # 0, 0.5, 1, 1.5: the first bad one
    (["--param", "world.alpha", "--from", "0", "--to", "0.5", "--num", "1"], "world.alpha: the number of values"),
    (["--param", "world.alpha", "--from", "0", "--to", "0.5", "--grid"], "--param2: needed with --grid"),
    (["--param", "world.alpha", "--from", "0", "--to", "0.5", "--grid", "--param2", "world.p_star", "--from2", "0",
      "--to2", "1", "--quantity", "colour"], "quantity: unknown quantity 'colour'"),
])
def test_bad_input_gives_exit_code_2_and_one_line_naming_the_field(args: list[str], fragment: str) -> None:
    result = run("sweep", "--preset", "notebook-quadratic", *args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], result.stderr
