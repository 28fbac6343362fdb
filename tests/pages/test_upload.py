"""Opening a scenario file from the sidebar: a good file becomes the scenario, a bad one changes nothing."""

from __future__ import annotations

import json

import pytest

from core.analysis import analyze
from core.model.presets import PRESETS
from core.model.scenario import Scenario
from tests.pages.helpers import assert_metrics_show, errors, open_app, params_of, rerun, scenario_of


def upload(at, name: str, content: bytes) -> None:
    (uploader,) = at.sidebar.file_uploader
    uploader.set_value((name, content, "application/json"))
    rerun(at)


def test_good_file_becomes_the_scenario() -> None:
    at = open_app("binary", {"preset": "notebook-quadratic"})
    bank_run = PRESETS["bank-run"].scenario
    upload(at, "bank-run.json", bank_run.to_json().encode())
    assert not errors(at)
    assert scenario_of(at) == bank_run
    assert_metrics_show(at, analyze(bank_run))
    assert {k: v for k, v in params_of(at).items() if k not in ("start", "steps")} == bank_run.to_query_params()
    # The editor now starts from the file's scenario.
    steepness = next(s for s in at.sidebar.slider if s.label == "steepness k")
    assert steepness.value == bank_run.world.steepness
    rerun(at)  # the file stays in the uploader; it is not loaded again
    assert scenario_of(at) == bank_run


def _doc(**changes) -> bytes:
    doc = PRESETS["half-slope"].scenario.to_dict()
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = doc
        for part in parents:
            target = target[part]
        target[last] = value
    return json.dumps(doc).encode()


BAD_FILES = {
    "not json": b"{outcomes: [",
    "not utf-8": b"\xff\xfe\x00",
    "a list": b"[1, 2]",
    "wrong version": _doc(version=99),
    "unknown world": _doc(world__kind="magic"),
    "alpha out of range": _doc(world__alpha=5),
    "alpha as text": _doc(world__alpha="0.5"),
    "unknown field": _doc(world__gamma=1.0),
    "duplicate outcomes": _doc(outcomes=["a", "a"]),
    "improper rule parameter": _doc(rule={"kind": "power", "param": 0.5}),
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_changes_nothing(content: bytes) -> None:
    # The parsing path the uploader uses rejects the file ...
    with pytest.raises(ValueError):
        Scenario.from_json(content)
    # ... and the page says so and keeps the scenario.
    at = open_app("binary", {"preset": "ramp"})
    link = params_of(at)
    upload(at, "bad.json", content)
    found = errors(at.sidebar)
    assert len(found) == 1 and found[0].startswith("That file is not a scenario this app can read")
    assert scenario_of(at) == PRESETS["ramp"].scenario
    assert_metrics_show(at, analyze(PRESETS["ramp"].scenario))
    assert params_of(at) == link
