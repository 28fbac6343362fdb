"""``python -m core dynamics``: its JSON contract, hand-checked values, and one-line errors with exit code 2."""

from __future__ import annotations

import json

import pytest

from tests.core.test_cli import run


def dynamics(*args: str) -> dict:
    result = run("dynamics", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_stop_gradient_converges_to_the_fixed_point_with_theorys_threshold() -> None:
    out = dynamics("--preset", "notebook-quadratic", "--method", "stop-gradient", "--start", "0.9",
                   "--step-size", "0.5", "--steps", "500")
    assert set(out) == {"end", "status", "period", "steps_taken", "predicted"}
    assert out["status"] == "converged" and out["period"] is None and 0 < out["steps_taken"] < 500
    assert out["end"] == pytest.approx([0.25, 0.75], abs=1e-8)
    # docs/theory.md#learning-dynamics with g′ = 4 (Brier), f′ = 1/4: η* = 2/(4 · 3/4) = 2/3; η = 0.5 converges.
    assert out["predicted"] == {"point": pytest.approx([0.25, 0.75]), "max_step_size": pytest.approx(2 / 3),
                                "converges": True}


def test_full_gradient_ends_at_the_optimum() -> None:
    out = dynamics("--preset", "notebook-quadratic", "--method", "full-gradient", "--start", "0.5,0.5",
                   "--step-size", "0.5", "--steps", "2000")
    assert out["status"] == "converged"
    assert out["end"][0] == pytest.approx(0.125, abs=1e-6)  # docs/theory.md#performative-optimum: p̂ = 0.125
    assert out["predicted"]["max_step_size"] == pytest.approx(1.0, rel=1e-6) and out["predicted"]["converges"]


def test_a_cycle_reports_its_period() -> None:
    # Notebook world, Brier: x ← x − 3η(x − p*) flips sign when η > 2/3 and stays inside [0, 1] at η = 0.7.
    out = dynamics("--preset", "notebook-quadratic", "--method", "stop-gradient", "--start", "0.3",
                   "--step-size", "0.7", "--steps", "300")
    assert out["status"] == "cycle" and out["period"] == 2 and out["predicted"]["converges"] is False


def test_repeated_has_no_step_size_and_sgd_is_seeded() -> None:
    out = dynamics("--preset", "linear-three", "--method", "repeated", "--start", "0.2,0.3,0.5", "--steps", "200")
    assert out["status"] == "converged" and out["predicted"]["max_step_size"] is None
    assert out["predicted"]["converges"] is True
    args = ("--preset", "notebook-log", "--method", "sgd", "--start", "0.4", "--step-size", "0.05", "--steps", "100")
    first, again, other = dynamics(*args, "--seed", "3"), dynamics(*args, "--seed", "3"), dynamics(*args, "--seed", "4")
    assert first == again and first["end"] != other["end"] and first["status"] == "max_steps"


@pytest.mark.parametrize(("args", "field"), [
    (("--method", "bogus", "--start", "0.3"), "--method"),
    (("--method", "sgd", "--start", "0.3", "--step-size", "-1"), "--step-size"),
    (("--method", "sgd", "--start", "0.3", "--step-size", "nan"), "--step-size"),
    (("--method", "sgd", "--start", "0.3", "--steps", "1e9"), "--steps"),
    (("--method", "sgd", "--start", "0.3", "--steps", "99999999"), "--steps"),
    (("--method", "sgd", "--start", "1.3"), "--start"),
    (("--method", "sgd", "--start", "0.3,0.3"), "--start"),
    (("--method", "sgd", "--start", "x"), "--start"),
    (("--method", "sgd", "--start", "0.3", "--seed", "-2"), "--seed"),
])
def test_bad_input_exits_2_with_one_line(args: tuple[str, ...], field: str) -> None:
    result = run("dynamics", "--preset", "notebook-quadratic", *args)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in result.stderr


def test_long_runs_up_to_a_million_steps_are_taken() -> None:
    # A slow sgd run of 200,000 steps (above the old cap of 10,000): the command line takes it, and the run uses
    # every step (sgd with a tiny step never meets the convergence test).
    out = dynamics("--preset", "notebook-log", "--method", "sgd", "--start", "0.4", "--step-size", "1e-6",
                   "--steps", "200000")
    assert out["status"] == "max_steps" and out["steps_taken"] == 200_000
    result = run("dynamics", "--preset", "notebook-log", "--method", "sgd", "--start", "0.4", "--steps", "1000001")
    assert result.returncode == 2 and "--steps" in result.stderr
